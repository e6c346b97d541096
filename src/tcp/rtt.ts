// Round-trip time estimation and the retransmission timeout, RFC 6298.

export class RttEstimator {
  srtt = 0;
  rttvar = 0;
  minRtt = Number.POSITIVE_INFINITY;
  /** Current RTO including exponential backoff. */
  rto: number;
  private hasSample = false;
  private backoffShift = 0;
  private baseRto: number;

  constructor(
    initialRto: number,
    private readonly minRto: number,
    private readonly maxRto: number,
  ) {
    // RFC 6298 §2.1: until a measurement is made, RTO <- 1 second (configurable).
    this.baseRto = Math.min(Math.max(initialRto, minRto), maxRto);
    this.rto = this.baseRto;
  }

  get hasMeasurement(): boolean {
    return this.hasSample;
  }

  get backoff(): number {
    return this.backoffShift;
  }

  /**
   * Add an RTT measurement R in ms (RFC 6298 §2.2 and §2.3; alpha = 1/8, beta = 1/4, K = 4, G = 1 ms).
   * `expectedSamples` > 1 when samples come from timestamps on many ACKs per RTT: RFC 7323 Appendix G
   * divides alpha and beta by it so that the estimator keeps about one RTT-sized memory.
   */
  sample(r: number, expectedSamples = 1): void {
    if (!(r >= 0) || !Number.isFinite(r)) return;
    if (r < this.minRtt) this.minRtt = r;
    if (!this.hasSample) {
      // §2.2: SRTT <- R, RTTVAR <- R/2
      this.srtt = r;
      this.rttvar = r / 2;
      this.hasSample = true;
    } else {
      // §2.3: RTTVAR <- (1 - beta) * RTTVAR + beta * |SRTT - R'|; SRTT <- (1 - alpha) * SRTT + alpha * R'
      const beta = 0.25 / expectedSamples;
      const alpha = 0.125 / expectedSamples;
      this.rttvar = (1 - beta) * this.rttvar + beta * Math.abs(this.srtt - r);
      this.srtt = (1 - alpha) * this.srtt + alpha * r;
    }
    // §2.3: RTO <- SRTT + max (G, K*RTTVAR); §2.4 lower bound (Linux 200 ms), §2.5 upper bound.
    this.baseRto = this.clamp(this.srtt + Math.max(1, 4 * this.rttvar));
    // §5.7 note / Karn: a fresh sample from a new (not retransmitted) segment ends the backoff.
    this.backoffShift = 0;
    this.rto = this.baseRto;
  }

  /** RFC 6298 §5.5: on expiry, RTO <- RTO * 2 (bounded by the maximum). */
  backOff(): void {
    this.backoffShift++;
    this.rto = this.clamp(this.baseRto * 2 ** this.backoffShift);
  }

  /** Forget the backoff (after new data is acknowledged, as Linux does). */
  resetBackoff(): void {
    this.backoffShift = 0;
    this.rto = this.baseRto;
  }

  private clamp(v: number): number {
    return Math.min(Math.max(v, this.minRto), this.maxRto);
  }
}
