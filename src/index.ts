// Public API of synack. Each layer re-exports what users need.

export * from './analysis/index.js';
export { type Clock, RealClock, type TimerId, VirtualClock } from './link/clock.js';
export type { Device, FrameReceiver, LinkType, RxInfo } from './link/device.js';
export { rxInfo } from './link/device.js';
export { FaultInjector, type ImpairmentStats } from './link/fault-injector.js';
export { type DeviceStats, FdDevice, type FdDeviceOptions, type RxStats } from './link/fd-device.js';
export {
  type Blackout,
  type DirectionImpairment,
  type GilbertElliott,
  type ImpairmentConfig,
  ImpairSpecError,
  parseImpairSpec,
} from './link/impair-spec.js';
export {
  createMemoryWire,
  MemoryDevice,
  type MemoryWire,
  type MemoryWireOptions,
  type WireDirectionStats,
} from './link/memory-wire.js';
export { openPacketSocket, PacketSocketDevice, type PacketSocketOptions } from './link/packet-socket.js';
export { PcapTap, type PcapTapOptions } from './link/pcap-tap.js';
export { Prng } from './link/prng.js';
export { openTap, type TapDevice, type TapOptions } from './link/tap.js';
export { type FrameFormatter, hexSummary, Tracer, type TracerOptions } from './link/tracer.js';
export { openTun, type TunDevice, type TunOptions } from './link/tun.js';
export { TunTapDevice, type TunTapOptions } from './link/tuntap.js';
export * from './net/index.js';
export * from './packet/index.js';
// Both layers have a readPcap: the packet toolkit's (path -> Packets) is the public one; src/wire's
// (bytes -> records) stays reachable as readCapture.
export { readPcap } from './packet/index.js';
export * from './report/index.js';
export * from './sendrecv/index.js';
export * from './sim/index.js';
export * from './socket/index.js';
export { errnoName, SysError } from './sys/errors.js';
export { IpCommandError } from './sys/ip.js';
export * from './tcp/index.js';
export * from './wire/index.js';
