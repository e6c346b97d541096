// UDP (RFC 768; IPv6 checksum rules RFC 8200 §8.1).
import { get16, need, placeBytes, set16 } from './bytes.js';
import { internetChecksum, type PseudoHeader, pseudoHeaderSum } from './checksum.js';
import { wireError } from './errors.js';
import { TransportView } from './transport-view.js';

export const UDP_HEADER_LENGTH = 8;
const PROTO_UDP = 17;

export interface UdpRepr {
  srcPort: number;
  dstPort: number;
  payload: Uint8Array;
  /** Emit only: write this checksum instead of computing one (crafting). */
  checksum?: number;
}

export class UdpView extends TransportView {
  static check(bytes: Uint8Array, offset = 0, length = bytes.length - offset): UdpView {
    return new UdpView().checkedWrap(bytes, offset, length);
  }
  validate(): void {
    need(this.length, UDP_HEADER_LENGTH, 'udp');
    const len = this.udpLength;
    if (len < UDP_HEADER_LENGTH) wireError('bad-length', `udp: length field ${len} < 8`);
    need(this.length, len, 'udp length field');
  }
  /** The length field: header + payload. */
  get udpLength(): number {
    return get16(this.bytes, this.offset + 4);
  }
  set udpLength(v: number) {
    set16(this.bytes, this.offset + 4, v);
  }
  get checksum(): number {
    return get16(this.bytes, this.offset + 6);
  }
  set checksum(v: number) {
    set16(this.bytes, this.offset + 6, v);
  }
  get payloadOffset(): number {
    return this.offset + UDP_HEADER_LENGTH;
  }
  get payload(): Uint8Array {
    return this.bytes.subarray(this.offset + UDP_HEADER_LENGTH, this.offset + this.udpLength);
  }
  /** True when the checksum verifies, or is 0 ("none", IPv4 only: pass allowZero). */
  verifyChecksum(pseudoSum: number, allowZero = false): boolean {
    if (this.checksum === 0) return allowZero;
    return this.sumVerifies(pseudoSum, this.udpLength);
  }
  /** Fills the checksum; a computed 0 is sent as 0xffff (RFC 768, RFC 8200 §8.1). */
  fillChecksum(pseudoSum: number): void {
    this.checksum = 0;
    this.checksum = nonZeroChecksum(this.computeChecksum(pseudoSum, this.udpLength));
  }
}

export function udpHeaderLength(_repr?: UdpRepr): number {
  return UDP_HEADER_LENGTH;
}

export interface TransportParseOptions {
  /** Verify the checksum against these addresses; throws WireError('bad-checksum'). */
  pseudo?: PseudoHeader;
}

export function parseUdp(input: UdpView | Uint8Array, opts: TransportParseOptions = {}): UdpRepr {
  const v = input instanceof UdpView ? input : UdpView.check(input);
  if (opts.pseudo) {
    const v6 = opts.pseudo.src.length === 16;
    if (!v.verifyChecksum(pseudoHeaderSum(opts.pseudo, PROTO_UDP, v.udpLength), !v6)) {
      wireError('bad-checksum', 'udp: checksum');
    }
  }
  return { srcPort: v.srcPort, dstPort: v.dstPort, payload: v.payload };
}

/**
 * Writes header and payload at `offset`; returns the datagram length. With `pseudo` the checksum is
 * computed; without it the checksum is 0 ("no checksum", allowed for IPv4 only).
 */
export function emitUdp(
  repr: UdpRepr,
  bytes: Uint8Array,
  offset = 0,
  pseudo: PseudoHeader | null = null,
): number {
  const len = UDP_HEADER_LENGTH + repr.payload.length;
  if (len > 0xffff) wireError('bad-length', 'udp: datagram over 65535 bytes');
  set16(bytes, offset, repr.srcPort);
  set16(bytes, offset + 2, repr.dstPort);
  set16(bytes, offset + 4, len);
  set16(bytes, offset + 6, 0);
  placeBytes(bytes, offset + UDP_HEADER_LENGTH, repr.payload);
  if (repr.checksum !== undefined) set16(bytes, offset + 6, repr.checksum);
  else if (pseudo) {
    const c = internetChecksum(bytes, offset, len, pseudoHeaderSum(pseudo, PROTO_UDP, len));
    set16(bytes, offset + 6, nonZeroChecksum(c));
  }
  return len;
}

/** RFC 768, RFC 8200 §8.1: a computed checksum of 0 is sent as all ones (0 means "none"). */
function nonZeroChecksum(c: number): number {
  return c === 0 ? 0xffff : c;
}
