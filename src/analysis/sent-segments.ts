// Segments sent but not yet acknowledged, for RTT samples by data-to-ACK matching.
// Karn's rule (RFC 6298 §3): a segment that was retransmitted gives no sample, because an ACK
// cannot tell which copy it acknowledges. Bounded ring: when full, the oldest entry is forgotten.

export class SentSegments {
  private readonly starts: Float64Array;
  private readonly ends: Float64Array;
  private readonly times: Float64Array;
  private readonly retransmitted: Uint8Array;
  private head = 0; // index of the oldest entry
  private count = 0;

  constructor(readonly capacity = 1024) {
    this.starts = new Float64Array(capacity);
    this.ends = new Float64Array(capacity);
    this.times = new Float64Array(capacity);
    this.retransmitted = new Uint8Array(capacity);
  }

  get length(): number {
    return this.count;
  }

  /** Records a first transmission of [start, end) (relative offsets, SYN/FIN counted). */
  push(start: number, end: number, time: number): void {
    if (this.count === this.capacity) this.dropOldest();
    const i = (this.head + this.count) % this.capacity;
    this.starts[i] = start;
    this.ends[i] = end;
    this.times[i] = time;
    this.retransmitted[i] = 0;
    this.count++;
  }

  /** Marks every pending segment overlapping [start, end) as retransmitted; returns the first one's send time, or -1. */
  markRetransmitted(start: number, end: number): number {
    let firstSent = -1;
    for (let k = 0; k < this.count; k++) {
      const i = (this.head + k) % this.capacity;
      if (this.ends[i] > start && this.starts[i] < end) {
        this.retransmitted[i] = 1;
        if (firstSent < 0) firstSent = this.times[i];
      }
    }
    return firstSent;
  }

  /**
   * Removes the segments fully covered by `ack`. Returns how many were removed, and writes an RTT
   * sample into `out` when the ACK exactly covers a segment that was sent once (tcptrace's rule).
   */
  acknowledge(ack: number, time: number, out: { rtt: number }): number {
    out.rtt = -1;
    let removed = 0;
    while (this.count > 0 && this.ends[this.head] <= ack) {
      const i = this.head;
      if (this.ends[i] === ack && this.retransmitted[i] === 0) out.rtt = time - this.times[i];
      this.dropOldest();
      removed++;
    }
    return removed;
  }

  private dropOldest(): void {
    this.head = (this.head + 1) % this.capacity;
    this.count--;
  }
}
