// Round-trip times as the wire shows them, measured like the classic one-segment-at-a-time timer
// (RFC 6298 §3 with Karn's algorithm): time one segment from when it leaves the sender to when an
// ACK covering it comes back; never time across a retransmission. Independent of the engine's own
// estimator, so the simulator can check it.

import { seqBefore as seqLt } from '../wire/seq-number.js';

export interface RttSummary {
  samples: number;
  /** ms; NaN without samples. */
  min: number;
  avg: number;
  max: number;
}

export class RttSampler {
  private timing = false;
  private timedEnd = 0;
  private timedAt = 0;
  private highestEnd = 0;
  private started = false;
  private count = 0;
  private sum = 0;
  private lo = Number.POSITIVE_INFINITY;
  private hi = Number.NEGATIVE_INFINITY;

  /** A segment occupying [seq, seq + len) left the sender at `now`. */
  onSent(now: number, seq: number, len: number): void {
    if (len === 0) return;
    const end = (seq + len) >>> 0;
    const retransmit = this.started && seqLt(seq, this.highestEnd);
    if (!this.started || seqLt(this.highestEnd, end)) this.highestEnd = end;
    this.started = true;
    if (retransmit) {
      // Karn: an ACK may now answer either copy; the timed segment gives no sample.
      if (this.timing && seqLt(seq, this.timedEnd)) this.timing = false;
      return;
    }
    if (!this.timing) {
      this.timing = true;
      this.timedEnd = end;
      this.timedAt = now;
    }
  }

  /** Whether an ACK with this number would end the current measurement. */
  wouldSample(ack: number): boolean {
    return this.timing && !seqLt(ack, this.timedEnd);
  }

  /** An acceptable ACK arrived at the sender at `now`. */
  onAck(now: number, ack: number): void {
    if (!this.timing || seqLt(ack, this.timedEnd)) return;
    this.timing = false;
    const r = now - this.timedAt;
    this.count++;
    this.sum += r;
    if (r < this.lo) this.lo = r;
    if (r > this.hi) this.hi = r;
  }

  summary(): RttSummary {
    if (this.count === 0) return { samples: 0, min: Number.NaN, avg: Number.NaN, max: Number.NaN };
    return { samples: this.count, min: this.lo, avg: this.sum / this.count, max: this.hi };
  }

  /** Merge another sampler's samples (both directions of data). */
  static merge(a: RttSampler, b: RttSampler): RttSummary {
    const count = a.count + b.count;
    if (count === 0) return { samples: 0, min: Number.NaN, avg: Number.NaN, max: Number.NaN };
    return {
      samples: count,
      min: Math.min(a.lo, b.lo),
      avg: (a.sum + b.sum) / count,
      max: Math.max(a.hi, b.hi),
    };
  }
}
