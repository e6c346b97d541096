// The sender's SACK scoreboard (RFC 6675 §3, §4): which bytes above SND.UNA the receiver has
// SACKed, IsLost() and the loss boundary it implies. Offsets are absolute sequence offsets from the
// ISS (plain numbers that never wrap); the sender converts wire SACK blocks before calling in.

import { RangeSet } from './reassembly.js';

export class SackScoreboard {
  private readonly ranges: RangeSet;
  private sacked = 0;
  private added = 0;
  /** Bound once: counts bytes newly SACKed without allocating a closure per block. */
  private readonly countNew = (s: number, e: number): void => {
    this.added += e - s;
  };

  constructor(maxRanges: number) {
    this.ranges = new RangeSet(maxRanges);
  }

  /** Bytes currently SACKed above SND.UNA. */
  get sackedBytes(): number {
    return this.sacked;
  }

  get isEmpty(): boolean {
    return this.ranges.isEmpty;
  }

  get rangeCount(): number {
    return this.ranges.count;
  }

  /** HighACK of RFC 6675 §2: the highest SACKed offset (exclusive end), or -Infinity. */
  get highSacked(): number {
    return this.ranges.highest();
  }

  /**
   * Record one SACK block [start, end). Blocks outside (una, sndNxt] are ignored (RFC 2018 §3 does not
   * allow SACKing unsent data; a block below SND.UNA is a D-SACK, RFC 2883). Returns newly SACKed bytes.
   */
  add(start: number, end: number, una: number, sndNxt: number): number {
    if (start < una) start = una;
    if (end > sndNxt) return 0; // SACK for data never sent: bogus, drop the block
    if (end <= start) return 0;
    this.added = 0;
    if (!this.ranges.add(start, end, this.countNew)) return 0;
    this.sacked += this.added;
    return this.added;
  }

  /** Forget everything below the new SND.UNA. */
  prune(una: number): void {
    if (this.ranges.isEmpty || this.ranges.start(0) >= una) return;
    this.ranges.removeBelow(una);
    this.sacked = this.ranges.bytes();
  }

  clear(): void {
    this.ranges.clear();
    this.sacked = 0;
  }

  isSacked(off: number): boolean {
    return this.ranges.find(off) >= 0;
  }

  /**
   * The loss boundary L: every un-SACKed byte below L satisfies IsLost() of RFC 6675 §4 — DupThresh
   * discontiguous SACKed ranges above it, or more than (DupThresh - 1) * SMSS SACKed bytes above it.
   * Returns -Infinity when nothing is lost.
   */
  lossBoundary(dupThresh: number, mss: number): number {
    let blocks = 0;
    let bytes = 0;
    const limit = (dupThresh - 1) * mss;
    for (let i = this.ranges.count - 1; i >= 0; i--) {
      blocks++;
      bytes += this.ranges.end(i) - this.ranges.start(i);
      if (blocks >= dupThresh || bytes > limit) return this.ranges.start(i);
    }
    return Number.NEGATIVE_INFINITY;
  }

  /** Un-SACKed bytes in [lo, hi). */
  holeBytes(lo: number, hi: number): number {
    return this.ranges.gapBytes(lo, hi);
  }

  /** First un-SACKed offset in [from, limit), or -1. */
  firstHole(from: number, limit: number): number {
    return this.ranges.firstGap(from, limit);
  }

  /** End of the hole that starts at `off` (start of the next SACKed range), or Infinity. */
  holeEnd(off: number): number {
    return this.ranges.gapEnd(off);
  }

  /** SACKed bytes recounted from the ranges (for invariant checks). */
  recount(): number {
    return this.ranges.bytes();
  }

  lowest(): number {
    return this.ranges.isEmpty ? Number.POSITIVE_INFINITY : this.ranges.start(0);
  }

  toArray(): Array<[number, number]> {
    return this.ranges.toArray();
  }
}
