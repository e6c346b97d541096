// Sending a built IP packet through a NetInterface, as Scapy's send() goes through the kernel's
// routing: the header is kept as built; the interface's routing table picks the next hop, its
// ARP/neighbor cache the MAC (resolving first when needed, the packet waiting in its queue).

import type { NetInterface } from '../net/interface.js';
import { formatIp, type IpAddr, ipv4Mask } from '../net/ip-addr.js';
import { get32 } from '../wire/bytes.js';
import { SendRecvError } from './errors.js';

const ETH_HEADER = 14;

/** 'queued': waiting for ARP/ND; 'full': the neighbor's queue is full (try again once resolved). */
export type L3Outcome = 'sent' | 'queued' | 'full';

/** Transmits one IPv4/IPv6 packet; throws SendRecvError when it cannot leave. */
export function transmitIp(iface: NetInterface, packet: Uint8Array): L3Outcome {
  const version = packet.length > 0 ? packet[0] >> 4 : 0;
  if (version !== 4 && version !== 6)
    throw new SendRecvError('not-l3', `not an IP packet (version ${version})`);
  if (packet.length > iface.mtu) {
    throw new SendRecvError(
      'too-big',
      `${packet.length} bytes exceed the MTU ${iface.mtu} of ${iface.device.name}`,
    );
  }
  if (iface.device.linkType === 'ip') {
    iface.device.transmit(packet);
    iface.device.flush();
    return 'sent';
  }
  const dst: IpAddr = version === 4 ? get32(packet, 16) >>> 0 : packet.slice(24, 40);
  const frame = new Uint8Array(ETH_HEADER + packet.length);
  frame.set(iface.mac, 6);
  frame[12] = version === 4 ? 0x08 : 0x86;
  frame[13] = version === 4 ? 0x00 : 0xdd;
  frame.set(packet, ETH_HEADER);
  const group = groupMac(iface, dst);
  if (group !== undefined) return transmitFrame(iface, frame, group);
  const hop = iface.routes.nextHop(dst);
  if (hop === undefined)
    throw new SendRecvError('no-route', `no route to ${formatIp(dst)} on ${iface.device.name}`);
  const cache = typeof hop === 'number' ? iface.arp : iface.neighbors;
  const mac = cache.lookup(hop);
  if (mac !== null) return transmitFrame(iface, frame, mac);
  // RFC 1122 §2.3.2.2: the packet waits for address resolution of the next hop.
  return cache.enqueue(hop, frame) ? 'queued' : 'full';
}

/** The next hop for a packet, when it is still being resolved (undefined: nothing to wait for). */
export function unresolvedHop(iface: NetInterface, packet: Uint8Array): IpAddr | undefined {
  if (iface.device.linkType === 'ip') return undefined;
  const dst: IpAddr = packet[0] >> 4 === 4 ? get32(packet, 16) >>> 0 : packet.slice(24, 40);
  if (groupMac(iface, dst) !== undefined) return undefined;
  const hop = iface.routes.nextHop(dst);
  if (hop === undefined) return undefined;
  return (typeof hop === 'number' ? iface.arp : iface.neighbors).lookup(hop) === null ? hop : undefined;
}

function transmitFrame(iface: NetInterface, frame: Uint8Array, mac: Uint8Array): L3Outcome {
  frame.set(mac, 0);
  iface.device.transmit(frame);
  iface.device.flush();
  return 'sent';
}

/** RFC 1112 §6.4, RFC 2464 §7: group MACs; IPv4 broadcast (limited or our subnet's) to all ones. */
function groupMac(iface: NetInterface, dst: IpAddr): Uint8Array | undefined {
  if (typeof dst !== 'number') {
    return dst[0] === 0xff ? Uint8Array.of(0x33, 0x33, dst[12], dst[13], dst[14], dst[15]) : undefined;
  }
  if (dst >>> 28 === 0xe)
    return Uint8Array.of(0x01, 0x00, 0x5e, (dst >>> 16) & 0x7f, (dst >>> 8) & 0xff, dst & 0xff);
  if (dst === 0xffffffff || isSubnetBroadcast(iface, dst)) return Uint8Array.of(255, 255, 255, 255, 255, 255);
  return undefined;
}

function isSubnetBroadcast(iface: NetInterface, dst: number): boolean {
  const own = iface.ipv4;
  const prefix = iface.ipv4PrefixLength;
  if (own === undefined || prefix === undefined || prefix >= 31) return false;
  const mask = ipv4Mask(prefix);
  return (dst & mask) >>> 0 === (own & mask) >>> 0 && (dst | mask) >>> 0 === 0xffffffff;
}
