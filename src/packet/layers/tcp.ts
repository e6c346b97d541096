// TCP (Scapy's TCP, RFC 9293 §3.1). Written by src/wire's emitTcp; the checksum covers the IP/IPv6
// pseudo-header (RFC 9293 §3.1). Options are src/wire's typed list, Scapy's tuples accepted.
import { foldSum, sumWords } from '../../wire/checksum.js';
import { WireError } from '../../wire/errors.js';
import { emitTcp, TcpView } from '../../wire/tcp.js';
import { parseTcpOptions, type TcpOption, tcpOptionsLength } from '../../wire/tcp-options.js';
import type { BuildContext } from '../build-context.js';
import {
  assignFields,
  type FieldSpec,
  isNetworkLayer,
  Layer,
  layerFactory,
  type SummaryContext,
} from '../layer.js';
import { portName } from '../names.js';
import { normalizeTcpOptions, type TcpOptionInput } from './tcp-options.js';
import { transportAddresses } from './transport-summary.js';

const PROTO_TCP = 6;
/** Scapy's letters in bit order: FIN SYN RST PSH ACK URG ECE CWR NS. */
const FLAG_LETTERS = 'FSRPAUECN';

export function parseTcpFlags(v: number | string): number {
  if (typeof v === 'number') return v & 0x1ff;
  let n = 0;
  for (const ch of v) {
    const bit = FLAG_LETTERS.indexOf(ch);
    if (bit < 0) throw new TypeError(`unknown TCP flag ${JSON.stringify(ch)} (use ${FLAG_LETTERS})`);
    n |= 1 << bit;
  }
  return n;
}

export function tcpFlagsToScapy(n: number): string {
  let s = '';
  for (let bit = 0; bit < 9; bit++) if (n & (1 << bit)) s += FLAG_LETTERS[bit];
  return s;
}

export interface TCPFields {
  sport?: number;
  dport?: number;
  seq?: number;
  ack?: number;
  /** Auto: header length in 32-bit words. */
  dataofs?: number;
  /** The 3 reserved bits. */
  reserved?: number;
  /** 'S', 'SA', 'PA', 'FA', 'R', ... or a number (FIN 1, SYN 2, RST 4, PSH 8, ACK 16, ...). */
  flags?: number | string;
  window?: number;
  /** Auto: over the pseudo-header, header and payload. */
  chksum?: number;
  urgptr?: number;
  options?: readonly TcpOptionInput[];
}

const TCP_FIELDS: readonly FieldSpec[] = [
  { name: 'sport', kind: 'int' },
  { name: 'dport', kind: 'int' },
  { name: 'seq', kind: 'int' },
  { name: 'ack', kind: 'int' },
  { name: 'dataofs', kind: 'int' },
  { name: 'reserved', kind: 'int' },
  { name: 'flags', kind: 'str' },
  { name: 'window', kind: 'int' },
  { name: 'chksum', kind: 'hex' },
  { name: 'urgptr', kind: 'int' },
  { name: 'options', kind: 'list' },
];

export class TCPLayer extends Layer {
  sport = 20;
  dport = 80;
  seq = 0;
  ack = 0;
  dataofs: number | undefined = undefined;
  reserved = 0;
  /** Storage of `flags` (an accessor so that Scapy strings can be assigned). */
  _flags = 2;
  window = 8192;
  chksum: number | undefined = undefined;
  urgptr = 0;
  /** Storage of `options`. */
  _options: TcpOption[] = [];

  constructor(fields?: TCPFields) {
    super();
    assignFields(this, fields);
  }
  /** The flag bits; assign a number or Scapy's letters ('SA'). `flagStr` gives the letters. */
  get flags(): number {
    return this._flags;
  }
  set flags(v: number | string) {
    this._flags = parseTcpFlags(v);
  }
  get flagStr(): string {
    return tcpFlagsToScapy(this._flags);
  }
  /** True when every flag in `letters` is set (e.g. hasFlags('SA')). */
  hasFlags(letters: string): boolean {
    const want = parseTcpFlags(letters);
    return (this._flags & want) === want;
  }
  get options(): TcpOption[] {
    return this._options;
  }
  set options(list: readonly TcpOptionInput[]) {
    this._options = normalizeTcpOptions(list);
  }
  get name(): string {
    return 'TCP';
  }
  get fields(): readonly FieldSpec[] {
    return TCP_FIELDS;
  }
  override field(name: string): unknown {
    return name === 'flags' ? this.flagStr : super.field(name);
  }
  override get ipProtocolNumber(): number {
    return PROTO_TCP;
  }
  headerLength(): number {
    return 20 + ((tcpOptionsLength(this._options) + 3) & ~3);
  }
  emit(ctx: BuildContext, index: number): void {
    const o = ctx.start(index);
    const payload = ctx.bytes.subarray(ctx.payloadStart(index), ctx.ends[index]);
    emitTcp(
      {
        srcPort: this.sport,
        dstPort: this.dport,
        seq: this.seq,
        ack: this.ack,
        flags: this._flags,
        reserved: this.reserved,
        window: this.window,
        urgentPointer: this.urgptr,
        options: this._options,
        payload,
        checksum: this.chksum ?? 0,
      },
      ctx.bytes,
      o,
    );
    if (this.dataofs !== undefined) view.wrap(ctx.bytes, o, 20).headerLength = this.dataofs * 4;
  }
  override finalize(ctx: BuildContext, index: number): void {
    if (this.chksum !== undefined) return;
    const ip = ctx.findBelow(index, isNetworkLayer);
    if (!ip) return;
    const o = ctx.start(index);
    const len = ctx.length(index);
    const pseudo = ip.pseudoHeaderSum(ctx, ctx.layers.indexOf(ip), PROTO_TCP, len);
    view.wrap(ctx.bytes, o, len).checksum = ~foldSum(sumWords(ctx.bytes, o, len, pseudo)) & 0xffff;
  }
  override summaryPart(ctx: SummaryContext): string {
    const [src, dst] = transportAddresses(ctx.below);
    return `TCP ${src}${portName(this.sport)} > ${dst}${portName(this.dport)} ${this.flagStr}`;
  }
  /** Every field as the wire has it. Options that do not parse are kept as raw bytes. */
  static fromView(v: TcpView): TCPLayer {
    const l = new TCPLayer();
    l.sport = v.srcPort;
    l.dport = v.dstPort;
    l.seq = v.seq;
    l.ack = v.ack;
    l.dataofs = v.headerLength >> 2;
    l.reserved = v.reserved;
    l._flags = v.flags;
    l.window = v.window;
    l.chksum = v.checksum;
    l.urgptr = v.urgentPointer;
    const end = v.offset + v.headerLength;
    if (end > v.optionsOffset) {
      try {
        l._options = parseTcpOptions(v.bytes, v.optionsOffset, end);
      } catch (err) {
        if (!(err instanceof WireError)) throw err;
        l._options = [{ kind: 'padding', data: v.bytes.slice(v.optionsOffset, end) }];
        l.optionsError = err;
      }
    }
    return l;
  }
  /** Set by dissect when the options area did not parse (it is then kept as one raw 'padding' entry). */
  optionsError?: WireError;
}

const view = new TcpView();

export const TCP = layerFactory(TCPLayer, 'TCP');
export type TCP = TCPLayer;
