// Several listeners on one device. A Device has one receiver; send/receive calls, sniffers and the
// NetInterface all want its frames, so the hub becomes the receiver and fans each frame out: first
// to the interface (which keeps answering ARP and pings), then to every listener.
import type { Device, FrameReceiver, RxInfo } from '../link/device.js';

export type FrameListener = (frame: Uint8Array, info: RxInfo) => void;

class RxHub {
  private listeners: FrameListener[] = [];

  constructor(
    private readonly device: Device,
    private forward: FrameReceiver | undefined,
  ) {}

  add(listener: FrameListener, forward: FrameReceiver | undefined): () => void {
    if (forward !== undefined) this.forward = forward;
    if (this.listeners.length === 0) this.device.setReceiver(this.receive);
    this.listeners = [...this.listeners, listener];
    return () => this.remove(listener);
  }

  private remove(listener: FrameListener): void {
    const before = this.listeners.length;
    this.listeners = this.listeners.filter((l) => l !== listener);
    if (before > 0 && this.listeners.length === 0) {
      // Hand the device back to the interface (or to nobody: frames are dropped).
      this.device.setReceiver(this.forward ?? dropFrame);
      hubs.delete(this.device);
    }
  }

  private readonly receive = (frame: Uint8Array, info: RxInfo): void => {
    this.forward?.(frame, info);
    const list = this.listeners;
    for (let i = 0; i < list.length; i++) list[i](frame, info);
  };
}

const hubs = new WeakMap<Device, RxHub>();

function dropFrame(): void {}

/**
 * Calls `listener` for every frame the device receives until the returned function is called.
 * `forward`: the receiver that owned the device before (a NetInterface's `receive`); it keeps
 * getting every frame first, and gets the device back when the last listener leaves.
 */
export function listenFrames(device: Device, listener: FrameListener, forward?: FrameReceiver): () => void {
  let hub = hubs.get(device);
  if (hub === undefined) {
    hub = new RxHub(device, forward);
    hubs.set(device, hub);
  }
  return hub.add(listener, forward);
}
