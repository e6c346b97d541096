// The parsed form of a tcpdump-style filter (pcap-filter(7) subset). Each primitive records the
// link-header length in force where it was written: `vlan` shifts it by 4 for everything after it,
// as libpcap does.

export type Dir = 'src' | 'dst' | 'src or dst' | 'src and dst';
/** Which headers an address primitive looks at: `host X` checks IP and ARP, `ip host X` only IP. */
export type AddrProto = 'default' | 'ip' | 'ip6' | 'arp' | 'rarp';
export type ProtoName = 'ip' | 'ip6' | 'arp' | 'rarp' | 'tcp' | 'udp' | 'icmp' | 'icmp6' | 'sctp';
export type LoadBase = 'ether' | 'ip' | 'ip6' | 'arp' | 'tcp' | 'udp' | 'icmp' | 'icmp6';
export type RelOp = '=' | '!=' | '<' | '>' | '<=' | '>=';
export type ArithOp = '+' | '-' | '*' | '/' | '%' | '&' | '|' | '^' | '<<' | '>>';

export type FilterNode =
  | { kind: 'and' | 'or'; a: FilterNode; b: FilterNode }
  | { kind: 'not'; a: FilterNode }
  | { kind: 'proto'; proto: ProtoName; link: number }
  | { kind: 'ipproto'; family: 4 | 6; proto: number; link: number }
  | { kind: 'host'; proto: AddrProto; dir: Dir; addr: Uint8Array; link: number }
  | { kind: 'net'; proto: AddrProto; dir: Dir; addr: Uint8Array; prefix: number; link: number }
  | { kind: 'ether'; dir: Dir; mac: Uint8Array }
  | { kind: 'ethergroup'; group: 'broadcast' | 'multicast' }
  | { kind: 'port'; proto: 'tcp' | 'udp' | 'sctp' | 'any'; dir: Dir; lo: number; hi: number; link: number }
  | { kind: 'vlan'; id: number | undefined; link: number }
  | { kind: 'len'; op: 'less' | 'greater'; value: number }
  | { kind: 'rel'; op: RelOp; a: Arith; b: Arith };

export type Arith =
  | { kind: 'num'; value: number }
  | { kind: 'len' }
  | { kind: 'load'; base: LoadBase; offset: Arith; size: 1 | 2 | 4; link: number }
  | { kind: 'bin'; op: ArithOp; a: Arith; b: Arith }
  | { kind: 'neg'; a: Arith };
