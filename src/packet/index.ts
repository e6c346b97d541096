// src/packet: the Scapy-style layer model, dissection, show/summary/hexdump, tcpdump lines, pcap files.
export { BuildContext } from './build-context.js';
export { dissect, type LinkTypeInput, linkTypeNumber } from './dissect.js';
export { hexdump, tcpdumpHex } from './hexdump.js';
export {
  type FieldKind,
  type FieldSpec,
  Layer,
  type LayerFactory,
  type LayerType,
  layerFactory,
} from './layer.js';
export { ARP, type ARPFields, ARPLayer } from './layers/arp.js';
export { Dot1Q, type Dot1QFields, Dot1QLayer, Ether, type EtherFields, EtherLayer } from './layers/ether.js';
export { ICMP, type ICMPFields, ICMPLayer } from './layers/icmp.js';
export * from './layers/icmpv6.js';
export { IP, type IPFields, IPLayer, IpFlag, ipFlagsToString, parseIpFlags } from './layers/ip.js';
export {
  IPv6,
  IPv6ExtHdr,
  IPv6ExtHdrDestOpt,
  IPv6ExtHdrDestOpt as DestOpts,
  IPv6ExtHdrFragment,
  IPv6ExtHdrFragment as Fragment,
  IPv6ExtHdrHopByHop,
  IPv6ExtHdrHopByHop as HopByHop,
  IPv6ExtHdrRouting,
  IPv6ExtHdrRouting as Routing,
  type IPv6Fields,
  IPv6Layer,
} from './layers/ipv6.js';
export { Padding, PaddingLayer, Raw, type RawFields, RawLayer } from './layers/raw.js';
export { parseTcpFlags, TCP, type TCPFields, TCPLayer, tcpFlagsToScapy } from './layers/tcp.js';
export type { ScapyTcpOption, TcpOptionInput } from './layers/tcp-options.js';
export { UDP, type UDPFields, UDPLayer } from './layers/udp.js';
export { Packet, type PacketTime } from './packet.js';
export { readPcap, type WritePcapOptions, writePcap } from './pcap.js';
export { TcpdumpFormatter, type TcpdumpOptions } from './tcpdump/formatter.js';
export { TcpSeqTracker } from './tcpdump/tcp-seq.js';
export { type TimestampFormat, TimestampPrinter } from './tcpdump/timestamp.js';
