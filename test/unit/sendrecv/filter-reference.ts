// For the property test: random packets, and random filter expressions that carry their own
// meaning as a plain function over the dissected packet (written from pcap-filter(7) and libpcap's
// rules, independently of the compiler under test).
import fc from 'fast-check';
import {
  ARP,
  ARPLayer,
  Ether,
  type EtherLayer,
  ICMP,
  ICMPLayer,
  ICMPv6EchoRequest,
  IP,
  IPLayer,
  IPv6,
  IPv6ExtHdrFragment,
  IPv6Layer,
  type Packet,
  Raw,
  TCP,
  TCPLayer,
  UDP,
  UDPLayer,
} from '../../../src/packet/index.js';
import { FragmentLayer } from '../../../src/packet/layers/ipv6.js';
import { parseIpv4Address, parseIpv6Address } from '../../../src/wire/addr.js';

const MACS = ['02:00:00:00:00:01', '02:00:00:00:00:02', 'ff:ff:ff:ff:ff:ff', '33:33:00:00:00:01'];
const V4 = ['10.0.0.1', '10.0.0.2', '10.1.2.3', '192.168.1.1'];
const V6 = ['fd00::1', 'fd00::2', 'fe80::1', '2001:db8::5'];
const PORTS = [22, 53, 80, 443, 8000, 40000];
const NETS = [
  '10.0.0.0/8',
  '10.0.0.0/24',
  '10.0.0.0/31',
  '192.168.0.0/16',
  'fd00::/16',
  'fe80::/10',
  'fd00::2/128',
];

const pick = <T>(xs: readonly T[]) => fc.constantFrom(...xs);

// ---- packets

export const randomPacket: fc.Arbitrary<Packet> = fc
  .record({
    kind: pick([
      'ip-tcp',
      'ip-udp',
      'ip-icmp',
      'ip-later-frag',
      'ip-first-frag',
      'ip6-tcp',
      'ip6-udp',
      'ip6-icmp6',
      'ip6-frag-tcp',
      'arp',
    ]),
    esrc: pick(MACS),
    edst: pick(MACS),
    s4: pick(V4),
    d4: pick(V4),
    s6: pick(V6),
    d6: pick(V6),
    sport: pick(PORTS),
    dport: pick(PORTS),
    flags: fc.integer({ min: 0, max: 255 }),
    icmpType: pick([0, 3, 8, 11]),
    ttl: pick([1, 32, 64, 255]),
    options: fc.boolean(),
    payload: fc.integer({ min: 0, max: 60 }),
  })
  .map((r) => {
    const eth = Ether({ src: r.esrc, dst: r.edst });
    const load = Raw({ load: new Uint8Array(r.payload).fill(0x61) });
    const ip = (f: Parameters<typeof IP>[0] = {}) =>
      IP({
        src: r.s4,
        dst: r.d4,
        ttl: r.ttl,
        options: r.options ? Uint8Array.of(1, 1, 1, 1) : undefined,
        ...f,
      });
    const ip6 = IPv6({ src: r.s6, dst: r.d6, hlim: r.ttl });
    const tcp = TCP({ sport: r.sport, dport: r.dport, flags: r.flags });
    const udp = UDP({ sport: r.sport, dport: r.dport });
    switch (r.kind) {
      case 'ip-tcp':
        return eth.over(ip()).over(tcp).over(load);
      case 'ip-udp':
        return eth.over(ip()).over(udp).over(load);
      case 'ip-icmp':
        return eth
          .over(ip())
          .over(ICMP({ type: r.icmpType }))
          .over(load);
      case 'ip-later-frag':
        return eth.over(ip({ proto: 6, frag: 3 })).over(Raw({ load: new Uint8Array(24) }));
      case 'ip-first-frag':
        return eth
          .over(ip({ flags: 'MF' }))
          .over(tcp)
          .over(load);
      case 'ip6-tcp':
        return eth.over(ip6).over(tcp).over(load);
      case 'ip6-udp':
        return eth.over(ip6).over(udp).over(load);
      case 'ip6-icmp6':
        return eth
          .over(ip6)
          .over(ICMPv6EchoRequest({ id: 1 }))
          .over(load);
      case 'ip6-frag-tcp':
        return eth
          .over(ip6)
          .over(IPv6ExtHdrFragment({ m: true }))
          .over(tcp);
      default:
        return eth.over(ARP({ op: r.flags & 1 ? 1 : 2, psrc: r.s4, pdst: r.d4, hwsrc: r.esrc }));
    }
  });

// ---- what the reference looks at in a dissected packet

interface View {
  eth: EtherLayer;
  ip4?: IPLayer;
  ip6?: IPv6Layer;
  arp?: ARPLayer;
  /** IPv6 next header, and the one after a fragment header. */
  nh?: number;
  fragNh?: number;
  tcp?: TCPLayer;
  udp?: UDPLayer;
  icmp?: ICMPLayer;
  length: number;
}

export function view(pkt: Packet): View {
  const l = pkt.layers;
  const v: View = { eth: l[0] as EtherLayer, length: pkt.original?.length ?? 0 };
  const n = l[1];
  if (n instanceof IPLayer) v.ip4 = n;
  if (n instanceof IPv6Layer) {
    v.ip6 = n;
    v.nh = n.nh;
    if (l[2] instanceof FragmentLayer) v.fragNh = l[2].nh;
  }
  if (n instanceof ARPLayer) v.arp = n;
  // Only the transport directly above the IP header (libpcap does not walk IPv6 extension headers).
  const t = l[2];
  if (t instanceof TCPLayer) v.tcp = t;
  if (t instanceof UDPLayer) v.udp = t;
  if (t instanceof ICMPLayer) v.icmp = t;
  return v;
}

// ---- expressions

export interface Expr {
  text: string;
  ref: (v: View) => boolean;
}

type Dir = '' | 'src ' | 'dst ' | 'src or dst ' | 'src and dst ';
const DIRS: Dir[] = ['', 'src ', 'dst ', 'src or dst ', 'src and dst '];

function byDir(dir: Dir, src: () => boolean, dst: () => boolean): boolean {
  if (dir === 'src ') return src();
  if (dir === 'dst ') return dst();
  if (dir === 'src and dst ') return src() && dst();
  return src() || dst();
}

const ip6Proto = (v: View, p: number) =>
  v.ip6 !== undefined && (v.nh === p || (v.nh === 44 && v.fragNh === p));
const ip4Proto = (v: View, p: number) => v.ip4 !== undefined && v.ip4.proto === p;
const firstFragment = (v: View) => v.ip4 !== undefined && v.ip4.frag === 0;

function inNet(addr: string, net: string): boolean {
  const [a, len] = net.split('/');
  const v6 = a.includes(':');
  if (v6 !== addr.includes(':')) return false;
  const x = v6 ? parseIpv6Address(addr) : parseIpv4Address(addr);
  const y = v6 ? parseIpv6Address(a) : parseIpv4Address(a);
  const bits = Number(len);
  for (let i = 0; i < bits; i++) {
    const m = 0x80 >> (i & 7);
    if ((x[i >> 3] & m) !== (y[i >> 3] & m)) return false;
  }
  return true;
}

const protoExpr = pick<Expr>([
  { text: 'tcp', ref: (v) => ip4Proto(v, 6) || ip6Proto(v, 6) },
  { text: 'udp', ref: (v) => ip4Proto(v, 17) || ip6Proto(v, 17) },
  { text: 'icmp', ref: (v) => ip4Proto(v, 1) },
  { text: 'icmp6', ref: (v) => ip6Proto(v, 58) },
  { text: 'arp', ref: (v) => v.arp !== undefined },
  { text: 'ip', ref: (v) => v.ip4 !== undefined },
  { text: 'ip6', ref: (v) => v.ip6 !== undefined },
  { text: 'ip proto 6', ref: (v) => ip4Proto(v, 6) },
  { text: 'ip6 proto 6', ref: (v) => ip6Proto(v, 6) },
  { text: 'ether broadcast', ref: (v) => v.eth.dst === 'ff:ff:ff:ff:ff:ff' },
  { text: 'ether multicast', ref: (v) => (Number.parseInt(v.eth.dst.slice(0, 2), 16) & 1) === 1 },
  {
    text: 'tcp[tcpflags] & tcp-syn != 0',
    ref: (v) => ip4Proto(v, 6) && firstFragment(v) && ((v.tcp?.flags ?? 0) & 2) !== 0,
  },
  {
    text: 'tcp[13] & (tcp-fin|tcp-ack) = 0x11',
    ref: (v) => ip4Proto(v, 6) && firstFragment(v) && ((v.tcp?.flags ?? 0) & 0x11) === 0x11,
  },
  {
    text: 'icmp[icmptype] = icmp-echo',
    ref: (v) => ip4Proto(v, 1) && firstFragment(v) && v.icmp?.type === 8,
  },
  { text: 'ip[8] > 32', ref: (v) => v.ip4 !== undefined && v.ip4.ttl > 32 },
]);

const hostExpr: fc.Arbitrary<Expr> = fc
  .record({ dir: pick(DIRS), addr: pick([...V4, ...V6]), qual: pick(['', 'ip ', 'arp ']) })
  .map(({ dir, addr, qual }) => {
    const v6 = addr.includes(':');
    const q = v6 ? (qual === '' ? '' : 'ip6 ') : qual;
    const text = `${q}${dir}host ${addr}`;
    const ref = (v: View) => {
      const ip = v6 ? v.ip6 : v.ip4;
      const viaIp =
        q !== 'arp ' &&
        ip !== undefined &&
        byDir(
          dir,
          () => ip.src === addr,
          () => ip.dst === addr,
        );
      const a = v.arp;
      const viaArp =
        !v6 &&
        (q === '' || q === 'arp ') &&
        a !== undefined &&
        byDir(
          dir,
          () => a.psrc === addr,
          () => a.pdst === addr,
        );
      return viaIp || viaArp;
    };
    return { text, ref };
  });

const netExpr: fc.Arbitrary<Expr> = fc.record({ dir: pick(DIRS), net: pick(NETS) }).map(({ dir, net }) => ({
  text: `${dir}net ${net}`,
  ref: (v: View) => {
    const ip = net.includes(':') ? v.ip6 : v.ip4;
    if (ip)
      return byDir(
        dir,
        () => inNet(ip.src, net),
        () => inNet(ip.dst, net),
      );
    const a = v.arp;
    return (
      !net.includes(':') &&
      a !== undefined &&
      byDir(
        dir,
        () => inNet(a.psrc, net),
        () => inNet(a.pdst, net),
      )
    );
  },
}));

const portExpr: fc.Arbitrary<Expr> = fc
  .record({ dir: pick(DIRS), proto: pick(['', 'tcp ', 'udp ']), port: pick(PORTS), range: fc.boolean() })
  .map(({ dir, proto, port, range }) => {
    const lo = range ? 20 : port;
    const hi = range ? 100 : port;
    const text = `${proto}${dir}${range ? 'portrange 20-100' : `port ${port}`}`;
    const ref = (v: View) => {
      const t = proto === 'udp ' ? undefined : v.tcp;
      const u = proto === 'tcp ' ? undefined : v.udp;
      const l4 = t ?? u;
      if (!l4) return false;
      if (v.ip4 && !firstFragment(v)) return false;
      if (v.ip6 && v.nh !== 6 && v.nh !== 17) return false;
      const ok = (p: number) => p >= lo && p <= hi;
      return byDir(
        dir,
        () => ok(l4.sport),
        () => ok(l4.dport),
      );
    };
    return { text, ref };
  });

const etherExpr: fc.Arbitrary<Expr> = fc
  .record({ dir: pick(['host ', 'src ', 'dst ']), mac: pick(MACS) })
  .map(({ dir, mac }) => ({
    text: `ether ${dir}${mac}`,
    ref: (v: View) =>
      dir === 'src '
        ? v.eth.src === mac
        : dir === 'dst '
          ? v.eth.dst === mac
          : v.eth.src === mac || v.eth.dst === mac,
  }));

const lengthExpr: fc.Arbitrary<Expr> = fc
  .record({ op: pick(['less', 'greater']), n: pick([60, 80, 100]) })
  .map(({ op, n }) => ({
    text: `${op} ${n}`,
    ref: (v: View) => (op === 'less' ? v.length <= n : v.length >= n),
  }));

const primitive = fc.oneof(protoExpr, hostExpr, netExpr, portExpr, etherExpr, lengthExpr);

export const randomExpr: fc.Arbitrary<Expr> = fc.letrec<{ e: Expr }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitive,
    fc.record({ a: tie('e'), b: tie('e'), op: pick(['and', 'or', '&&', '||']) }).map(({ a, b, op }) => ({
      text: `(${a.text}) ${op} (${b.text})`,
      ref:
        op === 'and' || op === '&&' ? (v: View) => a.ref(v) && b.ref(v) : (v: View) => a.ref(v) || b.ref(v),
    })),
    fc
      .record({ a: tie('e'), op: pick(['not ', '!']) })
      .map(({ a, op }) => ({ text: `${op}(${a.text})`, ref: (v: View) => !a.ref(v) })),
  ),
})).e;
