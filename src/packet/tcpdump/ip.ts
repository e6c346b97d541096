// tcpdump -n's network part (print-ip.c, print-ip6.c, print-udp.c; no -v): "IP src > dst: ...",
// "IP6 src > dst: ...", fragments, IPv6 extension headers, and the transport demux.
import { get16, get32 } from '../../wire/bytes.js';
import { bytesAbove, ipv4Text, ipv6Text } from './addr.js';
import { formatIcmp, formatIcmp6 } from './icmp.js';
import { formatTcp, type TcpAddresses } from './tcp.js';
import type { TcpSeqTracker } from './tcp-seq.js';

export interface IpContext {
  seqs: TcpSeqTracker;
  /** -e: the link header was printed, so "IP "/"IP6 " is not. */
  link: boolean;
}

const addrs: TcpAddresses = { src: '', dst: '', srcNumber: -1, dstNumber: -1, srcAbove: false };

/** print-ip.c ip_print. `length` is what the link layer says is left (frame length - link header). */
export function formatIpv4(b: Uint8Array, o: number, end: number, length: number, ctx: IpContext): string {
  const head = ctx.link ? '' : 'IP ';
  if (length < 20 || end - o < 1) return `${head}truncated-ip ${length}`;
  if (b[o] >> 4 !== 4) return `${head}IP${b[o] >> 4}`;
  const hlen = (b[o] & 15) * 4;
  if (hlen < 20) return `${head}[|ip]`;
  if (end - o < 20) return `${head}[|ip]`;
  let len = get16(b, o + 2);
  let s = head;
  if (len > length) s += `[total length ${len} > length ${length}] `;
  if (len === 0) len = length;
  else if (len < hlen) return `${s}[|ip]`;
  const off = get16(b, o + 6);
  const proto = b[o + 9];
  const src = ipv4Text(b, o + 12);
  const dst = ipv4Text(b, o + 16);
  const payload = len - hlen;
  const capEnd = Math.min(end, o + len);
  if ((off & 0x1fff) !== 0) return `${s}${src} > ${dst}: ip-proto-${proto}`;
  const fragmented = (off & 0x2000) !== 0;
  if (proto === 6 || proto === 17) {
    addrs.src = src;
    addrs.dst = dst;
    addrs.srcNumber = get32(b, o + 12);
    addrs.dstNumber = get32(b, o + 16);
    addrs.srcAbove = addrs.srcNumber > addrs.dstNumber;
    return s + transport(b, proto, o + hlen, capEnd, payload, ctx, true, fragmented);
  }
  s += `${src} > ${dst}: `;
  if (proto === 1) return s + formatIcmp(b, o + hlen, capEnd, payload);
  return `${s}${otherProtocol(proto, payload)}`;
}

/** print-ip6.c ip6_print: walks the extension headers, printing each one's tag. */
export function formatIpv6(b: Uint8Array, o: number, end: number, length: number, ctx: IpContext): string {
  const head = ctx.link ? '' : 'IP6 ';
  if (end - o < 40 || length < 40) return `${head}truncated-ip6 ${length}`;
  if (b[o] >> 4 !== 6) return `${head}version error: ${b[o] >> 4} != 6`;
  const plen = get16(b, o + 4);
  let s = head;
  if (plen + 40 > length) s += `[plen ${plen} > length ${length - 40}] `;
  const src = ipv6Text(b, o + 8);
  const dst = ipv6Text(b, o + 24);
  const capEnd = Math.min(end, o + 40 + plen);
  let nh = b[o + 6];
  // The addresses come first unless the transport prints them itself (TCP/UDP right after the header).
  if (nh !== 6 && nh !== 17) s += `${src} > ${dst}: `;
  let p = o + 40;
  let remaining = plen;
  let first = true;
  for (;;) {
    switch (nh) {
      case 0:
      case 60: {
        if (capEnd - p < 2) return `${s}[|${nh === 0 ? 'HBH' : 'DSTOPT'}]`;
        const l = (b[p + 1] + 1) * 8;
        s += nh === 0 ? 'HBH ' : 'DSTOPT ';
        nh = b[p];
        p += l;
        remaining -= l;
        break;
      }
      case 43: {
        const rt = routingHeader(b, p, capEnd);
        s += rt;
        if (!rt.endsWith(') ')) return s;
        const l = (b[p + 1] + 1) * 8;
        nh = b[p];
        p += l;
        remaining -= l;
        break;
      }
      case 44: {
        if (capEnd - p < 8) return `${s}[|frag]`;
        // RFC 8200 §4.5: the offset is the top 13 bits, printed as a byte count.
        const fragOffset = get16(b, p + 2) & 0xfff8;
        remaining -= 8;
        s += `frag (${fragOffset}|${remaining})`;
        if (fragOffset !== 0) return s;
        s += ' ';
        nh = b[p];
        p += 8;
        break;
      }
      case 6:
      case 17:
        addrs.src = src;
        addrs.dst = dst;
        addrs.srcNumber = -1;
        addrs.dstNumber = -1;
        addrs.srcAbove = bytesAbove(b, o + 8, o + 24, 16);
        return s + transport(b, nh, p, capEnd, remaining, ctx, first, false);
      case 58:
        return s + formatIcmp6(b, p, capEnd, remaining);
      case 59:
        return `${s}no next header`;
      default:
        return `${s}${otherProtocol(nh, remaining)}`;
    }
    first = false;
    if (p > capEnd) return `${s}[|ip6]`;
  }
}

/** print-rt6.c: type 0 (RFC 5095: deprecated) and type 2 list their addresses; others are not decoded. */
function routingHeader(b: Uint8Array, p: number, end: number): string {
  if (end - p < 4) return '[|srcrt]';
  const len = b[p + 1];
  const type = b[p + 2];
  let s = `RT6 (len=${len}, type=${type}`;
  if (type !== 0 && type !== 2) return `${s}[|srcrt]`;
  if (type === 0) s += ' [Deprecated]';
  s += `, segleft=${b[p + 3]}`;
  if (end - p < 8) return `${s}[|srcrt]`;
  const reserved = get32(b, p + 4);
  if (reserved) s += `, rsv=0x${reserved.toString(16)}`;
  if (len % 2 === 1) return `${s} (invalid)`;
  for (let i = 0; i < len >> 1; i++) {
    const a = p + 8 + 16 * i;
    if (a + 16 > end) return `${s}[|srcrt]`;
    s += `, [${i}]${ipv6Text(b, a)}`;
  }
  return `${s}) `;
}

/** print-ip.c ip_demux_print default: " ip-proto-N LEN" (note the leading space after ": "). */
function otherProtocol(proto: number, length: number): string {
  if (proto === 2) return `igmp ${length}`;
  return ` ip-proto-${proto} ${length}`;
}

function transport(
  b: Uint8Array,
  proto: number,
  o: number,
  end: number,
  length: number,
  ctx: IpContext,
  withAddresses: boolean,
  fragmented: boolean,
): string {
  void fragmented;
  if (proto === 6) return formatTcp(b, o, end, length, addrs, ctx.seqs, withAddresses);
  return formatUdp(b, o, end, length, withAddresses);
}

/** print-udp.c udp_print without a port decoder: "src.sport > dst.dport: UDP, length N". */
function formatUdp(b: Uint8Array, o: number, end: number, length: number, withAddresses: boolean): string {
  const a = addrs;
  if (end - o < 4) return `${a.src} > ${a.dst}: [|udp]`;
  const sport = get16(b, o);
  const dport = get16(b, o + 2);
  const ports = withAddresses ? `${a.src}.${sport} > ${a.dst}.${dport}: ` : `${sport} > ${dport}: `;
  if (length < 8) return `${ports}truncated-udp ${length}`;
  if (end - o < 6) return `${ports}[|udp]`;
  let ulen = get16(b, o + 4);
  if (ulen === 0 && length > 65535) ulen = length;
  if (ulen < 8) return `${ports}truncated-udplength ${ulen}`;
  return `${ports}UDP, length ${ulen - 8}`;
}
