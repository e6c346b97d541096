// TCP header (RFC 9293 §3.1; ECN flags RFC 3168 §6.1, NS RFC 3540).
import { get16, get32, need, placeBytes, set16, set32 } from './bytes.js';
import { internetChecksum, type PseudoHeader, pseudoHeaderSum } from './checksum.js';
import { wireError } from './errors.js';
import {
  emitTcpOptions,
  parseTcpOptions,
  readTcpOptionsRange,
  type TcpOption,
  type TcpOptionSummary,
  tcpOptionsLength,
} from './tcp-options.js';
import { TransportView } from './transport-view.js';
import type { TransportParseOptions } from './udp.js';

export const TCP_MIN_HEADER_LENGTH = 20;
const PROTO_TCP = 6;

/** Flag bits as they sit in the 9-bit flags field. */
export const TcpFlag = {
  FIN: 0x001,
  SYN: 0x002,
  RST: 0x004,
  PSH: 0x008,
  ACK: 0x010,
  URG: 0x020,
  ECE: 0x040,
  CWR: 0x080,
  NS: 0x100,
} as const;

const FLAG_LETTERS: [number, string][] = [
  [TcpFlag.FIN, 'F'],
  [TcpFlag.SYN, 'S'],
  [TcpFlag.RST, 'R'],
  [TcpFlag.PSH, 'P'],
  [TcpFlag.ACK, 'A'],
  [TcpFlag.URG, 'U'],
  [TcpFlag.ECE, 'E'],
  [TcpFlag.CWR, 'C'],
  [TcpFlag.NS, 'N'],
];

/** Scapy-style flag letters, e.g. "SA" for SYN+ACK. */
export function tcpFlagsToString(flags: number): string {
  let s = '';
  for (const [bit, letter] of FLAG_LETTERS) if (flags & bit) s += letter;
  return s;
}

export interface TcpRepr {
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  /** The 9 flag bits (TcpFlag). */
  flags: number;
  /** The 3 reserved bits between data offset and NS (normally 0). */
  reserved: number;
  window: number;
  urgentPointer: number;
  options: TcpOption[];
  payload: Uint8Array;
  /** Emit only: write this checksum instead of computing one (crafting). */
  checksum?: number;
}

export class TcpView extends TransportView {
  static check(bytes: Uint8Array, offset = 0, length = bytes.length - offset): TcpView {
    return new TcpView().checkedWrap(bytes, offset, length);
  }
  /** Accepts any flags: users craft odd segments on purpose (see checkTcpStrict for the stack). */
  validate(): void {
    need(this.length, TCP_MIN_HEADER_LENGTH, 'tcp');
    const hl = this.headerLength;
    if (hl < TCP_MIN_HEADER_LENGTH) wireError('bad-length', `tcp: data offset ${hl / 4} < 5`);
    need(this.length, hl, 'tcp options');
  }
  get seq(): number {
    return get32(this.bytes, this.offset + 4);
  }
  set seq(v: number) {
    set32(this.bytes, this.offset + 4, v);
  }
  get ack(): number {
    return get32(this.bytes, this.offset + 8);
  }
  set ack(v: number) {
    set32(this.bytes, this.offset + 8, v);
  }
  /** Header length in bytes (data offset * 4). */
  get headerLength(): number {
    return (this.bytes[this.offset + 12] >> 4) * 4;
  }
  set headerLength(n: number) {
    const o = this.offset + 12;
    this.bytes[o] = ((n >> 2) << 4) | (this.bytes[o] & 15);
  }
  get reserved(): number {
    return (this.bytes[this.offset + 12] >> 1) & 7;
  }
  get flags(): number {
    return get16(this.bytes, this.offset + 12) & 0x1ff;
  }
  set flags(v: number) {
    const o = this.offset + 12;
    this.bytes[o] = (this.bytes[o] & 0xfe) | ((v >> 8) & 1);
    this.bytes[o + 1] = v & 0xff;
  }
  get fin(): boolean {
    return (this.bytes[this.offset + 13] & 0x01) !== 0;
  }
  get syn(): boolean {
    return (this.bytes[this.offset + 13] & 0x02) !== 0;
  }
  get rst(): boolean {
    return (this.bytes[this.offset + 13] & 0x04) !== 0;
  }
  get psh(): boolean {
    return (this.bytes[this.offset + 13] & 0x08) !== 0;
  }
  get ackFlag(): boolean {
    return (this.bytes[this.offset + 13] & 0x10) !== 0;
  }
  get urg(): boolean {
    return (this.bytes[this.offset + 13] & 0x20) !== 0;
  }
  get ece(): boolean {
    return (this.bytes[this.offset + 13] & 0x40) !== 0;
  }
  get cwr(): boolean {
    return (this.bytes[this.offset + 13] & 0x80) !== 0;
  }
  get ns(): boolean {
    return (this.bytes[this.offset + 12] & 0x01) !== 0;
  }
  get window(): number {
    return get16(this.bytes, this.offset + 14);
  }
  set window(v: number) {
    set16(this.bytes, this.offset + 14, v);
  }
  get checksum(): number {
    return get16(this.bytes, this.offset + 16);
  }
  set checksum(v: number) {
    set16(this.bytes, this.offset + 16, v);
  }
  get urgentPointer(): number {
    return get16(this.bytes, this.offset + 18);
  }
  set urgentPointer(v: number) {
    set16(this.bytes, this.offset + 18, v);
  }
  get optionsOffset(): number {
    return this.offset + TCP_MIN_HEADER_LENGTH;
  }
  get options(): Uint8Array {
    return this.bytes.subarray(this.offset + TCP_MIN_HEADER_LENGTH, this.offset + this.headerLength);
  }
  get payloadOffset(): number {
    return this.offset + this.headerLength;
  }
  /** The view's length is the segment length: pass the IP payload length when wrapping. */
  get payloadLength(): number {
    return this.length - this.headerLength;
  }
  get payload(): Uint8Array {
    return this.bytes.subarray(this.offset + this.headerLength, this.offset + this.length);
  }
  /** Sequence space the segment occupies: payload + SYN + FIN (RFC 9293 §3.4). */
  get segmentLength(): number {
    return this.payloadLength + (this.syn ? 1 : 0) + (this.fin ? 1 : 0);
  }
  /** Allocation-free option scan for the stack; false when an option is malformed. */
  readOptionsInto(target: TcpOptionSummary): boolean {
    return readTcpOptionsRange(this.bytes, this.optionsOffset, this.offset + this.headerLength, target);
  }
  /** RFC 9293 §3.1: the checksum covers the pseudo-header (`pseudoSum`) and the whole segment. */
  verifyChecksum(pseudoSum: number): boolean {
    return this.sumVerifies(pseudoSum, this.length);
  }
  fillChecksum(pseudoSum: number): void {
    this.checksum = 0;
    this.checksum = this.computeChecksum(pseudoSum, this.length);
  }
}

/** Same as view.readOptionsInto: fills `target`, returns false on a malformed option. */
export function readTcpOptionsInto(view: TcpView, target: TcpOptionSummary): boolean {
  return view.readOptionsInto(target);
}

/**
 * The stricter rules the stack applies (as smoltcp's TcpRepr::parse): ports are non-zero and at most
 * one of SYN, FIN, RST is set. Throws WireError('bad-flags' | 'bad-field').
 */
export function checkTcpStrict(view: TcpView): void {
  if (view.srcPort === 0 || view.dstPort === 0) wireError('bad-field', 'tcp: port 0');
  const n = (view.syn ? 1 : 0) + (view.fin ? 1 : 0) + (view.rst ? 1 : 0);
  if (n > 1) wireError('bad-flags', `tcp: impossible flags ${tcpFlagsToString(view.flags)}`);
}

export function tcpHeaderLength(repr: TcpRepr): number {
  return TCP_MIN_HEADER_LENGTH + ((tcpOptionsLength(repr.options) + 3) & ~3);
}

export interface TcpParseOptions extends TransportParseOptions {
  /** Apply checkTcpStrict (the stack's rules). */
  strict?: boolean;
}

export function parseTcp(input: TcpView | Uint8Array, opts: TcpParseOptions = {}): TcpRepr {
  const v = input instanceof TcpView ? input : TcpView.check(input);
  if (opts.strict) checkTcpStrict(v);
  if (opts.pseudo && !v.verifyChecksum(pseudoHeaderSum(opts.pseudo, PROTO_TCP, v.length))) {
    wireError('bad-checksum', 'tcp: checksum');
  }
  return {
    srcPort: v.srcPort,
    dstPort: v.dstPort,
    seq: v.seq,
    ack: v.ack,
    flags: v.flags,
    reserved: v.reserved,
    window: v.window,
    urgentPointer: v.urgentPointer,
    options: parseTcpOptions(v.bytes, v.optionsOffset, v.offset + v.headerLength),
    payload: v.payload,
  };
}

/**
 * Writes header, options (zero-padded to 4 bytes) and payload at `offset`; returns the segment length.
 * With `pseudo` the checksum is computed; without it the field is left 0 (offload) unless repr.checksum.
 */
export function emitTcp(
  repr: TcpRepr,
  bytes: Uint8Array,
  offset = 0,
  pseudo: PseudoHeader | null = null,
): number {
  const hl = tcpHeaderLength(repr);
  if (hl > 60) wireError('bad-length', `tcp: ${hl - 20} bytes of options exceed 40`);
  const b = bytes;
  set16(b, offset, repr.srcPort);
  set16(b, offset + 2, repr.dstPort);
  set32(b, offset + 4, repr.seq);
  set32(b, offset + 8, repr.ack);
  b[offset + 12] = ((hl >> 2) << 4) | ((repr.reserved & 7) << 1) | ((repr.flags >> 8) & 1);
  b[offset + 13] = repr.flags & 0xff;
  set16(b, offset + 14, repr.window);
  set16(b, offset + 16, 0);
  set16(b, offset + 18, repr.urgentPointer);
  const optEnd =
    offset + TCP_MIN_HEADER_LENGTH + emitTcpOptions(repr.options, b, offset + TCP_MIN_HEADER_LENGTH);
  b.fill(0, optEnd, offset + hl);
  placeBytes(b, offset + hl, repr.payload);
  const len = hl + repr.payload.length;
  if (repr.checksum !== undefined) set16(b, offset + 16, repr.checksum);
  else if (pseudo)
    set16(b, offset + 16, internetChecksum(b, offset, len, pseudoHeaderSum(pseudo, PROTO_TCP, len)));
  return len;
}
