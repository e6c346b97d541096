// CUBIC congestion control, RFC 9438 (Linux's default). Windows are kept in bytes outside and in
// segments inside the formulas, as the RFC writes them.

import { HYSTART_CSS_GROWTH_DIVISOR, HyStartPhase, HyStartPlusPlus } from './hystart.js';
import type { AckSample, CongestionControl } from './interface.js';

/** RFC 9438 §5: C = 0.4, beta_cubic = 0.7. */
export const CUBIC_C = 0.4;
export const CUBIC_BETA = 0.7;
/** RFC 9438 §4.3: alpha_cubic = 3 * (1 - beta) / (1 + beta). */
const ALPHA_CUBIC = (3 * (1 - CUBIC_BETA)) / (1 + CUBIC_BETA);

export class Cubic implements CongestionControl {
  readonly name = 'cubic' as const;
  cwnd: number;
  ssthresh = Number.MAX_SAFE_INTEGER;
  /** W_max in segments (RFC 9438 §4.1). */
  wMax = 0;
  /** K in seconds (RFC 9438 eq. 2). */
  k = 0;
  /** Start of the current congestion avoidance epoch (ms), -1 when none. */
  private epochStart = -1;
  /** W_est of the Reno-friendly region, segments (RFC 9438 §4.3). */
  private wEst = 0;

  /** RFC 9406 slow start exit (null when turned off). */
  readonly hystart: HyStartPlusPlus | null;

  constructor(initialCwnd: number, options: { hystart?: boolean } = {}) {
    this.cwnd = initialCwnd;
    this.hystart = options.hystart ? new HyStartPlusPlus() : null;
  }

  onAck(s: AckSample): void {
    let acked = s.ackedBytes;
    if (this.cwnd < this.ssthresh) {
      // RFC 9438 §4.10: slow start as in RFC 5681, with HyStart++ (RFC 9406) when enabled.
      const phase = this.slowStartPhase(s);
      if (phase === HyStartPhase.DONE) {
        // §4.2: after CSS_ROUNDS rounds of CSS, ssthresh = cwnd: congestion avoidance.
        this.ssthresh = this.cwnd;
      } else {
        const room = this.ssthresh - this.cwnd;
        const grow = phase === HyStartPhase.CSS ? acked / HYSTART_CSS_GROWTH_DIVISOR : acked;
        this.cwnd += Math.floor(Math.min(grow, room));
        acked = phase === HyStartPhase.CSS ? 0 : acked - Math.min(grow, room);
        if (acked <= 0) return;
      }
    }
    this.congestionAvoidance(s, acked);
  }

  private slowStartPhase(s: AckSample): HyStartPhase {
    const h = this.hystart;
    if (h === null) return HyStartPhase.SLOW_START;
    if (s.roundStart) h.onRoundStart();
    return h.onRttSample(s.rtt ?? -1);
  }

  private congestionAvoidance(s: AckSample, ackedBytes: number): void {
    const mss = s.mss;
    const cwndSeg = this.cwnd / mss;
    if (this.epochStart < 0) {
      // A new epoch begins with the first ACK in congestion avoidance (RFC 9438 §4.2).
      this.epochStart = s.now;
      if (this.wMax < cwndSeg) {
        this.k = 0;
        this.wMax = cwndSeg;
      } else {
        this.k = Math.cbrt((this.wMax - cwndSeg) / CUBIC_C);
      }
      this.wEst = cwndSeg;
    }
    const rttSec = (s.srtt > 0 ? s.srtt : 100) / 1000;
    const t = (s.now - this.epochStart) / 1000;
    // RFC 9438 eq. 1: W_cubic(t) = C*(t-K)^3 + W_max, evaluated at t + RTT (§4.2).
    const wCubic = CUBIC_C * (t + rttSec - this.k) ** 3 + this.wMax;
    const ackedSeg = ackedBytes / mss;
    // RFC 9438 eq. 4: W_est += alpha_cubic * segments_acked / cwnd (alpha = 1 once W_est >= W_max).
    const alpha = this.wEst >= this.wMax ? 1 : ALPHA_CUBIC;
    this.wEst += (alpha * ackedSeg) / cwndSeg;
    let next: number;
    if (wCubic < this.wEst) {
      // Reno-friendly region (§4.3).
      next = Math.max(this.wEst, cwndSeg);
    } else {
      // Concave/convex region (§4.4, §4.5): target clamped to [cwnd, 1.5 cwnd]; cwnd += (target - cwnd)/cwnd per ACK.
      const target = Math.min(Math.max(wCubic, cwndSeg), 1.5 * cwndSeg);
      next = cwndSeg + ((target - cwndSeg) / cwndSeg) * ackedSeg;
    }
    this.cwnd = Math.max(this.cwnd, Math.floor(next * mss));
  }

  onCongestion(_now: number, _flightSize: number, mss: number): void {
    this.reduce(mss);
    this.cwnd = this.ssthresh;
  }

  onTimeout(_now: number, _flightSize: number, mss: number): void {
    // RFC 9438 §4.8: on RTO, ssthresh as for congestion, cwnd = 1 segment, a new epoch afterwards.
    this.reduce(mss);
    this.cwnd = mss;
    this.restartSlowStart();
  }

  onIdleRestart(_now: number, restartWindow: number): void {
    this.cwnd = Math.min(this.cwnd, restartWindow);
    this.epochStart = -1;
  }

  /** Slow start begins again (after an RTO): HyStart++ watches the RTT afresh (RFC 9406 §4.2). */
  private restartSlowStart(): void {
    this.hystart?.reset();
  }

  private reduce(mss: number): void {
    const cwndSeg = this.cwnd / mss;
    // RFC 9438 §4.7 fast convergence: release bandwidth when W_max shrinks.
    this.wMax = cwndSeg < this.wMax ? (cwndSeg * (1 + CUBIC_BETA)) / 2 : cwndSeg;
    // RFC 9438 §4.6: ssthresh = cwnd * beta_cubic, at least 2 segments (Linux floor).
    this.ssthresh = Math.max(Math.floor(this.cwnd * CUBIC_BETA), 2 * mss);
    this.epochStart = -1;
  }
}
