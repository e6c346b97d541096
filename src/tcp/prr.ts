// Proportional Rate Reduction, RFC 6937 (Linux's cwnd reduction in fast recovery since 3.2). Instead of
// cutting cwnd to ssthresh in one step at the start of recovery (which stalls sending for half an RTT,
// then bursts), PRR spreads the reduction over the recovery round trip: for every byte the receiver
// reports delivered, the sender may send ssthresh/RecoverFS bytes while pipe > ssthresh; once pipe falls
// below ssthresh (more loss), slow start rebuilds it, bounded by PRR-SSRB.

export class ProportionalRateReduction {
  /** prr_delivered: bytes delivered to the receiver since recovery began (RFC 6937 §3.1). */
  private delivered = 0;
  /** prr_out: bytes sent since recovery began. */
  private out = 0;
  /** RecoverFS: snd.nxt - snd.una when recovery began. */
  private recoverFs = 1;
  active = false;

  /** Recovery begins (RFC 6937 §3.1 "On entering recovery"). */
  start(recoverFs: number): void {
    this.delivered = 0;
    this.out = 0;
    this.recoverFs = Math.max(recoverFs, 1);
    this.active = true;
  }

  stop(): void {
    this.active = false;
  }

  /** Bytes (new or retransmitted) sent during recovery. */
  onSent(bytes: number): void {
    if (this.active) this.out += bytes;
  }

  /**
   * RFC 6937 §3.1 "On every ACK during recovery": the new cwnd = pipe + sndcnt, given the bytes this ACK
   * reported delivered (DeliveredData = delta(snd.una) + delta(SACKed)) and pipe after it.
   */
  cwndOnAck(deliveredData: number, pipe: number, ssthresh: number, mss: number): number {
    this.delivered += deliveredData;
    let sndcnt: number;
    if (pipe > ssthresh) {
      // Proportional part: sndcnt = CEIL(prr_delivered * ssthresh / RecoverFS) - prr_out.
      sndcnt = Math.ceil((this.delivered * ssthresh) / this.recoverFs) - this.out;
    } else {
      // PRR-SSRB (slow start reduction bound): limit = MAX(prr_delivered - prr_out, DeliveredData) + MSS.
      const limit = Math.max(this.delivered - this.out, deliveredData) + mss;
      sndcnt = Math.min(ssthresh - pipe, limit);
    }
    return pipe + Math.max(sndcnt, 0);
  }
}
