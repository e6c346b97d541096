// ICMPv6 (RFC 4443) and Neighbor Discovery (RFC 4861), one layer per message like Scapy's
// ICMPv6EchoRequest, ICMPv6ND_NS, ... Bytes are written by src/wire's emitIcmpv6; ND options are
// src/wire's typed NdpOption list. The checksum covers the IPv6 pseudo-header (RFC 4443 §2.3).
import { emitIcmpv6, type Icmpv6Repr, Icmpv6View } from '../../wire/icmpv6.js';
import { type NdpOption, ndpOptionsLength } from '../../wire/ndp-options.js';
import type { BuildContext } from '../build-context.js';
import {
  assignFields,
  type FieldSpec,
  isNetworkLayer,
  Layer,
  type LayerFactory,
  layerFactory,
  type SummaryContext,
} from '../layer.js';

const PROTO_ICMPV6 = 58;

const BASE_FIELDS: readonly FieldSpec[] = [
  { name: 'type', kind: 'int' },
  { name: 'code', kind: 'int' },
  { name: 'cksum', kind: 'hex' },
];

interface BaseFields {
  /** Auto: the message's own type. */
  type?: number;
  code?: number;
  /** Auto: over the pseudo-header and the message. */
  cksum?: number;
}

/** Shared by every ICMPv6 message: type/code/checksum, emission through src/wire. */
export abstract class ICMPv6Base extends Layer {
  type: number | undefined = undefined;
  code = 0;
  cksum: number | undefined = undefined;

  /** The message type this class stands for. */
  abstract get messageType(): number;
  /** The src/wire repr of the body; `data` is the payload already written in place. */
  protected abstract repr(data: Uint8Array): Icmpv6Repr;
  /** Fixed part of the message (payload layers such as an echo's Raw data come after it). */
  abstract override headerLength(): number;

  override get ipProtocolNumber(): number {
    return PROTO_ICMPV6;
  }
  emit(ctx: BuildContext, index: number): void {
    const o = ctx.start(index);
    const data = ctx.bytes.subarray(ctx.payloadStart(index), ctx.ends[index]);
    emitIcmpv6(this.repr(data), ctx.bytes, o, null, 0);
    // A hand-set type (RFC 4443 §2.1) over the one the message class stands for.
    if (this.type !== undefined) view.wrap(ctx.bytes, o, ctx.length(index)).type = this.type;
  }
  override finalize(ctx: BuildContext, index: number): void {
    const v = view.wrap(ctx.bytes, ctx.start(index), ctx.length(index));
    if (this.cksum !== undefined) {
      v.checksum = this.cksum;
      return;
    }
    const ip = ctx.findBelow(index, isNetworkLayer);
    if (ip) v.fillChecksum(ip.pseudoHeaderSum(ctx, ctx.layers.indexOf(ip), PROTO_ICMPV6, ctx.length(index)));
  }
  override summaryPart(_ctx: SummaryContext): string {
    return this.name;
  }
  protected readBase(v: Icmpv6View): void {
    this.type = v.type;
    this.code = v.code;
    this.cksum = v.checksum;
  }
}

const view = new Icmpv6View();

// ---- echo ----

export interface ICMPv6EchoFields extends BaseFields {
  id?: number;
  seq?: number;
}
const ECHO_FIELDS: readonly FieldSpec[] = [
  ...BASE_FIELDS,
  { name: 'id', kind: 'hex' },
  { name: 'seq', kind: 'hex' },
];

export class ICMPv6EchoRequestLayer extends ICMPv6Base {
  id = 0;
  seq = 0;
  constructor(fields?: ICMPv6EchoFields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return 'ICMPv6 Echo Request';
  }
  override get summaryName(): string {
    return 'ICMPv6EchoRequest';
  }
  get messageType(): number {
    return 128;
  }
  get fields(): readonly FieldSpec[] {
    return ECHO_FIELDS;
  }
  headerLength(): number {
    return 8;
  }
  protected repr(data: Uint8Array): Icmpv6Repr {
    const kind = this.messageType === 128 ? 'echo-request' : 'echo-reply';
    return { kind, code: this.code, identifier: this.id, sequence: this.seq, data };
  }
  override summaryPart(): string {
    return `${this.name} (id: 0x${this.id.toString(16)} seq: 0x${this.seq.toString(16)})`;
  }
  static fromView<T extends ICMPv6EchoRequestLayer>(this: new () => T, v: Icmpv6View): T {
    const l = new this();
    l.readBase(v);
    l.id = v.identifier;
    l.seq = v.sequence;
    return l;
  }
}

export class ICMPv6EchoReplyLayer extends ICMPv6EchoRequestLayer {
  override get name(): string {
    return 'ICMPv6 Echo Reply';
  }
  override get summaryName(): string {
    return 'ICMPv6EchoReply';
  }
  override get messageType(): number {
    return 129;
  }
}

// ---- errors (the quoted packet is the payload) ----

export interface ICMPv6ErrorFields extends BaseFields {
  /** Destination unreachable / time exceeded: the unused word; packet too big: the MTU; parameter problem: the pointer. */
  value?: number;
}
const ERROR_FIELDS: readonly FieldSpec[] = [...BASE_FIELDS, { name: 'value', kind: 'int' }];
const ERROR_NAMES: Record<number, [string, string]> = {
  1: ['ICMPv6 Destination Unreachable', 'ICMPv6DestUnreach'],
  2: ['ICMPv6 Packet Too Big', 'ICMPv6PacketTooBig'],
  3: ['ICMPv6 Time Exceeded', 'ICMPv6TimeExceeded'],
  4: ['ICMPv6 Parameter Problem', 'ICMPv6ParamProblem'],
};

export class ICMPv6ErrorLayer extends ICMPv6Base {
  value = 0;
  /** Which error (1-4); set by the factories below. */
  kindType = 1;
  constructor(fields?: ICMPv6ErrorFields, kindType = 1) {
    super();
    this.kindType = kindType;
    if (kindType === 2) this.value = 1280;
    assignFields(this, fields);
  }
  get name(): string {
    return ERROR_NAMES[this.kindType][0];
  }
  override get summaryName(): string {
    return ERROR_NAMES[this.kindType][1];
  }
  get messageType(): number {
    return this.kindType;
  }
  get fields(): readonly FieldSpec[] {
    return ERROR_FIELDS;
  }
  headerLength(): number {
    return 8;
  }
  protected repr(invoking: Uint8Array): Icmpv6Repr {
    const code = this.code;
    switch (this.kindType) {
      case 2:
        return { kind: 'packet-too-big', code, mtu: this.value, invoking };
      case 4:
        return { kind: 'parameter-problem', code, pointer: this.value, invoking };
      default:
        // The unused word is written as a raw body so that a non-zero value is kept.
        return { kind: 'other', type: this.kindType, code, body: rawBody(this.value, invoking) };
    }
  }
  static fromView(v: Icmpv6View): ICMPv6ErrorLayer {
    const l = new ICMPv6ErrorLayer(undefined, v.type);
    l.readBase(v);
    l.value = v.rest;
    return l;
  }
}

function rawBody(word: number, rest: Uint8Array): Uint8Array {
  const body = new Uint8Array(4 + rest.length);
  body[0] = word >>> 24;
  body[1] = (word >>> 16) & 255;
  body[2] = (word >>> 8) & 255;
  body[3] = word & 255;
  body.set(rest, 4);
  return body;
}

// ---- neighbor discovery ----

export interface NDFields extends BaseFields {
  options?: NdpOption[];
}
export interface NSFields extends NDFields {
  tgt?: string;
}
export interface NAFields extends NSFields {
  /** Router, solicited, override flags. */
  R?: boolean;
  S?: boolean;
  O?: boolean;
}
export interface RAFields extends NDFields {
  chlim?: number;
  M?: boolean;
  O?: boolean;
  /** The other 6 flag bits (home agent, preference, proxy). */
  flags?: number;
  routerlifetime?: number;
  reachabletime?: number;
  retranstimer?: number;
}

const OPTIONS_FIELD: FieldSpec = { name: 'options', kind: 'list' };

abstract class NDBase extends ICMPv6Base {
  options: NdpOption[] = [];
  protected abstract fixedLength(): number;
  headerLength(): number {
    return this.fixedLength() + ndpOptionsLength(this.options);
  }
}

export class ICMPv6ND_RSLayer extends NDBase {
  constructor(fields?: NDFields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return 'ICMPv6 Neighbor Discovery - Router Solicitation';
  }
  override get summaryName(): string {
    return 'ICMPv6ND_RS';
  }
  get messageType(): number {
    return 133;
  }
  get fields(): readonly FieldSpec[] {
    return [...BASE_FIELDS, OPTIONS_FIELD];
  }
  protected fixedLength(): number {
    return 8;
  }
  protected repr(): Icmpv6Repr {
    return { kind: 'router-solicitation', code: this.code, options: this.options };
  }
}

export class ICMPv6ND_RALayer extends NDBase {
  chlim = 0;
  M = false;
  O = false;
  flags = 0;
  routerlifetime = 1800;
  reachabletime = 0;
  retranstimer = 0;
  constructor(fields?: RAFields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return 'ICMPv6 Neighbor Discovery - Router Advertisement';
  }
  override get summaryName(): string {
    return 'ICMPv6ND_RA';
  }
  get messageType(): number {
    return 134;
  }
  get fields(): readonly FieldSpec[] {
    return [
      ...BASE_FIELDS,
      { name: 'chlim', kind: 'int' },
      { name: 'M', kind: 'bool' },
      { name: 'O', kind: 'bool' },
      { name: 'flags', kind: 'int' },
      { name: 'routerlifetime', kind: 'int' },
      { name: 'reachabletime', kind: 'int' },
      { name: 'retranstimer', kind: 'int' },
      OPTIONS_FIELD,
    ];
  }
  protected fixedLength(): number {
    return 16;
  }
  protected repr(): Icmpv6Repr {
    return {
      kind: 'router-advertisement',
      code: this.code,
      curHopLimit: this.chlim,
      managed: this.M,
      other: this.O,
      flags: this.flags,
      routerLifetime: this.routerlifetime,
      reachableTime: this.reachabletime,
      retransTimer: this.retranstimer,
      options: this.options,
    };
  }
}

export class ICMPv6ND_NSLayer extends NDBase {
  tgt = '::';
  constructor(fields?: NSFields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return 'ICMPv6 Neighbor Discovery - Neighbor Solicitation';
  }
  override get summaryName(): string {
    return 'ICMPv6ND_NS';
  }
  get messageType(): number {
    return 135;
  }
  get fields(): readonly FieldSpec[] {
    return [...BASE_FIELDS, { name: 'tgt', kind: 'str' }, OPTIONS_FIELD];
  }
  protected fixedLength(): number {
    return 24;
  }
  protected repr(): Icmpv6Repr {
    return { kind: 'neighbor-solicitation', code: this.code, target: this.tgt, options: this.options };
  }
  override summaryPart(): string {
    return `${this.name} (tgt: ${this.tgt})`;
  }
}

export class ICMPv6ND_NALayer extends NDBase {
  R = true;
  S = false;
  O = true;
  tgt = '::';
  constructor(fields?: NAFields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return 'ICMPv6 Neighbor Discovery - Neighbor Advertisement';
  }
  override get summaryName(): string {
    return 'ICMPv6ND_NA';
  }
  get messageType(): number {
    return 136;
  }
  get fields(): readonly FieldSpec[] {
    return [
      ...BASE_FIELDS,
      { name: 'R', kind: 'bool' },
      { name: 'S', kind: 'bool' },
      { name: 'O', kind: 'bool' },
      { name: 'tgt', kind: 'str' },
      OPTIONS_FIELD,
    ];
  }
  protected fixedLength(): number {
    return 24;
  }
  protected repr(): Icmpv6Repr {
    return {
      kind: 'neighbor-advertisement',
      code: this.code,
      router: this.R,
      solicited: this.S,
      override: this.O,
      target: this.tgt,
      options: this.options,
    };
  }
  override summaryPart(): string {
    return `${this.name} (tgt: ${this.tgt})`;
  }
}

// ---- anything else (MLD, redirect, messages with reserved bits set) ----

export interface ICMPv6UnknownFields extends BaseFields {
  /** Everything after the checksum. */
  body?: Uint8Array;
}

export class ICMPv6UnknownLayer extends ICMPv6Base {
  body: Uint8Array = new Uint8Array(4);
  constructor(fields?: ICMPv6UnknownFields) {
    super();
    this.type = 0;
    assignFields(this, fields);
  }
  get name(): string {
    return 'ICMPv6';
  }
  override get summaryName(): string {
    return 'ICMPv6Unknown';
  }
  get messageType(): number {
    return this.type ?? 0;
  }
  get fields(): readonly FieldSpec[] {
    return [...BASE_FIELDS, { name: 'body', kind: 'bytes' }];
  }
  headerLength(): number {
    return 4 + this.body.length;
  }
  protected repr(): Icmpv6Repr {
    return { kind: 'other', type: this.messageType, code: this.code, body: this.body };
  }
  override summaryPart(): string {
    return `ICMPv6 type ${this.type} code ${this.code}`;
  }
}

/** Builds the layer for a parsed message; `fixed` is how many bytes it consumed (the rest is payload). */
export function icmpv6Layer(v: Icmpv6View, repr: Icmpv6Repr): { layer: ICMPv6Base; fixed: number } {
  let layer: ICMPv6Base;
  let fixed = v.length;
  switch (repr.kind) {
    case 'echo-request':
    case 'echo-reply': {
      const cls = repr.kind === 'echo-request' ? ICMPv6EchoRequestLayer : ICMPv6EchoReplyLayer;
      layer = cls.fromView(v);
      fixed = 8;
      break;
    }
    case 'destination-unreachable':
    case 'time-exceeded':
    case 'packet-too-big':
    case 'parameter-problem':
      layer = ICMPv6ErrorLayer.fromView(v);
      fixed = 8;
      break;
    case 'router-solicitation':
      layer = new ICMPv6ND_RSLayer({ options: repr.options });
      break;
    case 'router-advertisement':
      layer = new ICMPv6ND_RALayer({
        chlim: repr.curHopLimit,
        M: repr.managed,
        O: repr.other,
        flags: repr.flags,
        routerlifetime: repr.routerLifetime,
        reachabletime: repr.reachableTime,
        retranstimer: repr.retransTimer,
        options: repr.options,
      });
      break;
    case 'neighbor-solicitation':
      layer = new ICMPv6ND_NSLayer({ tgt: repr.target, options: repr.options });
      break;
    case 'neighbor-advertisement':
      layer = new ICMPv6ND_NALayer({
        R: repr.router,
        S: repr.solicited,
        O: repr.override,
        tgt: repr.target,
        options: repr.options,
      });
      break;
    default:
      layer = new ICMPv6UnknownLayer({ body: repr.body.slice() });
  }
  layer.type = v.type;
  layer.code = v.code;
  layer.cksum = v.checksum;
  return { layer, fixed };
}

export const ICMPv6EchoRequest = layerFactory(ICMPv6EchoRequestLayer, 'ICMPv6EchoRequest');
export type ICMPv6EchoRequest = ICMPv6EchoRequestLayer;
export const ICMPv6EchoReply = layerFactory(ICMPv6EchoReplyLayer, 'ICMPv6EchoReply');
export type ICMPv6EchoReply = ICMPv6EchoReplyLayer;
export const ICMPv6ND_RS = layerFactory(ICMPv6ND_RSLayer, 'ICMPv6ND_RS');
export type ICMPv6ND_RS = ICMPv6ND_RSLayer;
export const ICMPv6ND_RA = layerFactory(ICMPv6ND_RALayer, 'ICMPv6ND_RA');
export type ICMPv6ND_RA = ICMPv6ND_RALayer;
export const ICMPv6ND_NS = layerFactory(ICMPv6ND_NSLayer, 'ICMPv6ND_NS');
export type ICMPv6ND_NS = ICMPv6ND_NSLayer;
export const ICMPv6ND_NA = layerFactory(ICMPv6ND_NALayer, 'ICMPv6ND_NA');
export type ICMPv6ND_NA = ICMPv6ND_NALayer;
export const ICMPv6Unknown = layerFactory(ICMPv6UnknownLayer, 'ICMPv6Unknown');
export type ICMPv6Unknown = ICMPv6UnknownLayer;

function errorFactory(type: number, name: string): LayerFactory<ICMPv6ErrorLayer, ICMPv6ErrorFields> {
  class Err extends ICMPv6ErrorLayer {
    constructor(fields?: ICMPv6ErrorFields) {
      super(fields, type);
    }
  }
  return layerFactory(Err, name);
}
/** Errors share one class; these factories preset the type (pkt.get(ICMPv6Error) finds any of them). */
export const ICMPv6Error = layerFactory(ICMPv6ErrorLayer, 'ICMPv6Error');
export type ICMPv6Error = ICMPv6ErrorLayer;
export const ICMPv6DestUnreach = errorFactory(1, 'ICMPv6DestUnreach');
export const ICMPv6PacketTooBig = errorFactory(2, 'ICMPv6PacketTooBig');
export const ICMPv6TimeExceeded = errorFactory(3, 'ICMPv6TimeExceeded');
export const ICMPv6ParamProblem = errorFactory(4, 'ICMPv6ParamProblem');
