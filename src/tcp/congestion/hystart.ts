// HyStart++, RFC 9406: leave slow start before the first loss when the round-trip time starts to grow
// (the bottleneck queue is filling), then grow carefully for a few rounds (Conservative Slow Start)
// before congestion avoidance. Used by CUBIC in slow start (RFC 9438 §4.10 recommends it).

/** RFC 9406 §4.3 constants (ms where times). */
export const HYSTART_MIN_RTT_THRESH = 4;
export const HYSTART_MAX_RTT_THRESH = 16;
export const HYSTART_MIN_RTT_DIVISOR = 8;
export const HYSTART_N_RTT_SAMPLE = 8;
export const HYSTART_CSS_GROWTH_DIVISOR = 4;
export const HYSTART_CSS_ROUNDS = 5;

export const HyStartPhase = {
  /** Standard slow start, watching the RTT. */
  SLOW_START: 0,
  /** Conservative Slow Start: growth divided by CSS_GROWTH_DIVISOR. */
  CSS: 1,
  /** Done: congestion avoidance from now on (until an idle restart). */
  DONE: 2,
} as const;
export type HyStartPhase = (typeof HyStartPhase)[keyof typeof HyStartPhase];

export class HyStartPlusPlus {
  phase: HyStartPhase = HyStartPhase.SLOW_START;
  private lastRoundMinRtt = Number.POSITIVE_INFINITY;
  private currentRoundMinRtt = Number.POSITIVE_INFINITY;
  private rttSampleCount = 0;
  private cssBaselineMinRtt = Number.POSITIVE_INFINITY;
  private cssRounds = 0;

  /** RFC 9406 §4.2: a new round begins (the ACK covers the window end of the previous round). */
  onRoundStart(): void {
    this.lastRoundMinRtt = this.currentRoundMinRtt;
    this.currentRoundMinRtt = Number.POSITIVE_INFINITY;
    this.rttSampleCount = 0;
    if (this.phase === HyStartPhase.CSS && ++this.cssRounds >= HYSTART_CSS_ROUNDS)
      this.phase = HyStartPhase.DONE;
  }

  /** An RTT sample (ms) from this ACK, if any. Returns the phase afterwards. */
  onRttSample(rtt: number): HyStartPhase {
    if (rtt < 0 || this.phase === HyStartPhase.DONE) return this.phase;
    if (rtt < this.currentRoundMinRtt) this.currentRoundMinRtt = rtt;
    this.rttSampleCount++;
    if (this.phase === HyStartPhase.SLOW_START) {
      if (
        this.rttSampleCount >= HYSTART_N_RTT_SAMPLE &&
        Number.isFinite(this.currentRoundMinRtt) &&
        Number.isFinite(this.lastRoundMinRtt)
      ) {
        const thresh = Math.max(
          HYSTART_MIN_RTT_THRESH,
          Math.min(this.lastRoundMinRtt / HYSTART_MIN_RTT_DIVISOR, HYSTART_MAX_RTT_THRESH),
        );
        if (this.currentRoundMinRtt >= this.lastRoundMinRtt + thresh) {
          // §4.2: the RTT rose by more than the threshold: enter CSS.
          this.cssBaselineMinRtt = this.currentRoundMinRtt;
          this.cssRounds = 0;
          this.phase = HyStartPhase.CSS;
        }
      }
    } else if (
      this.rttSampleCount >= HYSTART_N_RTT_SAMPLE &&
      this.currentRoundMinRtt < this.cssBaselineMinRtt
    ) {
      // §4.2: the RTT went back down: the increase was spurious, resume slow start.
      this.cssBaselineMinRtt = Number.POSITIVE_INFINITY;
      this.phase = HyStartPhase.SLOW_START;
    }
    return this.phase;
  }

  /** Slow start restarts (after an idle period or an RTO): watch the RTT again (RFC 9406 §4.2 note). */
  reset(): void {
    this.phase = HyStartPhase.SLOW_START;
    this.lastRoundMinRtt = Number.POSITIVE_INFINITY;
    this.currentRoundMinRtt = Number.POSITIVE_INFINITY;
    this.rttSampleCount = 0;
    this.cssRounds = 0;
  }
}
