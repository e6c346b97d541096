// Writing IPv4 (RFC 791 §3.1) and IPv6 (RFC 8200 §3) headers and transport checksums in place.

import { set16, set32 } from '../wire/bytes.js';
import {
  checksumVerifies,
  internetChecksum,
  ipv4PseudoHeaderSum,
  ipv6PseudoHeaderSum,
} from '../wire/checksum.js';
import type { IpAddr } from './ip-addr.js';

export const ETH_HEADER = 14;
export const IPV4_HEADER = 20;
export const IPV6_HEADER = 40;
export const ETHERTYPE_IPV4 = 0x0800;
export const ETHERTYPE_ARP = 0x0806;
export const ETHERTYPE_IPV6 = 0x86dd;
export const PROTO_ICMP = 1;
export const PROTO_TCP = 6;
export const PROTO_UDP = 17;
export const PROTO_ICMPV6 = 58;
export const IPV6_FRAGMENT_HEADER = 8;
export const NEXT_FRAGMENT = 44;

/** RFC 791: flags field bits within the 16-bit flags+offset word. */
export const IPV4_DF = 0x4000;
export const IPV4_MF = 0x2000;

/** Where the upper-layer message starts in a send buffer: after the link and the IP header. */
export function l4OffsetFor(dst: IpAddr): number {
  return ETH_HEADER + (typeof dst === 'number' ? IPV4_HEADER : IPV6_HEADER);
}

/** The ICMP protocol number of a family: ICMP (1) for IPv4, ICMPv6 (58) for IPv6. */
export function icmpProtocol(family: 4 | 6): number {
  return family === 4 ? PROTO_ICMP : PROTO_ICMPV6;
}

/**
 * Writes a 20-byte IPv4 header with its checksum at buf[off]. Positional arguments so the send
 * path builds no object per packet. `flagsOffset`: DF/MF bits | fragment offset in 8-byte units.
 */
export function writeIpv4Header(
  buf: Uint8Array,
  off: number,
  src: number,
  dst: number,
  protocol: number,
  totalLength: number,
  ttl: number,
  tos: number,
  id: number,
  flagsOffset: number,
): void {
  buf[off] = 0x45;
  buf[off + 1] = tos;
  set16(buf, off + 2, totalLength);
  set16(buf, off + 4, id);
  set16(buf, off + 6, flagsOffset);
  buf[off + 8] = ttl;
  buf[off + 9] = protocol;
  buf[off + 10] = 0;
  buf[off + 11] = 0;
  set32(buf, off + 12, src);
  set32(buf, off + 16, dst);
  set16(buf, off + 10, internetChecksum(buf, off, IPV4_HEADER));
}

/** Writes a 40-byte IPv6 header at buf[off] (flow label 0). */
export function writeIpv6Header(
  buf: Uint8Array,
  off: number,
  src: Uint8Array,
  dst: Uint8Array,
  nextHeader: number,
  payloadLength: number,
  hopLimit: number,
  trafficClass: number,
): void {
  buf[off] = 0x60 | (trafficClass >> 4);
  buf[off + 1] = (trafficClass & 0x0f) << 4;
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  set16(buf, off + 4, payloadLength);
  buf[off + 6] = nextHeader;
  buf[off + 7] = hopLimit;
  buf.set(src, off + 8);
  buf.set(dst, off + 24);
}

/** Transport pseudo-header sum for the IP header at ipOff (RFC 9293 §3.1, RFC 8200 §8.1). */
export function pseudoSumAt(
  buf: Uint8Array,
  ipOff: number,
  family: 4 | 6,
  protocol: number,
  length: number,
): number {
  if (family === 4 && protocol === PROTO_ICMP) return 0; // RFC 792: ICMPv4 has no pseudo-header
  return family === 4
    ? ipv4PseudoHeaderSum(buf, ipOff + 12, buf, ipOff + 16, protocol, length)
    : ipv6PseudoHeaderSum(buf, ipOff + 8, buf, ipOff + 24, protocol, length);
}

/** Fills the transport checksum at l4Off + checksumAt over l4Len bytes. */
export function fillTransportChecksum(
  buf: Uint8Array,
  ipOff: number,
  family: 4 | 6,
  protocol: number,
  l4Off: number,
  l4Len: number,
  checksumAt: number,
): void {
  buf[l4Off + checksumAt] = 0;
  buf[l4Off + checksumAt + 1] = 0;
  let sum = internetChecksum(buf, l4Off, l4Len, pseudoSumAt(buf, ipOff, family, protocol, l4Len));
  // RFC 768 / RFC 8200 §8.1: a computed UDP checksum of 0 is sent as all ones.
  if (protocol === PROTO_UDP && sum === 0) sum = 0xffff;
  set16(buf, l4Off + checksumAt, sum);
}

/** Whether a received transport segment's checksum verifies. */
export function transportChecksumOk(
  buf: Uint8Array,
  ipOff: number,
  family: 4 | 6,
  protocol: number,
  l4Off: number,
  l4Len: number,
): boolean {
  return checksumVerifies(buf, l4Off, l4Len, pseudoSumAt(buf, ipOff, family, protocol, l4Len));
}
