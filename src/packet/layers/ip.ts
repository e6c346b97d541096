// IPv4 (Scapy's IP, RFC 791 §3.1). Header bytes are written by src/wire's emitIpv4; fields set by hand
// (version, ihl, len, chksum) are then written over what emitIpv4 computed, even when wrong.
import { internetChecksum, ipv4PseudoHeaderSum } from '../../wire/checksum.js';
import { emitIpv4, Ipv4View } from '../../wire/ipv4.js';
import type { BuildContext } from '../build-context.js';
import { assignFields, type FieldSpec, Layer, layerFactory, type NetworkLayer } from '../layer.js';
import { IP_PROTO_NAMES } from '../names.js';

/** Scapy's IP flag bits: MF = 1, DF = 2, evil (reserved) = 4. */
export const IpFlag = { MF: 1, DF: 2, evil: 4 } as const;
const IP_FLAG_ORDER: [string, number][] = [
  ['MF', 1],
  ['DF', 2],
  ['evil', 4],
];

/** 'DF', 'MF', 'DF+MF' (Scapy's text) or a number. */
export function parseIpFlags(v: number | string): number {
  if (typeof v === 'number') return v & 7;
  let n = 0;
  for (const part of v.split('+')) {
    const bit = IP_FLAG_ORDER.find(([name]) => name === part.trim())?.[1];
    if (bit === undefined && part.trim() !== '')
      throw new TypeError(`unknown IP flag ${JSON.stringify(part)}`);
    n |= bit ?? 0;
  }
  return n;
}

export function ipFlagsToString(n: number): string {
  return IP_FLAG_ORDER.filter(([, bit]) => n & bit)
    .map(([name]) => name)
    .join('+');
}

export interface IPFields {
  version?: number;
  /** Auto: header length in 32-bit words. */
  ihl?: number;
  tos?: number;
  /** Auto: total length. */
  len?: number;
  id?: number;
  flags?: number | string;
  /** Fragment offset in units of 8 bytes. */
  frag?: number;
  ttl?: number;
  /** Auto: from the layer above (TCP 6, UDP 17, ICMP 1). */
  proto?: number;
  /** Auto: the header checksum. */
  chksum?: number;
  src?: string;
  dst?: string;
  /** The raw options area (padded to 4 bytes on build); decode with src/wire decodeIpv4Options. */
  options?: Uint8Array;
}

const IP_FIELDS: readonly FieldSpec[] = [
  { name: 'version', kind: 'int' },
  { name: 'ihl', kind: 'int' },
  { name: 'tos', kind: 'hex' },
  { name: 'len', kind: 'int' },
  { name: 'id', kind: 'int' },
  { name: 'flags', kind: 'str' },
  { name: 'frag', kind: 'int' },
  { name: 'ttl', kind: 'int' },
  { name: 'proto', kind: 'enum', names: IP_PROTO_NAMES },
  { name: 'chksum', kind: 'hex' },
  { name: 'src', kind: 'str' },
  { name: 'dst', kind: 'str' },
  { name: 'options', kind: 'bytes' },
];

const EMPTY = new Uint8Array(0);

export class IPLayer extends Layer implements NetworkLayer {
  version = 4;
  ihl: number | undefined = undefined;
  tos = 0;
  len: number | undefined = undefined;
  id = 1;
  /** Storage of `flags` (an accessor so that Scapy strings can be assigned). */
  _flags = 0;
  frag = 0;
  ttl = 64;
  proto: number | undefined = undefined;
  chksum: number | undefined = undefined;
  src = '127.0.0.1';
  dst = '127.0.0.1';
  options: Uint8Array = EMPTY;

  constructor(fields?: IPFields) {
    super();
    assignFields(this, fields);
  }
  /** Scapy's bits (MF 1, DF 2, evil 4); set with a number or 'DF', 'MF', 'DF+MF'. */
  get flags(): number {
    return this._flags;
  }
  set flags(v: number | string) {
    this._flags = parseIpFlags(v);
  }
  get name(): string {
    return 'IP';
  }
  get fields(): readonly FieldSpec[] {
    return IP_FIELDS;
  }
  override field(name: string): unknown {
    return name === 'flags' ? ipFlagsToString(this._flags) : super.field(name);
  }
  override get etherTypeNumber(): number {
    return 0x0800;
  }
  override get ipProtocolNumber(): number {
    return 4;
  }
  /** True for a fragment (MF set or a non-zero offset). */
  get isFragment(): boolean {
    return (this._flags & IpFlag.MF) !== 0 || this.frag !== 0;
  }
  headerLength(): number {
    return 20 + ((this.options.length + 3) & ~3);
  }
  override autoValue(field: string, above: Layer | undefined): unknown {
    return field === 'proto' ? (above?.ipProtocolNumber ?? 0) : undefined;
  }
  emit(ctx: BuildContext, index: number): void {
    const o = ctx.start(index);
    const hl = ctx.headerLengths[index];
    const proto = this.proto ?? ctx.above(index)?.ipProtocolNumber ?? 0;
    const payloadLength = ctx.payloadLength(index);
    this.emitHeader(ctx.bytes, o, proto, payloadLength);
    this.applyHandSet(ctx.bytes, o, hl);
  }
  private emitHeader(bytes: Uint8Array, o: number, protocol: number, payloadLength: number): void {
    emitIpv4(
      {
        dscp: this.tos >> 2,
        ecn: this.tos & 3,
        identification: this.id,
        reservedFlag: (this._flags & IpFlag.evil) !== 0,
        dontFragment: (this._flags & IpFlag.DF) !== 0,
        moreFragments: (this._flags & IpFlag.MF) !== 0,
        fragmentOffset: this.frag,
        ttl: this.ttl,
        protocol,
        src: this.src,
        dst: this.dst,
        options: this.options,
        payloadLength,
        checksum: 0,
      },
      bytes,
      o,
    );
  }
  /** Fields set by hand are written over what emitIpv4 computed. */
  private applyHandSet(bytes: Uint8Array, o: number, hl: number): void {
    if (this.ihl === undefined && this.version === 4 && this.len === undefined) return;
    const v = view.wrap(bytes, o, hl);
    if (this.ihl !== undefined) v.headerLength = this.ihl * 4;
    if (this.version !== 4) v.version = this.version;
    if (this.len !== undefined) v.totalLength = this.len;
  }
  override finalize(ctx: BuildContext, index: number): void {
    const o = ctx.start(index);
    const v = view.wrap(ctx.bytes, o, ctx.headerLengths[index]);
    v.checksum = this.chksum ?? internetChecksum(ctx.bytes, o, ctx.headerLengths[index]);
  }
  pseudoHeaderSum(ctx: BuildContext, index: number, protocol: number, length: number): number {
    const v = view.wrap(ctx.bytes, ctx.start(index), 20);
    return ipv4PseudoHeaderSum(ctx.bytes, v.srcOffset, ctx.bytes, v.dstOffset, protocol, length);
  }
  override summaryPart(): string {
    const proto = this.proto === undefined ? 'auto' : (IP_PROTO_NAMES[this.proto] ?? String(this.proto));
    const frag = this.isFragment ? ` frag:${this.frag}` : '';
    return `${this.src} > ${this.dst} ${proto}${frag}`;
  }
  /** Every field as the wire has it (nothing left to compute). */
  static fromView(v: Ipv4View): IPLayer {
    const l = new IPLayer();
    l.version = v.version;
    l.ihl = v.headerLength >> 2;
    l.tos = (v.dscp << 2) | v.ecn;
    l.len = v.totalLength;
    l.id = v.identification;
    l._flags = (v.reservedFlag ? 4 : 0) | (v.dontFragment ? 2 : 0) | (v.moreFragments ? 1 : 0);
    l.frag = v.fragmentOffset;
    l.ttl = v.ttl;
    l.proto = v.protocol;
    l.chksum = v.checksum;
    l.src = v.src;
    l.dst = v.dst;
    l.options = v.headerLength > 20 ? v.options : EMPTY;
    return l;
  }
}

const view = new Ipv4View();

export const IP = layerFactory(IPLayer, 'IP');
export type IP = IPLayer;
