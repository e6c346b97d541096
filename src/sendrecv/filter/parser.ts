// Recursive-descent parser for tcpdump-style filters (pcap-filter(7)): primitives with qualifiers
// ([proto] [dir] [type] id), protocol names, `vlan`, `less`/`greater`, byte-level relations
// (`tcp[tcpflags] & tcp-syn != 0`), and/or/not with parentheses, `&&`, `||`, `!`. As in libpcap,
// a bare id after and/or reuses the previous qualifiers: `port 80 or 443`.
import type { AddrProto, Arith, ArithOp, Dir, FilterNode, LoadBase, ProtoName, RelOp } from './ast.js';
import { FilterSyntaxError } from './errors.js';
import { addressBytes, IP_PROTOCOLS, isIpv4, isMac, macBytes, parseNumber, portNumber } from './ids.js';
import { type Token, tokenize } from './lexer.js';

const PROTOS = new Set(['ether', 'ip', 'ip6', 'arp', 'rarp', 'tcp', 'udp', 'icmp', 'icmp6', 'sctp']);
const TYPE_LIST = ['host', 'net', 'port', 'portrange'];
const TYPES = new Set(TYPE_LIST);
const KEYWORDS = new Set([
  ...PROTOS,
  ...TYPES,
  'src',
  'dst',
  'and',
  'or',
  'not',
  'vlan',
  'less',
  'greater',
  'len',
  'proto',
  'broadcast',
  'multicast',
  'mask',
]);
const LOAD_BASES = new Set(['ether', 'ip', 'ip6', 'arp', 'tcp', 'udp', 'icmp', 'icmp6']);
const REL_OPS = new Set(['=', '==', '!=', '<', '>', '<=', '>=']);

/** pcap-filter(7) named constants usable in relations. */
const CONSTANTS: Readonly<Record<string, number>> = {
  tcpflags: 13,
  'tcp-fin': 0x01,
  'tcp-syn': 0x02,
  'tcp-rst': 0x04,
  'tcp-push': 0x08,
  'tcp-ack': 0x10,
  'tcp-urg': 0x20,
  'tcp-ece': 0x40,
  'tcp-cwr': 0x80,
  icmptype: 0,
  icmpcode: 1,
  'icmp-echoreply': 0,
  'icmp-unreach': 3,
  'icmp-sourcequench': 4,
  'icmp-redirect': 5,
  'icmp-echo': 8,
  'icmp-routeradvert': 9,
  'icmp-routersolicit': 10,
  'icmp-timxceed': 11,
  'icmp-paramprob': 12,
  'icmp-tstamp': 13,
  'icmp-tstampreply': 14,
  'icmp-ireq': 15,
  'icmp-ireqreply': 16,
  'icmp-maskreq': 17,
  'icmp-maskreply': 18,
  icmp6type: 0,
  icmp6code: 1,
  'icmp6-destinationunreach': 1,
  'icmp6-packettoobig': 2,
  'icmp6-timeexceeded': 3,
  'icmp6-parameterproblem': 4,
  'icmp6-echo': 128,
  'icmp6-echoreply': 129,
  'icmp6-routersolicit': 133,
  'icmp6-routeradvert': 134,
  'icmp6-neighborsolicit': 135,
  'icmp6-neighboradvert': 136,
  'icmp6-redirect': 137,
};

interface Qualifiers {
  proto: string | undefined;
  dir: Dir;
  type: string;
}

/** Link-header length of an Ethernet frame; raw-IP links use 0 (set by the compiler). */
export const ETHERNET_LINK = 14;

export function parseFilter(expr: string): FilterNode {
  return new Parser(expr).parse();
}

class Parser {
  private readonly tokens: Token[];
  private i = 0;
  private link = ETHERNET_LINK;
  private last: Qualifiers | undefined;

  constructor(private readonly expr: string) {
    this.tokens = tokenize(expr);
  }

  parse(): FilterNode {
    if (this.peek().kind === 'end') throw this.error('empty filter expression', this.peek());
    const node = this.orExpr();
    const t = this.peek();
    if (t.kind !== 'end') throw this.error(`unexpected ${describe(t)}`, t);
    return node;
  }

  // ---- tokens

  private peek(ahead = 0): Token {
    return this.tokens[Math.min(this.i + ahead, this.tokens.length - 1)];
  }
  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.i++;
    return t;
  }
  private is(text: string, ahead = 0): boolean {
    const t = this.peek(ahead);
    return t.kind !== 'end' && t.text === text;
  }
  private accept(...texts: string[]): boolean {
    if (texts.some((x) => this.is(x))) {
      this.i++;
      return true;
    }
    return false;
  }
  private expect(text: string, what: string): void {
    if (!this.accept(text)) throw this.error(`expected ${what}, got ${describe(this.peek())}`, this.peek());
  }
  private error(reason: string, t: Token): FilterSyntaxError {
    return new FilterSyntaxError(reason, this.expr, t.pos);
  }

  // ---- boolean structure

  private orExpr(): FilterNode {
    let a = this.andExpr();
    while (this.accept('or', '||')) a = { kind: 'or', a, b: this.andExpr() };
    return a;
  }
  private andExpr(): FilterNode {
    let a = this.unary();
    while (this.accept('and', '&&')) a = { kind: 'and', a, b: this.unary() };
    return a;
  }
  private unary(): FilterNode {
    if (this.accept('not', '!')) return { kind: 'not', a: this.unary() };
    if (this.is('(')) return this.parenthesized();
    return this.primitive();
  }

  /** `(` starts either a group of primitives or an arithmetic operand: try the relation first. */
  private parenthesized(): FilterNode {
    const mark = this.i;
    const link = this.link;
    try {
      return this.relation();
    } catch (err) {
      if (!(err instanceof FilterSyntaxError)) throw err;
      this.i = mark;
      this.link = link;
    }
    this.next();
    const inner = this.orExpr();
    this.expect(')', "')'");
    return inner;
  }

  // ---- primitives

  private primitive(): FilterNode {
    const t = this.peek();
    if (t.kind !== 'word') throw this.error(`expected a filter primitive, got ${describe(t)}`, t);
    const word = t.text;
    if (word === 'less' || word === 'greater') {
      this.next();
      return { kind: 'len', op: word, value: this.number('a length') };
    }
    if (word === 'vlan') return this.vlan();
    if (word === 'len' || (parseNumber(word) !== undefined && this.startsRelation())) return this.relation();
    if (PROTOS.has(word)) {
      if (this.is('[', 1)) return this.relation();
      this.next();
      return this.afterProto(word, t);
    }
    if (word === 'src' || word === 'dst' || TYPES.has(word)) return this.qualified(undefined);
    if (this.last && !KEYWORDS.has(word)) return this.build(this.last, this.next());
    if (parseNumber(word) !== undefined) return this.relation();
    if (CONSTANTS[word] !== undefined) return this.relation();
    throw this.error(`unknown keyword ${JSON.stringify(word)}`, t);
  }

  private startsRelation(): boolean {
    const t = this.peek(1);
    return (
      t.kind === 'punct' &&
      t.text !== '(' &&
      t.text !== ')' &&
      t.text !== '!' &&
      t.text !== '&&' &&
      t.text !== '||'
    );
  }

  private vlan(): FilterNode {
    this.next();
    const t = this.peek();
    let id: number | undefined;
    if (t.kind === 'word' && parseNumber(t.text) !== undefined && !this.startsRelation()) {
      id = this.number('a VLAN id');
      if (id > 4095) throw this.error('VLAN id must be 0-4095', t);
    }
    const node: FilterNode = { kind: 'vlan', id, link: this.link };
    // pcap-filter(7): the first `vlan` moves the decoding offsets of the rest of the expression.
    this.link += 4;
    return node;
  }

  private afterProto(proto: string, t: Token): FilterNode {
    if (this.is('proto') && (proto === 'ip' || proto === 'ip6')) {
      this.next();
      return {
        kind: 'ipproto',
        family: proto === 'ip' ? 4 : 6,
        proto: this.protocolNumber(),
        link: this.link,
      };
    }
    if (proto === 'ether' && (this.is('broadcast') || this.is('multicast'))) {
      return { kind: 'ethergroup', group: this.next().text as 'broadcast' | 'multicast' };
    }
    if (this.is('src') || this.is('dst') || TYPE_LIST.some((x) => this.is(x))) return this.qualified(proto);
    if (proto === 'ether') throw this.error('"ether" needs host, src or dst and a MAC address', t);
    return { kind: 'proto', proto: proto as ProtoName, link: this.link };
  }

  private qualified(proto: string | undefined): FilterNode {
    let dir: Dir = 'src or dst';
    if (this.is('src') || this.is('dst')) {
      const first = this.next().text as 'src' | 'dst';
      dir = first;
      const joined = this.peek();
      if ((joined.text === 'or' || joined.text === 'and') && this.is(first === 'src' ? 'dst' : 'src', 1)) {
        this.i += 2;
        dir = joined.text === 'or' ? 'src or dst' : 'src and dst';
      }
    }
    let type = 'host';
    if (TYPE_LIST.some((x) => this.is(x))) type = this.next().text;
    const q: Qualifiers = { proto, dir, type };
    const id = this.peek();
    if (id.kind !== 'word' || (KEYWORDS.has(id.text) && id.text !== 'len')) {
      throw this.error(`expected ${idName(type)} after "${type}", got ${describe(id)}`, id);
    }
    this.last = q;
    return this.build(q, this.next());
  }

  private build(q: Qualifiers, id: Token): FilterNode {
    switch (q.type) {
      case 'port':
      case 'portrange':
        return this.port(q, id);
      case 'net':
        return this.net(q, id);
      default:
        return this.host(q, id);
    }
  }

  private host(q: Qualifiers, id: Token): FilterNode {
    if (q.proto === 'ether' || isMac(id.text)) {
      if (q.proto !== 'ether' && q.proto !== undefined) {
        throw this.error(`a MAC address is for "ether host", not "${q.proto} host"`, id);
      }
      if (!isMac(id.text)) throw this.error(`${JSON.stringify(id.text)} is not a MAC address`, id);
      return { kind: 'ether', dir: q.dir, mac: macBytes(id.text) };
    }
    const addr = addressBytes(id.text);
    if (addr === undefined) {
      const hint = /^[a-z]/i.test(id.text) ? ' (host names are not looked up; write an address)' : '';
      throw this.error(`${JSON.stringify(id.text)} is not an IPv4 or IPv6 address${hint}`, id);
    }
    return { kind: 'host', proto: this.addrProto(q, addr, id), dir: q.dir, addr, link: this.link };
  }

  private addrProto(q: Qualifiers, addr: Uint8Array, id: Token): AddrProto {
    const p = q.proto;
    if (p === undefined) return addr.length === 16 ? 'ip6' : 'default';
    if (p === 'ip6' ? addr.length !== 16 : addr.length !== 4) {
      throw this.error(`"${p}" does not go with the address ${id.text}`, id);
    }
    if (p === 'ip' || p === 'ip6' || p === 'arp' || p === 'rarp') return p;
    throw this.error(`"${p} ${q.type}" is not valid (use "${q.type}" or "ip ${q.type}")`, id);
  }

  private net(q: Qualifiers, id: Token): FilterNode {
    const text = id.text;
    const slash = text.indexOf('/');
    let addrText = slash < 0 ? text : text.slice(0, slash);
    let prefix: number;
    if (!addrText.includes(':') && !isIpv4(addrText)) {
      // "net 10" and "net 10.1": the octets given, the rest zero (pcap-filter(7)).
      const parts = addrText.split('.');
      if (parts.length > 3 || parts.some((p) => parseNumber(p) === undefined || Number(p) > 255)) {
        throw this.error(`${JSON.stringify(text)} is not a network`, id);
      }
      prefix = parts.length * 8;
      addrText = [...parts, '0', '0', '0'].slice(0, 4).join('.');
    } else prefix = addrText.includes(':') ? 128 : 32;
    const addr = addressBytes(addrText);
    if (addr === undefined) throw this.error(`${JSON.stringify(text)} is not a network`, id);
    if (slash >= 0) {
      const n = parseNumber(text.slice(slash + 1));
      if (n === undefined || n > addr.length * 8)
        throw this.error(`bad prefix length in ${JSON.stringify(text)}`, id);
      prefix = n;
    } else if (this.accept('mask')) {
      const m = this.next();
      const mask = addressBytes(m.text);
      if (mask === undefined || mask.length !== 4 || addr.length !== 4)
        throw this.error('expected an IPv4 mask', m);
      prefix = maskLength(mask);
      if (prefix < 0) throw this.error(`${m.text} is not a contiguous mask`, m);
    }
    for (let bit = prefix; bit < addr.length * 8; bit++) {
      if (addr[bit >> 3] & (0x80 >> (bit & 7)))
        throw this.error(`non-network bits set in ${JSON.stringify(text)}`, id);
    }
    return { kind: 'net', proto: this.addrProto(q, addr, id), dir: q.dir, addr, prefix, link: this.link };
  }

  private port(q: Qualifiers, id: Token): FilterNode {
    const proto = q.proto ?? 'any';
    if (proto !== 'tcp' && proto !== 'udp' && proto !== 'sctp' && proto !== 'any') {
      throw this.error(`"${proto} ${q.type}" is not valid (ports belong to tcp, udp or sctp)`, id);
    }
    let lo: number | undefined;
    let hi: number | undefined;
    if (q.type === 'portrange') {
      const m = /^([^-]+)-([^-]+)$/.exec(id.text);
      lo = m ? portNumber(m[1]) : undefined;
      hi = m ? portNumber(m[2]) : undefined;
      if (lo === undefined || hi === undefined)
        throw this.error(`expected a port range like 1-1024, got ${JSON.stringify(id.text)}`, id);
      if (lo > hi) [lo, hi] = [hi, lo];
    } else {
      lo = portNumber(id.text);
      hi = lo;
      if (lo === undefined || hi === undefined)
        throw this.error(`${JSON.stringify(id.text)} is not a port number or known service`, id);
    }
    return { kind: 'port', proto, dir: q.dir, lo, hi, link: this.link };
  }

  private protocolNumber(): number {
    const t = this.next();
    const word = t.text.replace(/^\\/, '');
    const n = parseNumber(word) ?? IP_PROTOCOLS[word];
    if (n === undefined || n > 255)
      throw this.error(`expected a protocol number or name, got ${describe(t)}`, t);
    return n;
  }

  private number(what: string): number {
    const t = this.next();
    const n = t.kind === 'word' ? parseNumber(t.text) : undefined;
    if (n === undefined) throw this.error(`expected ${what}, got ${describe(t)}`, t);
    return n;
  }

  // ---- relations: arithmetic over packet bytes (pcap-filter(7) "expr relop expr")

  private relation(): FilterNode {
    const a = this.arith(0);
    const t = this.peek();
    if (!REL_OPS.has(t.text) || t.kind !== 'punct') {
      throw this.error(`expected a comparison (=, !=, <, >, <=, >=), got ${describe(t)}`, t);
    }
    this.next();
    const op = (t.text === '==' ? '=' : t.text) as RelOp;
    return { kind: 'rel', op, a, b: this.arith(0) };
  }

  /** Precedence climbing; levels from libpcap's grammar: | < & < shifts < + - < * / %. */
  private arith(level: number): Arith {
    if (level === LEVELS.length) return this.factor();
    let a = this.arith(level + 1);
    for (;;) {
      const t = this.peek();
      if (t.kind !== 'punct' || !LEVELS[level].includes(t.text)) return a;
      this.next();
      a = { kind: 'bin', op: t.text as ArithOp, a, b: this.arith(level + 1) };
    }
  }

  private factor(): Arith {
    const t = this.next();
    if (t.text === '-' && t.kind === 'punct') return { kind: 'neg', a: this.factor() };
    if (t.text === '(' && t.kind === 'punct') {
      const inner = this.arith(0);
      this.expect(')', "')'");
      return inner;
    }
    if (t.kind === 'word') {
      if (t.text === 'len') return { kind: 'len' };
      const n = parseNumber(t.text) ?? CONSTANTS[t.text];
      if (n !== undefined) return { kind: 'num', value: n };
      if (LOAD_BASES.has(t.text) && this.is('[')) return this.load(t.text as LoadBase);
    }
    throw this.error(`expected a number, "len" or proto[offset], got ${describe(t)}`, t);
  }

  private load(base: LoadBase): Arith {
    this.expect('[', "'['");
    const offset = this.arith(0);
    let size: 1 | 2 | 4 = 1;
    if (this.accept(':')) {
      const t = this.peek();
      const n = this.number('a size (1, 2 or 4)');
      if (n !== 1 && n !== 2 && n !== 4) throw this.error('the size must be 1, 2 or 4', t);
      size = n;
    }
    this.expect(']', "']'");
    return { kind: 'load', base, offset, size, link: this.link };
  }
}

const LEVELS: readonly string[][] = [['|'], ['&'], ['^'], ['<<', '>>'], ['+', '-'], ['*', '/', '%']];

function maskLength(mask: Uint8Array): number {
  let n = 0;
  let ended = false;
  for (let bit = 0; bit < 32; bit++) {
    const set = (mask[bit >> 3] & (0x80 >> (bit & 7))) !== 0;
    if (set && ended) return -1;
    if (set) n++;
    else ended = true;
  }
  return n;
}

function idName(type: string): string {
  if (type === 'port') return 'a port';
  if (type === 'portrange') return 'a port range';
  if (type === 'net') return 'a network';
  return 'an address';
}

function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the expression' : JSON.stringify(t.text);
}
