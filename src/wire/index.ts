// src/wire: every wire format as zero-copy views plus validated plain reprs.
export * from './addr.js';
export * from './arp.js';
export * from './bytes.js';
export * from './checksum.js';
export * from './errors.js';
export * from './ethernet.js';
export * from './icmp-header.js';
export * from './icmpv4.js';
export * from './icmpv6.js';
export * from './ipv4.js';
export * from './ipv4-options.js';
export * from './ipv6.js';
// Explicit: the packet parser wins over addr.ts's short alias for the address parser.
export { parseIpv6 } from './ipv6.js';
export * from './ipv6-ext.js';
export * from './ndp-options.js';
export * from './pcap.js';
export * from './pcap-link.js';
export * from './pcapng.js';
export * from './seq-number.js';
export * from './tcp.js';
export * from './tcp-options.js';
export * from './transport-view.js';
export * from './udp.js';
export * from './view.js';
