// IPv6 (RFC 8200 §3) and its extension headers as separate layers (Scapy's IPv6, IPv6ExtHdrHopByHop,
// IPv6ExtHdrRouting, IPv6ExtHdrFragment, IPv6ExtHdrDestOpt). Bytes are written by src/wire.
import { formatIpv6Address } from '../../wire/addr.js';
import { ipv6PseudoHeaderSum } from '../../wire/checksum.js';
import { emitIpv6, Ipv6View } from '../../wire/ipv6.js';
import { emitIpv6Extension, type Ipv6ExtensionHeader } from '../../wire/ipv6-ext.js';
import type { BuildContext } from '../build-context.js';
import { assignFields, type FieldSpec, Layer, layerFactory, type NetworkLayer } from '../layer.js';
import { IP_PROTO_NAMES } from '../names.js';

/** "No next header" (RFC 8200 §4.7): what an IPv6 header with nothing above announces. */
const NO_NEXT_HEADER = 59;

function nextHeaderOf(ctx: BuildContext, index: number): number {
  return ctx.above(index)?.ipProtocolNumber ?? NO_NEXT_HEADER;
}

export interface IPv6Fields {
  version?: number;
  /** Traffic class. */
  tc?: number;
  /** Flow label. */
  fl?: number;
  /** Auto: payload length. */
  plen?: number;
  /** Auto: from the layer above. */
  nh?: number;
  hlim?: number;
  src?: string;
  dst?: string;
}

const IPV6_FIELDS: readonly FieldSpec[] = [
  { name: 'version', kind: 'int' },
  { name: 'tc', kind: 'int' },
  { name: 'fl', kind: 'int' },
  { name: 'plen', kind: 'int' },
  { name: 'nh', kind: 'enum', names: IP_PROTO_NAMES },
  { name: 'hlim', kind: 'int' },
  { name: 'src', kind: 'str' },
  { name: 'dst', kind: 'str' },
];

export class IPv6Layer extends Layer implements NetworkLayer {
  version = 6;
  tc = 0;
  fl = 0;
  plen: number | undefined = undefined;
  nh: number | undefined = undefined;
  hlim = 64;
  src = '::1';
  dst = '::1';

  constructor(fields?: IPv6Fields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return 'IPv6';
  }
  get fields(): readonly FieldSpec[] {
    return IPV6_FIELDS;
  }
  override get etherTypeNumber(): number {
    return 0x86dd;
  }
  override get ipProtocolNumber(): number {
    return 41;
  }
  headerLength(): number {
    return 40;
  }
  override autoValue(field: string, above: Layer | undefined): unknown {
    return field === 'nh' ? (above?.ipProtocolNumber ?? NO_NEXT_HEADER) : undefined;
  }
  emit(ctx: BuildContext, index: number): void {
    const o = ctx.start(index);
    const protocol = this.nh ?? nextHeaderOf(ctx, index);
    const upperLayerLength = ctx.payloadLength(index);
    emitIpv6(
      {
        trafficClass: this.tc,
        flowLabel: this.fl,
        hopLimit: this.hlim,
        src: this.src,
        dst: this.dst,
        extensions: NO_EXTENSIONS,
        protocol,
        upperLayerLength,
      },
      ctx.bytes,
      o,
    );
    const v = view.wrap(ctx.bytes, o, 40);
    if (this.plen !== undefined) v.payloadLength = this.plen;
    if (this.version !== 6) v.version = this.version;
  }
  pseudoHeaderSum(ctx: BuildContext, index: number, protocol: number, length: number): number {
    const v = view.wrap(ctx.bytes, ctx.start(index), 40);
    return ipv6PseudoHeaderSum(ctx.bytes, v.srcOffset, ctx.bytes, v.dstOffset, protocol, length);
  }
  override summaryPart(): string {
    const nh = this.nh === undefined ? 'auto' : (IP_PROTO_NAMES[this.nh] ?? String(this.nh));
    return `${this.src} > ${this.dst} (${nh})`;
  }
  static fromView(v: Ipv6View): IPv6Layer {
    const l = new IPv6Layer();
    l.version = v.version;
    l.tc = v.trafficClass;
    l.fl = v.flowLabel;
    l.plen = v.payloadLength;
    l.nh = v.nextHeader;
    l.hlim = v.hopLimit;
    l.src = formatIpv6Address(v.bytes, v.srcOffset);
    l.dst = formatIpv6Address(v.bytes, v.dstOffset);
    return l;
  }
}

const view = new Ipv6View();
const NO_EXTENSIONS: Ipv6ExtensionHeader[] = [];

// ---- extension headers ----

const EXT_BASE_FIELDS: readonly FieldSpec[] = [
  { name: 'nh', kind: 'enum', names: IP_PROTO_NAMES },
  { name: 'len', kind: 'int' },
];

/** Shared by the extension layers: next header + length auto fields, emitted by src/wire. */
export abstract class IPv6ExtHdr extends Layer {
  /** Auto: from the layer above. */
  nh: number | undefined = undefined;
  /** Auto: the length field (units of 8 bytes, not counting the first 8). */
  len: number | undefined = undefined;

  abstract toExtension(): Ipv6ExtensionHeader;
  override autoValue(field: string, above: Layer | undefined): unknown {
    return field === 'nh' ? (above?.ipProtocolNumber ?? NO_NEXT_HEADER) : undefined;
  }
  abstract override get ipProtocolNumber(): number;

  emit(ctx: BuildContext, index: number): void {
    const o = ctx.start(index);
    emitIpv6Extension(this.toExtension(), this.nh ?? nextHeaderOf(ctx, index), ctx.bytes, o);
    // RFC 8200 §4.3: the length byte follows the next-header byte.
    if (this.len !== undefined) ctx.bytes[o + 1] = this.len;
  }
}

export interface IPv6OptionsHdrFields {
  nh?: number;
  len?: number;
  /** The options area (TLVs incl. padding), 6 + 8n bytes; src/wire decodeIpv6Options reads it. */
  options?: Uint8Array;
}

const OPTS_FIELDS: readonly FieldSpec[] = [...EXT_BASE_FIELDS, { name: 'options', kind: 'bytes' }];
/** PadN of 4 bytes (RFC 8200 §4.2): the smallest valid options area. */
const PADN4 = Uint8Array.of(1, 4, 0, 0, 0, 0);

abstract class OptionsHdr extends IPv6ExtHdr {
  options: Uint8Array = PADN4;
  constructor(fields?: IPv6OptionsHdrFields) {
    super();
    assignFields(this, fields);
  }
  get fields(): readonly FieldSpec[] {
    return OPTS_FIELDS;
  }
  headerLength(): number {
    return 2 + this.options.length;
  }
}

export class HopByHopLayer extends OptionsHdr {
  get name(): string {
    return 'IPv6 Extension Header - Hop-by-Hop Options Header';
  }
  override get summaryName(): string {
    return 'IPv6ExtHdrHopByHop';
  }
  get ipProtocolNumber(): number {
    return 0;
  }
  toExtension(): Ipv6ExtensionHeader {
    return { kind: 'hop-by-hop', options: this.options };
  }
}

export class DestOptsLayer extends OptionsHdr {
  get name(): string {
    return 'IPv6 Extension Header - Destination Options Header';
  }
  override get summaryName(): string {
    return 'IPv6ExtHdrDestOpt';
  }
  get ipProtocolNumber(): number {
    return 60;
  }
  toExtension(): Ipv6ExtensionHeader {
    return { kind: 'destination-options', options: this.options };
  }
}

export interface RoutingFields {
  nh?: number;
  len?: number;
  type?: number;
  segleft?: number;
  /** Everything after the first 4 bytes (reserved/addresses), 4 + 8n bytes. */
  data?: Uint8Array;
}

const ROUTING_FIELDS: readonly FieldSpec[] = [
  ...EXT_BASE_FIELDS,
  { name: 'type', kind: 'int' },
  { name: 'segleft', kind: 'int' },
  { name: 'data', kind: 'bytes' },
];

export class RoutingLayer extends IPv6ExtHdr {
  type = 0;
  segleft = 0;
  data: Uint8Array = new Uint8Array(4);
  constructor(fields?: RoutingFields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return 'IPv6 Option Header Routing';
  }
  override get summaryName(): string {
    return 'IPv6ExtHdrRouting';
  }
  get fields(): readonly FieldSpec[] {
    return ROUTING_FIELDS;
  }
  get ipProtocolNumber(): number {
    return 43;
  }
  headerLength(): number {
    return 4 + this.data.length;
  }
  toExtension(): Ipv6ExtensionHeader {
    return { kind: 'routing', routingType: this.type, segmentsLeft: this.segleft, data: this.data };
  }
}

export interface FragmentFields {
  nh?: number;
  /** Reserved bits: the 8-bit field after next-header and the 2 bits before M, as src/wire keeps them. */
  res?: number;
  /** Fragment offset in units of 8 bytes. */
  offset?: number;
  /** More fragments. */
  m?: boolean;
  id?: number;
}

const FRAGMENT_FIELDS: readonly FieldSpec[] = [
  { name: 'nh', kind: 'enum', names: IP_PROTO_NAMES },
  { name: 'res', kind: 'int' },
  { name: 'offset', kind: 'int' },
  { name: 'm', kind: 'bool' },
  { name: 'id', kind: 'int' },
];

export class FragmentLayer extends IPv6ExtHdr {
  res = 0;
  offset = 0;
  m = false;
  id = 0;
  constructor(fields?: FragmentFields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return 'IPv6 Extension Header - Fragmentation header';
  }
  override get summaryName(): string {
    return 'IPv6ExtHdrFragment';
  }
  get fields(): readonly FieldSpec[] {
    return FRAGMENT_FIELDS;
  }
  get ipProtocolNumber(): number {
    return 44;
  }
  headerLength(): number {
    return 8;
  }
  toExtension(): Ipv6ExtensionHeader {
    return {
      kind: 'fragment',
      fragmentOffset: this.offset,
      moreFragments: this.m,
      identification: this.id,
      reserved: this.res,
    };
  }
  override emit(ctx: BuildContext, index: number): void {
    // The fragment header has no length field (the reserved byte takes its place): no override.
    emitIpv6Extension(this.toExtension(), this.nh ?? nextHeaderOf(ctx, index), ctx.bytes, ctx.start(index));
  }
}

/** Builds the layer for one parsed extension header; `nh` is the byte the wire had. */
export function extensionLayer(h: Ipv6ExtensionHeader, nh: number, lenByte: number): IPv6ExtHdr | undefined {
  let l: IPv6ExtHdr;
  switch (h.kind) {
    case 'hop-by-hop':
      l = new HopByHopLayer({ options: h.options });
      break;
    case 'destination-options':
      l = new DestOptsLayer({ options: h.options });
      break;
    case 'routing':
      l = new RoutingLayer({ type: h.routingType, segleft: h.segmentsLeft, data: h.data });
      break;
    case 'fragment':
      l = new FragmentLayer({
        res: h.reserved,
        offset: h.fragmentOffset,
        m: h.moreFragments,
        id: h.identification,
      });
      break;
    default:
      return undefined;
  }
  l.nh = nh;
  if (h.kind !== 'fragment') l.len = lenByte;
  return l;
}

export const IPv6 = layerFactory(IPv6Layer, 'IPv6');
export type IPv6 = IPv6Layer;
export const IPv6ExtHdrHopByHop = layerFactory(HopByHopLayer, 'IPv6ExtHdrHopByHop');
export type IPv6ExtHdrHopByHop = HopByHopLayer;
export const IPv6ExtHdrDestOpt = layerFactory(DestOptsLayer, 'IPv6ExtHdrDestOpt');
export type IPv6ExtHdrDestOpt = DestOptsLayer;
export const IPv6ExtHdrRouting = layerFactory(RoutingLayer, 'IPv6ExtHdrRouting');
export type IPv6ExtHdrRouting = RoutingLayer;
export const IPv6ExtHdrFragment = layerFactory(FragmentLayer, 'IPv6ExtHdrFragment');
export type IPv6ExtHdrFragment = FragmentLayer;
