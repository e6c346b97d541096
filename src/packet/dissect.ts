// Bytes -> layers. Every header is read through src/wire's views; what no decoder claims becomes Raw,
// bytes after the end an IP header announces become Padding, and a header that does not parse
// becomes Raw with its WireError noted. dissect() itself never throws a WireError.
import { ArpView } from '../wire/arp.js';
import { WireError } from '../wire/errors.js';
import { EthernetView } from '../wire/ethernet.js';
import { Icmpv4View } from '../wire/icmpv4.js';
import { Icmpv6View, parseIcmpv6 } from '../wire/icmpv6.js';
import { Ipv4View } from '../wire/ipv4.js';
import { Ipv6View } from '../wire/ipv6.js';
import { extensionLength, parseIpv6Extensions } from '../wire/ipv6-ext.js';
import { LinkType, linkPayload } from '../wire/pcap-link.js';
import { TcpView } from '../wire/tcp.js';
import { UdpView } from '../wire/udp.js';
import type { Layer } from './layer.js';
import { ARPLayer } from './layers/arp.js';
import { Dot1QLayer, EtherLayer } from './layers/ether.js';
import { ICMPLayer } from './layers/icmp.js';
import { icmpv6Layer } from './layers/icmpv6.js';
import { IPLayer } from './layers/ip.js';
import { extensionLayer, IPv6Layer } from './layers/ipv6.js';
import { PaddingLayer, RawLayer } from './layers/raw.js';
import { TCPLayer } from './layers/tcp.js';
import { UDPLayer } from './layers/udp.js';
import { Packet } from './packet.js';

/** 'ethernet' (pcap link type 1), 'ip' (raw IPv4/IPv6, 101), or any pcap link type number. */
export type LinkTypeInput = 'ethernet' | 'ip' | number;

export function linkTypeNumber(linktype: LinkTypeInput): number {
  if (linktype === 'ethernet') return LinkType.Ethernet;
  if (linktype === 'ip') return LinkType.Raw;
  return linktype;
}

/** Dissects one frame. The layers keep subarrays of `bytes` (no copy): do not reuse the buffer. */
export function dissect(bytes: Uint8Array, linktype: LinkTypeInput = 'ethernet'): Packet {
  const out: Layer[] = [];
  decodeLink(out, bytes, linkTypeNumber(linktype));
  const pkt = new Packet(out);
  pkt.original = bytes;
  return pkt;
}

function decodeLink(out: Layer[], b: Uint8Array, linkType: number): void {
  switch (linkType) {
    case LinkType.Ethernet:
      attempt(out, 'Ethernet', b, 0, b.length, decodeEther);
      return;
    case LinkType.Raw:
      decodeByVersion(out, b, 0, b.length);
      return;
    case LinkType.Ipv4:
      attempt(out, 'IP', b, 0, b.length, decodeIpv4);
      return;
    case LinkType.Ipv6:
      attempt(out, 'IPv6', b, 0, b.length, decodeIpv6);
      return;
    default:
      attempt(out, `link type ${linkType}`, b, 0, b.length, (o, bb) => {
        // Null/loopback and Linux cooked: the link header is kept as Raw, then the payload decoded.
        const p = linkPayload(linkType, bb);
        o.push(new RawLayer({ load: bb.subarray(0, p.offset) }));
        decodeByEtherType(o, p.etherType, bb, p.offset, bb.length);
      });
  }
}

type Decoder = (out: Layer[], b: Uint8Array, o: number, end: number) => void;

/** Runs a decoder; on a WireError the bytes become one Raw layer that says what failed. */
function attempt(
  out: Layer[],
  intended: string,
  b: Uint8Array,
  o: number,
  end: number,
  decode: Decoder,
): void {
  const mark = out.length;
  try {
    decode(out, b, o, end);
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    out.length = mark;
    const raw = new RawLayer({ load: b.subarray(o, end) });
    raw.error = err;
    raw.intended = intended;
    out.push(raw);
  }
}

function pushRaw(out: Layer[], b: Uint8Array, o: number, end: number): void {
  if (end > o) out.push(new RawLayer({ load: b.subarray(o, end) }));
}

function pushPadding(out: Layer[], b: Uint8Array, o: number, end: number): void {
  if (end > o) out.push(new PaddingLayer({ load: b.subarray(o, end) }));
}

const ether = new EthernetView();
const arp = new ArpView();

function decodeEther(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const v = ether.checkedWrap(b, o, end - o);
  out.push(EtherLayer.fromView(v));
  const tags = v.tagCount;
  for (let i = 0; i < tags; i++) out.push(Dot1QLayer.fromView(v, i));
  decodeByEtherType(out, v.etherType, b, o + v.headerLength, end);
}

function decodeByEtherType(out: Layer[], type: number, b: Uint8Array, o: number, end: number): void {
  switch (type) {
    case 0x0800:
      attempt(out, 'IP', b, o, end, decodeIpv4);
      return;
    case 0x86dd:
      attempt(out, 'IPv6', b, o, end, decodeIpv6);
      return;
    case 0x0806:
      attempt(out, 'ARP', b, o, end, decodeArp);
      return;
    default:
      pushRaw(out, b, o, end);
      return;
  }
}

function decodeByVersion(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const version = end > o ? b[o] >> 4 : 0;
  if (version === 4) {
    attempt(out, 'IP', b, o, end, decodeIpv4);
    return;
  }
  if (version === 6) {
    attempt(out, 'IPv6', b, o, end, decodeIpv6);
    return;
  }
  pushRaw(out, b, o, end);
}

function decodeArp(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const v = arp.checkedWrap(b, o, end - o);
  if (!v.isEthernetIpv4) {
    pushRaw(out, b, o, end);
    return;
  }
  out.push(ARPLayer.fromView(v));
  pushPadding(out, b, o + v.packetLength, end);
}

// ---- IPv4 ----

const ipv4 = new Ipv4View();

function decodeIpv4(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const v = ipv4.checkedWrap(b, o, end - o);
  const hl = v.headerLength;
  const total = v.totalLength;
  const layer = IPLayer.fromView(v);
  out.push(layer);
  // RFC 791 §3.2: only the first fragment (offset 0) starts with the upper-layer header.
  if (v.fragmentOffset !== 0) pushRaw(out, b, o + hl, o + total);
  else decodeByProtocol(out, v.protocol, b, o + hl, o + total);
  pushPadding(out, b, o + total, end);
}

/** An IPv4 header quoted by an ICMP error (RFC 792): often cut short, so its lengths are not checked. */
function decodeQuotedIpv4(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const v = ipv4.wrap(b, o, end - o);
  if (end - o < 20 || v.version !== 4 || v.headerLength < 20 || v.headerLength > end - o) {
    throw new WireError('truncated', 'icmp quote: not a whole IPv4 header');
  }
  const hl = v.headerLength;
  out.push(IPLayer.fromView(v));
  decodeQuotedTransport(out, v.protocol, b, o + hl, end);
}

// ---- IPv6 ----

const ipv6 = new Ipv6View();

function decodeIpv6(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const v = ipv6.checkedWrap(b, o, end - o);
  const packetEnd = v.end;
  out.push(IPv6Layer.fromView(v));
  decodeIpv6Chain(out, v.nextHeader, b, o + 40, packetEnd, false);
  pushPadding(out, b, packetEnd, end);
}

function decodeQuotedIpv6(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const v = ipv6.wrap(b, o, end - o);
  if (end - o < 40 || v.version !== 6)
    throw new WireError('truncated', 'icmpv6 quote: not a whole IPv6 header');
  out.push(IPv6Layer.fromView(v));
  decodeIpv6Chain(out, v.nextHeader, b, o + 40, end, true);
}

/** RFC 8200 §4: one layer per extension header, then the upper layer. */
function decodeIpv6Chain(
  out: Layer[],
  nextHeader: number,
  b: Uint8Array,
  o: number,
  end: number,
  quoted: boolean,
): void {
  let chain: ReturnType<typeof parseIpv6Extensions>;
  try {
    chain = parseIpv6Extensions(b, o, end, nextHeader);
  } catch (err) {
    if (!(err instanceof WireError)) throw err;
    attempt(out, 'IPv6 extension header', b, o, end, () => {
      throw err;
    });
    return;
  }
  let at = o;
  let fragmented = false;
  for (const h of chain.extensions) {
    const layer = extensionLayer(h, b[at], b[at + 1]);
    if (!layer) {
      pushRaw(out, b, at, end); // AH: kept raw
      return;
    }
    out.push(layer);
    if (h.kind === 'fragment' && h.fragmentOffset !== 0) fragmented = true;
    at += extensionLength(h);
  }
  if (fragmented) {
    pushRaw(out, b, at, end);
    return;
  }
  if (quoted) decodeQuotedTransport(out, chain.protocol, b, at, end);
  else decodeByProtocol(out, chain.protocol, b, at, end);
}

// ---- transports ----

const tcp = new TcpView();
const udp = new UdpView();
const icmp4 = new Icmpv4View();
const icmp6 = new Icmpv6View();

function decodeByProtocol(out: Layer[], protocol: number, b: Uint8Array, o: number, end: number): void {
  switch (protocol) {
    case 6:
      attempt(out, 'TCP', b, o, end, decodeTcp);
      return;
    case 17:
      attempt(out, 'UDP', b, o, end, decodeUdp);
      return;
    case 1:
      attempt(out, 'ICMP', b, o, end, decodeIcmp);
      return;
    case 58:
      attempt(out, 'ICMPv6', b, o, end, decodeIcmpv6);
      return;
    default:
      pushRaw(out, b, o, end);
      return;
  }
}

function decodeTcp(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const v = tcp.checkedWrap(b, o, end - o);
  out.push(TCPLayer.fromView(v));
  pushRaw(out, b, o + v.headerLength, end);
}

function decodeUdp(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const v = udp.checkedWrap(b, o, end - o);
  out.push(UDPLayer.fromView(v));
  pushRaw(out, b, o + 8, o + v.udpLength);
  // Bytes inside the IP payload but after the UDP length: kept as a trailer.
  pushPadding(out, b, o + v.udpLength, end);
}

function decodeIcmp(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const v = icmp4.checkedWrap(b, o, end - o);
  const layer = ICMPLayer.fromView(v);
  out.push(layer);
  if (layer.isError && end - o > 8) attempt(out, 'IP', b, o + 8, end, decodeQuotedIpv4);
  else pushRaw(out, b, o + 8, end);
}

function decodeIcmpv6(out: Layer[], b: Uint8Array, o: number, end: number): void {
  const v = icmp6.checkedWrap(b, o, end - o);
  const { layer, fixed } = icmpv6Layer(v, parseIcmpv6(v));
  out.push(layer);
  if (v.type < 128 && end - o > fixed) attempt(out, 'IPv6', b, o + fixed, end, decodeQuotedIpv6);
  else pushRaw(out, b, o + fixed, end);
}

/** The start of a transport header quoted by an ICMP error: UDP fits in 8 bytes, others stay Raw. */
function decodeQuotedTransport(out: Layer[], protocol: number, b: Uint8Array, o: number, end: number): void {
  if (protocol === 17 && end - o >= 8) {
    out.push(UDPLayer.fromView(udp.wrap(b, o, end - o)));
    pushRaw(out, b, o + 8, end);
    return;
  }
  if (protocol === 6 && end - o >= 20) {
    attempt(out, 'TCP', b, o, end, decodeTcp);
    return;
  }
  pushRaw(out, b, o, end);
}
