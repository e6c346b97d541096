// When each retransmission of the current loss episode went out, so that an ACK covering retransmitted
// data can tell whether its timestamp echo belongs to the latest transmission (a valid RTT sample,
// RFC 7323 §4.1) or to an earlier one (ambiguous: Karn's rule, RFC 6298 §3), and whether the original
// was received before the retransmission was sent (Eifel detection, RFC 3522 §3.2).
//
// Entries are kept sorted by offset: a retransmission below the last logged one (an RTO or a NewReno
// partial ACK going back to SND.UNA) is later in time than every entry, so it supersedes them all.
// Storage is two growable typed arrays reused for the whole connection: no allocation per entry.

export class RetransmitLog {
  private offs = new Float64Array(16);
  private times = new Float64Array(16);
  private head = 0;
  private tail = 0;
  /** When the first retransmission of the current episode went out (Linux retrans_stamp), or -1. */
  firstAt = -1;

  get isEmpty(): boolean {
    return this.head === this.tail;
  }

  /** A retransmission of data starting at `off` went out at `now`. */
  record(off: number, now: number): void {
    if (this.firstAt < 0) this.firstAt = now;
    if (this.tail > this.head && off <= this.offs[this.tail - 1]) this.tail = this.head = 0;
    if (this.tail === this.offs.length) this.grow();
    this.offs[this.tail] = off;
    this.times[this.tail] = now;
    this.tail++;
  }

  /**
   * Latest transmission time of retransmitted data below `ackOff` (what an ACK up to `ackOff` covers), or
   * -Infinity when that range holds no retransmitted byte.
   */
  latestBelow(ackOff: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offs[mid] < ackOff) lo = mid + 1;
      else hi = mid;
    }
    return lo > this.head ? this.times[lo - 1] : Number.NEGATIVE_INFINITY;
  }

  /** Latest send time of retransmissions starting in [from, to), or -Infinity. */
  latestIn(from: number, to: number): number {
    let lo = this.head;
    let hi = this.tail;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.offs[mid] < to) lo = mid + 1;
      else hi = mid;
    }
    return lo > this.head && this.offs[lo - 1] >= from ? this.times[lo - 1] : Number.NEGATIVE_INFINITY;
  }

  /** SND.UNA moved to `una`: keep at most one entry at or below it (the one a later ACK may still cover). */
  prune(una: number): void {
    while (this.tail - this.head > 1 && this.offs[this.head + 1] <= una) this.head++;
  }

  /** The episode is over (everything retransmitted is acknowledged). */
  clear(): void {
    this.head = this.tail = 0;
    this.firstAt = -1;
  }

  private grow(): void {
    const n = this.tail - this.head;
    const size = n * 2 > this.offs.length ? this.offs.length * 2 : this.offs.length;
    const offs = new Float64Array(size);
    const times = new Float64Array(size);
    offs.set(this.offs.subarray(this.head, this.tail));
    times.set(this.times.subarray(this.head, this.tail));
    this.offs = offs;
    this.times = times;
    this.head = 0;
    this.tail = n;
  }
}
