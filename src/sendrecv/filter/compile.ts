// Filter AST -> a predicate over the raw frame, evaluated the way libpcap's BPF code does: fixed
// offsets from the link header, IPv4 header length from the IHL field, port tests only on first
// fragments, and a read past the captured bytes rejects the packet (BPF returns 0). Nothing is
// allocated per packet: every node is a closure over constants reading the frame in place.
import type { Arith, Dir, FilterNode, LoadBase } from './ast.js';

/** True when the frame passes. `wireLength`: the length on the wire (`len`, less/greater). */
export type FramePredicate = (frame: Uint8Array, wireLength?: number) => boolean;
export type FilterLinkType = 'ethernet' | 'ip';

type Pred = (b: Uint8Array, n: number) => boolean;
type Num = (b: Uint8Array, n: number) => number;

/** Set by a read past the end or a division by zero: the whole filter rejects the frame. */
let aborted = false;

function u8(b: Uint8Array, o: number): number {
  if (o >= b.length) {
    aborted = true;
    return 0;
  }
  return b[o];
}
function u16(b: Uint8Array, o: number): number {
  if (o + 2 > b.length) {
    aborted = true;
    return 0;
  }
  return (b[o] << 8) | b[o + 1];
}
function u32(b: Uint8Array, o: number): number {
  if (o + 4 > b.length) {
    aborted = true;
    return 0;
  }
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

const ETHERTYPE = { ip: 0x0800, ip6: 0x86dd, arp: 0x0806, rarp: 0x8035 } as const;
const TCP = 6;
const UDP = 17;
const SCTP = 132;
const IPV6_FRAGMENT = 44;

export function compileAst(ast: FilterNode, linkType: FilterLinkType): FramePredicate {
  const pred = new Compiler(linkType).node(ast);
  return (frame, wireLength = frame.length) => {
    aborted = false;
    const ok = pred(frame, wireLength);
    return ok && !aborted;
  };
}

class Compiler {
  constructor(private readonly linkType: FilterLinkType) {}

  /** Where the network header starts for a primitive written with link-header length `link`. */
  private l3(link: number): number {
    return this.linkType === 'ip' ? 0 : link;
  }

  node(n: FilterNode): Pred {
    switch (n.kind) {
      case 'and': {
        const a = this.node(n.a);
        const b = this.node(n.b);
        return (x, len) => a(x, len) && b(x, len);
      }
      case 'or': {
        const a = this.node(n.a);
        const b = this.node(n.b);
        return (x, len) => a(x, len) || b(x, len);
      }
      case 'not': {
        const a = this.node(n.a);
        return (x, len) => !a(x, len);
      }
      case 'proto':
        return this.proto(n.proto, n.link);
      case 'ipproto':
        return n.family === 4 ? this.ip4Proto(n.link, n.proto) : this.ip6Proto(n.link, n.proto);
      case 'host':
      case 'net':
        return this.address(n.proto, n.dir, n.addr, n.kind === 'net' ? n.prefix : n.addr.length * 8, n.link);
      case 'ether':
        return this.etherAddress(n.dir, n.mac);
      case 'ethergroup':
        return this.etherGroup(n.group);
      case 'port':
        return this.port(n.proto, n.dir, n.lo, n.hi, n.link);
      case 'vlan':
        return this.vlan(n.id, n.link);
      case 'len': {
        const v = n.value;
        return n.op === 'less' ? (_x, len) => len <= v : (_x, len) => len >= v;
      }
      case 'rel':
        return this.relation(n.op, n.a, n.b);
    }
  }

  // ---- link and network types

  private etherType(type: number, link: number): Pred {
    if (this.linkType === 'ip') {
      // A raw-IP link has no type field: the version nibble says (libpcap on DLT_RAW).
      if (type === ETHERTYPE.ip) return (b) => (u8(b, 0) & 0xf0) === 0x40;
      if (type === ETHERTYPE.ip6) return (b) => (u8(b, 0) & 0xf0) === 0x60;
      return () => false;
    }
    const at = link - 2;
    return (b) => u16(b, at) === type;
  }

  private proto(p: string, link: number): Pred {
    switch (p) {
      case 'ip':
      case 'ip6':
      case 'arp':
      case 'rarp':
        return this.etherType(ETHERTYPE[p], link);
      case 'icmp':
        return this.ip4Proto(link, 1);
      case 'icmp6':
        return this.ip6Proto(link, 58);
      default: {
        const num = p === 'tcp' ? TCP : p === 'udp' ? UDP : SCTP;
        const v4 = this.ip4Proto(link, num);
        const v6 = this.ip6Proto(link, num);
        return (b, len) => v4(b, len) || v6(b, len);
      }
    }
  }

  /** RFC 791: the protocol field (no fragment test, as libpcap's `ip proto`). */
  private ip4Proto(link: number, proto: number): Pred {
    const isIp = this.etherType(ETHERTYPE.ip, link);
    const at = this.l3(link) + 9;
    return (b, len) => isIp(b, len) && u8(b, at) === proto;
  }

  /** RFC 8200: the next header, or the one after a fragment header (libpcap checks both). */
  private ip6Proto(link: number, proto: number): Pred {
    const isIp6 = this.etherType(ETHERTYPE.ip6, link);
    const nh = this.l3(link) + 6;
    const afterFragment = this.l3(link) + 40;
    return (b, len) => {
      if (!isIp6(b, len)) return false;
      const next = u8(b, nh);
      return next === proto || (next === IPV6_FRAGMENT && u8(b, afterFragment) === proto);
    };
  }

  // ---- addresses

  private address(proto: string, dir: Dir, addr: Uint8Array, prefix: number, link: number): Pred {
    const l3 = this.l3(link);
    if (addr.length === 16)
      return this.guarded(this.etherType(ETHERTYPE.ip6, link), dir, l3 + 8, l3 + 24, addr, prefix);
    const ip = this.guarded(this.etherType(ETHERTYPE.ip, link), dir, l3 + 12, l3 + 16, addr, prefix);
    // RFC 826 Ethernet/IPv4 ARP: sender protocol address at 14, target at 24.
    const arp = this.guarded(this.etherType(ETHERTYPE.arp, link), dir, l3 + 14, l3 + 24, addr, prefix);
    const rarp = this.guarded(this.etherType(ETHERTYPE.rarp, link), dir, l3 + 14, l3 + 24, addr, prefix);
    if (proto === 'ip') return ip;
    if (proto === 'arp') return arp;
    if (proto === 'rarp') return rarp;
    return (b, len) => ip(b, len) || arp(b, len) || rarp(b, len);
  }

  private guarded(
    guard: Pred,
    dir: Dir,
    srcAt: number,
    dstAt: number,
    addr: Uint8Array,
    prefix: number,
  ): Pred {
    const src = addressAt(srcAt, addr, prefix);
    const dst = addressAt(dstAt, addr, prefix);
    const test = direction(dir, src, dst);
    return (b, len) => guard(b, len) && test(b, len);
  }

  private etherAddress(dir: Dir, mac: Uint8Array): Pred {
    this.needEthernet('ether host');
    return direction(dir, addressAt(6, mac, 48), addressAt(0, mac, 48));
  }

  private etherGroup(group: 'broadcast' | 'multicast'): Pred {
    this.needEthernet(`ether ${group}`);
    if (group === 'multicast') return (b) => (u8(b, 0) & 1) === 1;
    const all = new Uint8Array(6).fill(0xff);
    return addressAt(0, all, 48);
  }

  private needEthernet(what: string): void {
    if (this.linkType !== 'ethernet') throw new TypeError(`"${what}" needs an Ethernet link`);
  }

  // ---- ports (RFC 793/768 header: source port, then destination port)

  private port(proto: string, dir: Dir, lo: number, hi: number, link: number): Pred {
    const isIp = this.etherType(ETHERTYPE.ip, link);
    const isIp6 = this.etherType(ETHERTYPE.ip6, link);
    const l3 = this.l3(link);
    const wanted = (p: number) =>
      proto === 'any'
        ? p === TCP || p === UDP || p === SCTP
        : p === (proto === 'tcp' ? TCP : proto === 'udp' ? UDP : SCTP);
    const inRange = (b: Uint8Array, at: number) => {
      const v = u16(b, at);
      return v >= lo && v <= hi;
    };
    const test = (b: Uint8Array, t: number) => {
      if (dir === 'src') return inRange(b, t);
      if (dir === 'dst') return inRange(b, t + 2);
      if (dir === 'src and dst') return inRange(b, t) && inRange(b, t + 2);
      return inRange(b, t) || inRange(b, t + 2);
    };
    return (b, len) => {
      if (isIp(b, len)) {
        // RFC 791 §3.2: only the first fragment carries the transport header.
        if (!wanted(u8(b, l3 + 9)) || (u16(b, l3 + 6) & 0x1fff) !== 0) return false;
        return test(b, l3 + (u8(b, l3) & 15) * 4);
      }
      return isIp6(b, len) && wanted(u8(b, l3 + 6)) && test(b, l3 + 40);
    };
  }

  private vlan(id: number | undefined, link: number): Pred {
    if (this.linkType !== 'ethernet') return () => false;
    const at = link - 2;
    return (b) => {
      const t = u16(b, at);
      if (t !== 0x8100 && t !== 0x88a8 && t !== 0x9100) return false;
      return id === undefined || (u16(b, link) & 0xfff) === id;
    };
  }

  // ---- relations

  private relation(op: string, a: Arith, b: Arith): Pred {
    const guards: Pred[] = [];
    const x = this.arith(a, guards);
    const y = this.arith(b, guards);
    const cmp = comparator(op);
    const guard = all(guards);
    return (f, len) => guard(f, len) && cmp(x(f, len), y(f, len));
  }

  private arith(e: Arith, guards: Pred[]): Num {
    switch (e.kind) {
      case 'num': {
        const v = e.value >>> 0;
        return () => v;
      }
      case 'len':
        return (_b, len) => len >>> 0;
      case 'neg': {
        const a = this.arith(e.a, guards);
        return (b, len) => -a(b, len) >>> 0;
      }
      case 'bin':
        return binary(e.op, this.arith(e.a, guards), this.arith(e.b, guards));
      case 'load':
        return this.load(e.base, this.arith(e.offset, guards), e.size, e.link, guards);
    }
  }

  /** proto[offset:size]: libpcap also requires the packet to be of that protocol. */
  private load(base: LoadBase, offset: Num, size: 1 | 2 | 4, link: number, guards: Pred[]): Num {
    const read = size === 1 ? u8 : size === 2 ? u16 : u32;
    const l3 = this.l3(link);
    switch (base) {
      case 'ether':
        this.needEthernet('ether[]');
        return (b, len) => read(b, offset(b, len));
      case 'ip':
      case 'ip6':
      case 'arp':
        guards.push(this.etherType(ETHERTYPE[base], link));
        return (b, len) => read(b, l3 + offset(b, len));
      case 'icmp6':
        guards.push(this.ip6Proto(link, 58));
        return (b, len) => read(b, l3 + 40 + offset(b, len));
      default: {
        // tcp[], udp[], icmp[]: after the IPv4 header (its IHL), first fragments only.
        guards.push(this.proto(base, link), (b) => (u16(b, l3 + 6) & 0x1fff) === 0);
        return (b, len) => read(b, l3 + (u8(b, l3) & 15) * 4 + offset(b, len));
      }
    }
  }
}

function addressAt(at: number, addr: Uint8Array, prefix: number): Pred {
  const whole = prefix >> 3;
  const rest = prefix & 7;
  const mask = (0xff00 >> rest) & 0xff;
  const last = addr[whole] ?? 0;
  return (b) => {
    if (at + addr.length > b.length) {
      aborted = true;
      return false;
    }
    for (let i = 0; i < whole; i++) if (b[at + i] !== addr[i]) return false;
    return rest === 0 || (b[at + whole] & mask) === (last & mask);
  };
}

function direction(dir: Dir, src: Pred, dst: Pred): Pred {
  if (dir === 'src') return src;
  if (dir === 'dst') return dst;
  if (dir === 'src and dst') return (b, len) => src(b, len) && dst(b, len);
  return (b, len) => src(b, len) || dst(b, len);
}

function all(preds: Pred[]): Pred {
  if (preds.length === 0) return () => true;
  return (b, len) => {
    for (let i = 0; i < preds.length; i++) if (!preds[i](b, len)) return false;
    return true;
  };
}

function comparator(op: string): (x: number, y: number) => boolean {
  switch (op) {
    case '=':
      return (x, y) => x === y;
    case '!=':
      return (x, y) => x !== y;
    case '<':
      return (x, y) => x < y;
    case '>':
      return (x, y) => x > y;
    case '<=':
      return (x, y) => x <= y;
    default:
      return (x, y) => x >= y;
  }
}

/** BPF ALU semantics: 32-bit unsigned; division by zero rejects the packet. */
function binary(op: string, a: Num, b: Num): Num {
  switch (op) {
    case '+':
      return (f, n) => (a(f, n) + b(f, n)) >>> 0;
    case '-':
      return (f, n) => (a(f, n) - b(f, n)) >>> 0;
    case '*':
      return (f, n) => Math.imul(a(f, n), b(f, n)) >>> 0;
    case '/':
    case '%':
      return (f, n) => {
        const x = a(f, n);
        const y = b(f, n);
        if (y === 0) {
          aborted = true;
          return 0;
        }
        return op === '/' ? Math.floor(x / y) : x % y;
      };
    case '&':
      return (f, n) => (a(f, n) & b(f, n)) >>> 0;
    case '|':
      return (f, n) => (a(f, n) | b(f, n)) >>> 0;
    case '^':
      return (f, n) => (a(f, n) ^ b(f, n)) >>> 0;
    case '<<':
      return (f, n) => {
        const s = b(f, n);
        return s >= 32 ? 0 : (a(f, n) << s) >>> 0;
      };
    default:
      return (f, n) => {
        const s = b(f, n);
        return s >= 32 ? 0 : a(f, n) >>> s;
      };
  }
}
