// The packet quoted inside an ICMP error (RFC 792: IP header + the first 8 bytes; RFC 4443 §2.4:
// as much as fits), read far enough to find the connection it belongs to: addresses, protocol,
// ports and (for TCP) the sequence number, which RFC 5927 §4.1 says to check before acting.
import { get16, get32 } from '../wire/bytes.js';
import type { IcmpMessage } from './handlers.js';
import type { IpAddr } from './ip-addr.js';

export interface QuotedPacket {
  family: 4 | 6;
  protocol: number;
  /** Our address (the quoted packet was one we sent). */
  src: IpAddr;
  dst: IpAddr;
  srcPort: number;
  dstPort: number;
  /** TCP: the quoted segment's sequence number; 0 otherwise. */
  seq: number;
  /** "Fragmentation needed" (RFC 1191) / "Packet Too Big" (RFC 8201): the next-hop MTU, else 0. */
  mtu: number;
}

const V6_EXTENSIONS = new Set([0, 43, 60, 44]);

/** The quoted packet of an ICMP/ICMPv6 error, or null when too little is quoted to tell. */
export function parseIcmpQuote(msg: IcmpMessage): QuotedPacket | null {
  const q = msg.body;
  return msg.family === 4 ? quote4(msg, q) : quote6(msg, q);
}

function quote4(msg: IcmpMessage, q: Uint8Array): QuotedPacket | null {
  if (q.length < 20 || q[0] >> 4 !== 4) return null;
  const ihl = (q[0] & 0x0f) * 4;
  if (ihl < 20 || q.length < ihl + 8) return null;
  // RFC 1191 §4: the next-hop MTU is in the low 16 bits of the "unused" word of type 3 code 4.
  const mtu = msg.type === 3 && msg.code === 4 ? msg.seq : 0;
  return ports(4, q[9], get32(q, 12), get32(q, 16), q, ihl, mtu);
}

function quote6(msg: IcmpMessage, q: Uint8Array): QuotedPacket | null {
  if (q.length < 40 || q[0] >> 4 !== 6) return null;
  let next = q[6];
  let p = 40;
  for (let n = 0; V6_EXTENSIONS.has(next) && n < 8; n++) {
    if (p + 8 > q.length) return null;
    const len = next === 44 ? 8 : (q[p + 1] + 1) * 8;
    next = q[p];
    p += len;
  }
  if (p + 8 > q.length) return null;
  const mtu = msg.type === 2 ? ((msg.id << 16) | msg.seq) >>> 0 : 0; // RFC 4443 §3.2
  return ports(6, next, q.slice(8, 24), q.slice(24, 40), q, p, mtu);
}

function ports(
  family: 4 | 6,
  protocol: number,
  src: IpAddr,
  dst: IpAddr,
  q: Uint8Array,
  l4: number,
  mtu: number,
): QuotedPacket {
  const tcp = protocol === 6;
  return {
    family,
    protocol,
    src,
    dst,
    srcPort: get16(q, l4),
    dstPort: get16(q, l4 + 2),
    seq: tcp ? get32(q, l4 + 4) : 0,
    mtu,
  };
}
