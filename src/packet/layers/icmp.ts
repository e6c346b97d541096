// ICMPv4 (Scapy's ICMP, RFC 792). Written by src/wire's emitIcmpv4; the checksum covers the whole
// message, including a quoted packet, which is why it is filled last (finalize).
import { emitIcmpv4, Icmpv4View } from '../../wire/icmpv4.js';
import type { BuildContext } from '../build-context.js';
import { assignFields, type FieldSpec, Layer, layerFactory, type SummaryContext } from '../layer.js';

export const ICMP_TYPE_NAMES: Readonly<Record<number, string>> = {
  0: 'echo-reply',
  3: 'dest-unreach',
  4: 'source-quench',
  5: 'redirect',
  8: 'echo-request',
  9: 'router-advertisement',
  10: 'router-solicitation',
  11: 'time-exceeded',
  12: 'parameter-problem',
  13: 'timestamp-request',
  14: 'timestamp-reply',
};

export interface ICMPFields {
  type?: number;
  code?: number;
  /** Auto: over the whole message. */
  chksum?: number;
  /**
   * Bytes 4-5 and 6-7 of the header. Echo: identifier and sequence. Other types give these bytes
   * their own meaning; see the nexthopmtu / gw / ptr accessors.
   */
  id?: number;
  seq?: number;
}

const ICMP_FIELDS: readonly FieldSpec[] = [
  { name: 'type', kind: 'enum', names: ICMP_TYPE_NAMES },
  { name: 'code', kind: 'int' },
  { name: 'chksum', kind: 'hex' },
  { name: 'id', kind: 'hex' },
  { name: 'seq', kind: 'hex' },
];

export class ICMPLayer extends Layer {
  type = 8;
  code = 0;
  chksum: number | undefined = undefined;
  id = 0;
  seq = 0;

  constructor(fields?: ICMPFields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return 'ICMP';
  }
  get fields(): readonly FieldSpec[] {
    return ICMP_FIELDS;
  }
  override get ipProtocolNumber(): number {
    return 1;
  }
  /** Destination unreachable, fragmentation needed (RFC 1191): the next-hop MTU (bytes 6-7). */
  get nexthopmtu(): number {
    return this.seq;
  }
  set nexthopmtu(v: number) {
    this.seq = v;
  }
  /** Redirect: the gateway address (bytes 4-7). */
  get gw(): string {
    return `${this.id >> 8}.${this.id & 255}.${this.seq >> 8}.${this.seq & 255}`;
  }
  /** Parameter problem: the pointer (byte 4). */
  get ptr(): number {
    return this.id >> 8;
  }
  get isError(): boolean {
    return this.type === 3 || this.type === 4 || this.type === 5 || this.type === 11 || this.type === 12;
  }
  headerLength(): number {
    return 8;
  }
  emit(ctx: BuildContext, index: number): void {
    const data = ctx.bytes.subarray(ctx.payloadStart(index), ctx.ends[index]);
    const rest = ((this.id & 0xffff) * 0x10000 + (this.seq & 0xffff)) >>> 0;
    emitIcmpv4(
      { kind: 'other', type: this.type, code: this.code, rest, data },
      ctx.bytes,
      ctx.start(index),
      0,
    );
  }
  override finalize(ctx: BuildContext, index: number): void {
    const v = view.wrap(ctx.bytes, ctx.start(index), ctx.length(index));
    if (this.chksum === undefined) v.fillChecksum();
    else v.checksum = this.chksum;
  }
  override summaryPart(ctx: SummaryContext): string {
    const b = ctx.below;
    const addrs = b?.name === 'IP' ? `${b.field('src')} > ${b.field('dst')} ` : '';
    return `ICMP ${addrs}${ICMP_TYPE_NAMES[this.type] ?? this.type} ${this.code}`;
  }
  static fromView(v: Icmpv4View): ICMPLayer {
    const l = new ICMPLayer();
    l.type = v.type;
    l.code = v.code;
    l.chksum = v.checksum;
    l.id = v.identifier;
    l.seq = v.sequence;
    return l;
  }
}

const view = new Icmpv4View();

export const ICMP = layerFactory(ICMPLayer, 'ICMP');
export type ICMP = ICMPLayer;
