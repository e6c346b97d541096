// A TUN device: bare IP packets (IPv4 or IPv6, told apart by the version nibble), no Ethernet and
// no ARP. The kernel routes the given prefixes into it.

import { TunTapDevice, type TunTapOptions } from './tuntap.js';

export type TunOptions = TunTapOptions;
export type TunDevice = TunTapDevice;

/** Create (or attach to) a TUN interface. Needs root or CAP_NET_ADMIN. Close it to remove it. */
export function openTun(options: TunOptions = {}): TunDevice {
  return new TunTapDevice('tun', options);
}
