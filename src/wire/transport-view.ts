// What the TCP (RFC 9293 §3.1) and UDP (RFC 768) headers share: the two ports in their first four
// bytes, and a checksum over a pseudo-header plus the whole segment.
import { get16, set16 } from './bytes.js';
import { checksumVerifies, internetChecksum } from './checksum.js';
import { WireView } from './view.js';

export abstract class TransportView extends WireView {
  get srcPort(): number {
    return get16(this.bytes, this.offset);
  }
  set srcPort(v: number) {
    set16(this.bytes, this.offset, v);
  }
  get dstPort(): number {
    return get16(this.bytes, this.offset + 2);
  }
  set dstPort(v: number) {
    set16(this.bytes, this.offset + 2, v);
  }

  /** True when `length` bytes from the header, plus the pseudo-header sum, verify. */
  protected sumVerifies(pseudoSum: number, length: number): boolean {
    return checksumVerifies(this.bytes, this.offset, length, pseudoSum);
  }

  /** The checksum field value over `length` bytes (the field itself must be 0 while summing). */
  protected computeChecksum(pseudoSum: number, length: number): number {
    return internetChecksum(this.bytes, this.offset, length, pseudoSum);
  }
}
