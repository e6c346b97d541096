// A byte ring addressed by logical offset from its head, growing lazily up to a maximum so that
// 1,000 idle connections do not each hold megabytes: nothing is allocated until the first byte arrives.
// Used by the send buffer and the receive buffer.

const MIN_CAPACITY = 4096;
const EMPTY = new Uint8Array(0);

export class ByteRing {
  private buf: Uint8Array;
  private head = 0;

  constructor(readonly maxCapacity: number) {
    this.buf = EMPTY;
  }

  get capacity(): number {
    return this.buf.length;
  }

  /** Make room for logical offsets [0, size); keeps the first `keep` bytes. */
  ensure(size: number, keep: number): void {
    if (size <= this.buf.length) return;
    if (size > this.maxCapacity) throw new RangeError(`ring: ${size} exceeds ${this.maxCapacity}`);
    let cap = Math.max(this.buf.length, MIN_CAPACITY);
    while (cap < size) cap *= 2;
    const next = new Uint8Array(Math.min(cap, this.maxCapacity));
    if (keep > 0 && this.buf.length > 0) this.readAt(0, next, 0, Math.min(keep, this.buf.length));
    this.buf = next;
    this.head = 0;
  }

  /** Copy src[srcStart, srcStart+len) to logical offset `off` (off + len <= capacity). */
  writeAt(off: number, src: Uint8Array, srcStart: number, len: number): void {
    const cap = this.buf.length;
    let pos = (this.head + off) % cap;
    const first = Math.min(len, cap - pos);
    if (srcStart === 0 && first === src.length) {
      // The common case (a whole segment, no wrap): no view object per packet.
      this.buf.set(src, pos);
      return;
    }
    this.buf.set(src.subarray(srcStart, srcStart + first), pos);
    if (first < len) {
      pos = 0;
      this.buf.set(src.subarray(srcStart + first, srcStart + len), pos);
    }
  }

  /** Copy logical [off, off+len) into dst at dstStart. */
  readAt(off: number, dst: Uint8Array, dstStart: number, len: number): void {
    const cap = this.buf.length;
    const pos = (this.head + off) % cap;
    const first = Math.min(len, cap - pos);
    dst.set(this.buf.subarray(pos, pos + first), dstStart);
    if (first < len) dst.set(this.buf.subarray(0, len - first), dstStart + first);
  }

  /** A zero-copy view of logical [off, off+len), or null when it wraps around the end. */
  view(off: number, len: number): Uint8Array | null {
    const cap = this.buf.length;
    const pos = (this.head + off) % cap;
    return pos + len <= cap ? this.buf.subarray(pos, pos + len) : null;
  }

  /** A zero-copy view of logical [off, off+len), cut short where it would wrap around the end. */
  viewUpToWrap(off: number, len: number): Uint8Array {
    const cap = this.buf.length;
    if (cap === 0 || len === 0) return EMPTY;
    const pos = (this.head + off) % cap;
    return this.buf.subarray(pos, pos + Math.min(len, cap - pos));
  }

  /** Give the memory back (only when nothing in it is needed any more); the next ensure() allocates again. */
  release(): void {
    this.buf = EMPTY;
    this.head = 0;
  }

  /** Drop `n` bytes from the head. */
  advance(n: number): void {
    if (this.buf.length === 0) return;
    this.head = (this.head + n) % this.buf.length;
  }
}
