// Out-of-order bookkeeping for the receiver (RFC 9293 §3.10.7.4 "segments with higher beginning
// sequence numbers ... may be held for later processing"). The bytes themselves are written in place
// into the receive ring; this tracks which absolute stream ranges [start, end) are present above
// RCV.NXT. Sorted, non-overlapping, non-adjacent; bounded by a maximum number of ranges, not by a
// small fixed gap count. Data already present wins over new overlapping data (first copy kept).

export class RangeSet {
  /** Flattened [start0, end0, start1, end1, ...], ascending. */
  private r: number[] = [];

  constructor(readonly maxRanges: number) {}

  get count(): number {
    return this.r.length >> 1;
  }

  get isEmpty(): boolean {
    return this.r.length === 0;
  }

  start(i: number): number {
    return this.r[2 * i];
  }

  end(i: number): number {
    return this.r[2 * i + 1];
  }

  /** Total bytes held. */
  bytes(): number {
    let n = 0;
    for (let i = 0; i < this.r.length; i += 2) n += this.r[i + 1] - this.r[i];
    return n;
  }

  /** Highest end, or -Infinity. */
  highest(): number {
    return this.r.length === 0 ? Number.NEGATIVE_INFINITY : this.r[this.r.length - 1];
  }

  /** Index of the range containing x (start <= x < end), or -1. */
  find(x: number): number {
    let lo = 0;
    let hi = this.count - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (x < this.r[2 * mid]) hi = mid - 1;
      else if (x >= this.r[2 * mid + 1]) lo = mid + 1;
      else return mid;
    }
    return -1;
  }

  /** Index of the first range whose end >= x. */
  private lowerBound(x: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.r[2 * mid + 1] < x) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * Add [start, end). Calls `onNew(s, e)` for each piece not already present (so the caller copies only
   * those bytes), then merges. Returns false (and adds nothing) if it would exceed maxRanges.
   */
  add(start: number, end: number, onNew?: (s: number, e: number) => void): boolean {
    if (end <= start) return true;
    const first = this.lowerBound(start); // first range that ends at or after start (touching merges)
    let last = first;
    while (last < this.count && this.r[2 * last] <= end) last++;
    const merged = last - first; // ranges overlapping or adjacent to [start, end)
    if (merged === 0 && this.count >= this.maxRanges) return false;
    if (onNew) {
      let cursor = start;
      for (let i = first; i < last && cursor < end; i++) {
        const s = this.r[2 * i];
        const e = this.r[2 * i + 1];
        if (s > cursor) onNew(cursor, Math.min(s, end));
        cursor = Math.max(cursor, e);
      }
      if (cursor < end) onNew(cursor, end);
    }
    const newStart = merged > 0 ? Math.min(start, this.r[2 * first]) : start;
    const newEnd = merged > 0 ? Math.max(end, this.r[2 * (last - 1) + 1]) : end;
    if (merged === 1) {
      // The common case, extending one range: edit in place, no allocation.
      this.r[2 * first] = newStart;
      this.r[2 * first + 1] = newEnd;
    } else this.replaceRanges(2 * first, 2 * merged, newStart, newEnd);
    return true;
  }

  /** r[at, at+removed) becomes [start, end], shifting in place (splice would allocate its result). */
  private replaceRanges(at: number, removed: number, start: number, end: number): void {
    const r = this.r;
    const len = r.length;
    if (removed === 0) {
      r.push(0, 0);
      for (let i = len - 1; i >= at; i--) r[i + 2] = r[i];
    } else if (removed > 2) {
      const shift = removed - 2;
      for (let i = at + removed; i < len; i++) r[i - shift] = r[i];
      r.length = len - shift;
    }
    r[at] = start;
    r[at + 1] = end;
  }

  /** Call `cb(s, e)` for each piece of [start, end) not in the set. */
  forEachGap(start: number, end: number, cb: (s: number, e: number) => void): void {
    let cursor = start;
    for (let i = this.lowerBound(start); i < this.count && cursor < end; i++) {
      const s = this.r[2 * i];
      if (s >= end) break;
      if (s > cursor) cb(cursor, s);
      cursor = Math.max(cursor, this.r[2 * i + 1]);
    }
    if (cursor < end) cb(cursor, end);
  }

  /** Remove everything below x (ranges straddling x are cut). */
  removeBelow(x: number): void {
    let i = 0;
    while (i < this.r.length && this.r[i + 1] <= x) i += 2;
    if (i > 0) {
      // Shift in place (splice would allocate an array of the removed values).
      const r = this.r;
      for (let j = i; j < r.length; j++) r[j - i] = r[j];
      r.length -= i;
    }
    if (this.r.length > 0 && this.r[0] < x) this.r[0] = x;
  }

  /** Remove everything at or above x. */
  removeFrom(x: number): void {
    let n = this.r.length;
    while (n > 0 && this.r[n - 2] >= x) n -= 2;
    this.r.length = n;
    if (n > 0 && this.r[n - 1] > x) this.r[n - 1] = x;
  }

  clear(): void {
    this.r.length = 0;
  }

  /** Bytes of [lo, hi) that are NOT in the set. */
  gapBytes(lo: number, hi: number): number {
    if (hi <= lo) return 0;
    let covered = 0;
    for (let i = this.lowerBound(lo); i < this.count; i++) {
      const s = this.r[2 * i];
      if (s >= hi) break;
      covered += Math.min(hi, this.r[2 * i + 1]) - Math.max(lo, s);
    }
    return hi - lo - covered;
  }

  /** First offset >= x (and < limit) not in the set, or -1. */
  firstGap(x: number, limit: number): number {
    const i = this.find(x);
    const y = i < 0 ? x : this.r[2 * i + 1];
    return y < limit ? y : -1;
  }

  /** End of the gap starting at x (the next range's start), or Infinity. */
  gapEnd(x: number): number {
    const i = this.lowerBound(x + 1);
    return i < this.count ? Math.max(x, this.r[2 * i]) : Number.POSITIVE_INFINITY;
  }

  toArray(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.r.length; i += 2) out.push([this.r[i], this.r[i + 1]]);
    return out;
  }
}
