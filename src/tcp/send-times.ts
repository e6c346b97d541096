// When each segment of new data was first sent, in send order (RACK's Segment.xmit_ts, RFC 8985 §6.1).
// New data always goes out at SND.NXT, so offsets and times both grow along the log: a lookup by offset
// or by time is a binary search. Retransmission times live in RetransmitLog. Two growable typed arrays
// reused for the connection's life: nothing is allocated per segment.

export class SendTimeLog {
  private ends = new Float64Array(64);
  private times = new Float64Array(64);
  private head = 0;
  private tail = 0;

  /** New data ending at `end` (exclusive offset) went out at `now`. */
  append(end: number, now: number): void {
    if (this.tail === this.ends.length) this.grow();
    this.ends[this.tail] = end;
    this.times[this.tail] = now;
    this.tail++;
  }

  /** Forget segments entirely below SND.UNA. */
  prune(una: number): void {
    while (this.head < this.tail && this.ends[this.head] <= una) this.head++;
    if (this.head === this.tail) this.head = this.tail = 0;
  }

  /** First-transmission time of the segment holding offset `off`, or -1 when unknown. */
  timeAt(off: number): number {
    const i = this.firstEndAbove(off);
    return i < this.tail ? this.times[i] : -1;
  }

  /** End offset of the segment holding `off` (or `off + 1` when unknown). */
  endAt(off: number): number {
    const i = this.firstEndAbove(off);
    return i < this.tail ? this.ends[i] : off + 1;
  }

  /**
   * The end of the last segment sent before (time, end) in RACK's order (RFC 8985 §6.2 RACK_sent_after:
   * earlier time, or the same time and a lower sequence), and no later than `latest`; -Infinity if none.
   */
  sentBefore(time: number, end: number, latest: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const t = this.times[mid];
      const before = (t < time || (t === time && this.ends[mid] <= end)) && t <= latest;
      if (before) lo = mid + 1;
      else hi = mid;
    }
    return lo > this.head ? this.ends[lo - 1] : Number.NEGATIVE_INFINITY;
  }

  private firstEndAbove(off: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.ends[mid] <= off) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private grow(): void {
    const n = this.tail - this.head;
    const size = n * 2 > this.ends.length ? this.ends.length * 2 : this.ends.length;
    const ends = new Float64Array(size);
    const times = new Float64Array(size);
    ends.set(this.ends.subarray(this.head, this.tail));
    times.set(this.times.subarray(this.head, this.tail));
    this.ends = ends;
    this.times = times;
    this.head = 0;
    this.tail = n;
  }
}
