// Turns a captured frame (any pcap link type) into the analyzer's TcpPacketInfo, using src/wire's
// views. Returns undefined for anything that is not a complete TCP segment (ARP, UDP, ICMP,
// non-first IPv4 fragments). Throws only WireError for malformed headers (callers count and drop).
import {
  EthernetView,
  Ipv4View,
  Ipv6View,
  LinkType,
  linkPayload,
  newTcpOptionSummary,
  TcpView,
  type UpperLayer,
} from '../wire/index.js';
import type { TcpPacketInfo, TcpPacketOptions } from './packet-info.js';

const ETHERTYPE_IPV4 = 0x0800;
const ETHERTYPE_IPV6 = 0x86dd;
const PROTO_TCP = 6;
/** Payload bytes kept for HTTP request/status-line hints. */
export const PAYLOAD_HEAD_BYTES = 96;

// Re-pointed for every frame: the parse itself allocates nothing but the result.
const ethernet = new EthernetView();
const ipv4 = new Ipv4View();
const ipv6 = new Ipv6View();
const tcp = new TcpView();
const upper: UpperLayer = { protocol: 0, offset: 0, fragmentHeaderOffset: -1 };
const optionSummary = newTcpOptionSummary();

interface Network {
  src: string;
  dst: string;
  offset: number;
  length: number;
}

/** Locates the IP header after the link header; undefined for non-IP frames. */
function networkStart(data: Uint8Array, linkType: number): { etherType: number; offset: number } | undefined {
  const link = linkPayload(linkType, data);
  if (linkType !== LinkType.Ethernet) return link.etherType < 0 ? undefined : link;
  ethernet.checkedWrap(data, 0, data.length);
  return { etherType: ethernet.etherType, offset: ethernet.payloadOffset };
}

/** The TCP segment's position inside the IP packet, or undefined when it is not (complete) TCP. */
function locateTcp(data: Uint8Array, etherType: number, offset: number): Network | undefined {
  if (etherType === ETHERTYPE_IPV4) {
    ipv4.checkedWrap(data, offset, data.length - offset);
    if (ipv4.protocol !== PROTO_TCP || ipv4.fragmentOffset !== 0 || ipv4.moreFragments) return undefined;
    return { src: ipv4.src, dst: ipv4.dst, offset: ipv4.payloadOffset, length: ipv4.payloadLength };
  }
  if (etherType === ETHERTYPE_IPV6) {
    ipv6.checkedWrap(data, offset, data.length - offset);
    ipv6.upperLayer(upper);
    if (upper.protocol !== PROTO_TCP || upper.fragmentHeaderOffset >= 0) return undefined;
    return { src: ipv6.src, dst: ipv6.dst, offset: upper.offset, length: ipv6.end - upper.offset };
  }
  return undefined;
}

function optionsOf(view: TcpView): TcpPacketOptions | undefined {
  if (!view.readOptionsInto(optionSummary)) return undefined;
  const o = optionSummary;
  const options: TcpPacketOptions = {};
  if (o.hasMss) options.mss = o.mss;
  if (o.hasWindowScale) options.wscale = o.windowScale;
  if (o.sackPermitted) options.sackPermitted = true;
  if (o.sackCount > 0) {
    options.sackBlocks = o.sackBlocks.slice(0, o.sackCount).map((b) => [b.left, b.right] as const);
  }
  if (o.hasTimestamps) options.timestamp = { value: o.tsVal, echo: o.tsEcr };
  return options;
}

/**
 * Parses one frame. `timeMs` is the capture time in milliseconds.
 * Link types: Ethernet, raw IP, IPv4, IPv6, BSD loopback, Linux cooked (see src/wire/pcap-link.ts).
 */
export function tcpInfoFromFrame(
  data: Uint8Array,
  linkType: number,
  timeMs: number,
): TcpPacketInfo | undefined {
  const start = networkStart(data, linkType);
  if (!start) return undefined;
  const net = locateTcp(data, start.etherType, start.offset);
  if (!net) return undefined;
  tcp.checkedWrap(data, net.offset, net.length);
  const payloadLength = tcp.payloadLength;
  const info: TcpPacketInfo = {
    time: timeMs,
    src: net.src,
    dst: net.dst,
    sport: tcp.srcPort,
    dport: tcp.dstPort,
    seq: tcp.seq,
    ack: tcp.ack,
    flags: tcp.flags & 0xff,
    window: tcp.window,
    payloadLength,
  };
  const options = optionsOf(tcp);
  if (options) info.options = options;
  if (payloadLength > 0) {
    const from = tcp.payloadOffset;
    info.payloadHead = data.slice(from, from + Math.min(payloadLength, PAYLOAD_HEAD_BYTES));
  }
  return info;
}
