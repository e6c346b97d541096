// A bounded set of half-open ranges [start, end) over relative sequence offsets.
// Used for "which bytes has this direction already sent" (retransmission vs. out-of-order) and
// for reporting holes. Memory stays bounded: past `maxRanges`, the two lowest ranges are merged
// (the gap between them is then treated as seen: old history gets coarser, never larger).

export class IntervalSet {
  /** Flat [start0, end0, start1, end1, ...], sorted and non-overlapping, non-adjacent. */
  private readonly edges: number[] = [];

  constructor(readonly maxRanges = 64) {}

  get size(): number {
    return this.edges.length / 2;
  }

  add(start: number, end: number): void {
    if (end <= start) return;
    const e = this.edges;
    let i = 0;
    while (i < e.length && e[i + 1] < start) i += 2; // first range that ends at or after start
    let j = i;
    while (j < e.length && e[j] <= end) {
      start = Math.min(start, e[j]);
      end = Math.max(end, e[j + 1]);
      j += 2;
    }
    e.splice(i, j - i, start, end);
    if (e.length > this.maxRanges * 2) this.mergeLowest();
  }

  /** True when every byte of the non-empty range [start, end) is in the set. */
  covers(start: number, end: number): boolean {
    if (end <= start) return false;
    const e = this.edges;
    for (let i = 0; i < e.length; i += 2) {
      if (e[i] <= start && end <= e[i + 1]) return true;
      if (e[i] > start) return false;
    }
    return false;
  }

  /** True when any byte of [start, end) is in the set. */
  overlaps(start: number, end: number): boolean {
    if (end <= start) return false;
    const e = this.edges;
    for (let i = 0; i < e.length; i += 2) {
      if (e[i] < end && start < e[i + 1]) return true;
      if (e[i] >= end) return false;
    }
    return false;
  }

  /** The ranges as pairs (allocates; for reports and tests). */
  ranges(): Array<[number, number]> {
    const out: Array<[number, number]> = [];
    for (let i = 0; i < this.edges.length; i += 2) out.push([this.edges[i], this.edges[i + 1]]);
    return out;
  }

  private mergeLowest(): void {
    const e = this.edges;
    e.splice(1, 2); // [s0, e0, s1, e1] -> [s0, e1]
  }
}
