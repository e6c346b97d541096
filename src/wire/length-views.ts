// Views of one buffer from a fixed start, one per length, made once and reused: a link carries few
// distinct frame sizes (full segments, ACKs), so per-packet code hands out views without
// allocating. A view is as valid as the bytes behind it. Bounded: past `max` lengths it starts over.

const DEFAULT_MAX = 512;

export class LengthViews {
  private readonly views = new Map<number, Uint8Array>();

  constructor(
    private buffer: Uint8Array,
    private start = 0,
    private readonly max = DEFAULT_MAX,
  ) {}

  /** buffer[start, start + length), the same object for the same length. */
  view(length: number): Uint8Array {
    let v = this.views.get(length);
    if (v === undefined) {
      if (this.views.size >= this.max) this.views.clear();
      v = this.buffer.subarray(this.start, this.start + length);
      this.views.set(length, v);
    }
    return v;
  }

  /** Views from another start (or of another buffer) from now on; the old ones are forgotten. */
  rebase(start: number, buffer: Uint8Array = this.buffer): void {
    if (start === this.start && buffer === this.buffer) return;
    this.views.clear();
    this.start = start;
    this.buffer = buffer;
  }

  /** Forget every view (the memory behind them is about to go). */
  clear(): void {
    this.views.clear();
  }
}
