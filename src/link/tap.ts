// A TAP device: Ethernet frames between the kernel and us. The cleanest way to attach a userspace
// stack: give it its own MAC and an address in the TAP subnet; the kernel ARPs, routes and serves
// it like any neighbour (PLATFORM.md). Frames from the kernel may be shorter than 60 bytes.

import { TunTapDevice, type TunTapOptions } from './tuntap.js';

export type TapOptions = TunTapOptions;
export type TapDevice = TunTapDevice;

/** Create (or attach to) a TAP interface. Needs root or CAP_NET_ADMIN. Close it to remove it. */
export function openTap(options: TapOptions = {}): TapDevice {
  return new TunTapDevice('tap', options);
}
