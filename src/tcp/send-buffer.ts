// Bytes the application wrote and the peer has not yet acknowledged (RFC 9293 §3.9.1 SEND).
// Offset 0 is the byte at SND.UNA (or the first data byte while the SYN is unacknowledged).

import { ByteRing } from './ring-buffer.js';

export class SendBuffer {
  private readonly ring: ByteRing;
  private used = 0;
  private scratch: Uint8Array = new Uint8Array(0);

  constructor(readonly maxSize: number) {
    this.ring = new ByteRing(maxSize);
  }

  get length(): number {
    return this.used;
  }

  get free(): number {
    return this.maxSize - this.used;
  }

  /** Memory currently allocated for the buffer. */
  get allocated(): number {
    return this.ring.capacity;
  }

  /** Copy as much of `data` as fits; returns the number of bytes taken. */
  write(data: Uint8Array): number {
    const n = Math.min(data.length, this.free);
    if (n === 0) return 0;
    this.ring.ensure(this.used + n, this.used);
    this.ring.writeAt(this.used, data, 0, n);
    this.used += n;
    return n;
  }

  /** Drop `n` acknowledged bytes from the front. */
  consume(n: number): void {
    if (n <= 0) return;
    if (n > this.used) throw new RangeError(`send buffer: consume ${n} of ${this.used}`);
    this.ring.advance(n);
    this.used -= n;
  }

  /** Free the memory once everything was acknowledged and nothing more can be written (FIN acked, closed). */
  releaseIfEmpty(): void {
    if (this.used > 0) return;
    this.ring.release();
    this.scratch = new Uint8Array(0);
  }

  /** Bytes [off, off+len) as a view (zero-copy when contiguous; otherwise a reused scratch copy). */
  slice(off: number, len: number): Uint8Array {
    const v = this.ring.view(off, len);
    if (v) return v;
    if (this.scratch.length < len) this.scratch = new Uint8Array(Math.max(len, 2048));
    const out = this.scratch.subarray(0, len);
    this.ring.readAt(off, out, 0, len);
    return out;
  }
}
