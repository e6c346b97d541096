// Received fragments as the reassembler wants them (RFC 791 §3.2, RFC 8200 §4.5), and the packet
// rebuilt from a reassembled datagram so that the receive path can take it like any other.
import { get16, get32, set16 } from '../wire/bytes.js';
import { internetChecksum } from '../wire/checksum.js';
import { IPV4_MF, IPV6_HEADER } from './ip-header.js';
import type { Fragment, Reassembled } from './reassembly.js';

/**
 * The fragment of the IPv4 packet at buf[off]: keyed by source, destination, protocol and
 * identification (RFC 791 §3.2). `flagsOffset` is the flags + fragment offset word.
 */
export function ipv4Fragment(
  buf: Uint8Array,
  off: number,
  ihl: number,
  total: number,
  flagsOffset: number,
): Fragment {
  const offset = (flagsOffset & 0x1fff) * 8;
  return {
    family: 4,
    key: `4:${get32(buf, off + 12)}:${get32(buf, off + 16)}:${buf[off + 9]}:${get16(buf, off + 4)}`,
    offset,
    more: (flagsOffset & IPV4_MF) !== 0,
    data: buf.subarray(off + ihl, off + total),
    header: offset === 0 ? buf.subarray(off, off + ihl) : null,
  };
}

/**
 * The fragment behind the IPv6 fragment header at buf[p] of the packet at buf[off] (payload ends
 * at `end`), keyed by source, destination and identification (RFC 8200 §4.5). Null for an atomic
 * fragment (offset 0, no more fragments: RFC 6946 says to process it as is).
 */
export function ipv6Fragment(buf: Uint8Array, off: number, p: number, end: number): Fragment | null {
  const offsetWord = get16(buf, p + 2);
  const offset = offsetWord & 0xfff8;
  const more = (offsetWord & 1) !== 0;
  if (offset === 0 && !more) return null;
  let header: Uint8Array | null = null;
  if (offset === 0) {
    header = buf.slice(off, off + IPV6_HEADER);
    header[6] = buf[p]; // the reassembled packet continues with the fragmentable part's header
  }
  return {
    family: 6,
    key: `6:${hex16(buf, off + 8)}${hex16(buf, off + 24)}:${get32(buf, p + 4)}`,
    offset,
    more,
    data: buf.subarray(p + 8, end),
    header,
  };
}

function hex16(buf: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += buf[off + i].toString(16).padStart(2, '0');
  return s;
}

/** The reassembled IPv4 packet: first fragment's header, lengths and checksum fixed (RFC 791 §3.2). */
export function rebuildIpv4(done: Reassembled): Uint8Array {
  const h = done.header.length;
  const packet = new Uint8Array(h + done.payload.length);
  packet.set(done.header, 0);
  packet.set(done.payload, h);
  // The reassembler guarantees h + payload <= 65535 (RFC 791 §3.1 Total Length).
  set16(packet, 2, packet.length);
  set16(packet, 6, 0);
  packet[10] = 0;
  packet[11] = 0;
  set16(packet, 10, internetChecksum(packet, 0, h));
  return packet;
}

/** The reassembled IPv6 packet: fixed header (next header already patched) + payload (RFC 8200 §4.5). */
export function rebuildIpv6(done: Reassembled): Uint8Array {
  const packet = new Uint8Array(IPV6_HEADER + done.payload.length);
  packet.set(done.header.subarray(0, IPV6_HEADER), 0);
  packet.set(done.payload, IPV6_HEADER);
  set16(packet, 4, done.payload.length);
  return packet;
}
