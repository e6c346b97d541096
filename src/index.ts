// Public API of synack. Each layer re-exports what users need.

export type { Device, FrameReceiver, LinkType, RxInfo } from './link/device.js';
export * from './wire/errors.js';
