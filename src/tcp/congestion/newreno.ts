// NewReno congestion control: slow start and congestion avoidance of RFC 5681 §3.1 (the recovery
// part of RFC 6582 is in the sender, which owns the retransmission queue).

import type { AckSample, CongestionControl } from './interface.js';

export class NewReno implements CongestionControl {
  readonly name = 'newreno' as const;
  cwnd: number;
  ssthresh = Number.MAX_SAFE_INTEGER; // RFC 5681 §3.1: initial ssthresh SHOULD be arbitrarily high
  private bytesAckedInCa = 0;

  constructor(initialCwnd: number) {
    this.cwnd = initialCwnd;
  }

  onAck(s: AckSample): void {
    let acked = s.ackedBytes;
    if (this.cwnd < this.ssthresh) {
      // Slow start (RFC 5681 §3.1 eq. 2, with byte counting as Linux's tcp_slow_start: cwnd grows by the
      // bytes acked, stopping at ssthresh; the remainder goes to congestion avoidance).
      const room = this.ssthresh - this.cwnd;
      const grow = Math.min(acked, room);
      this.cwnd += grow;
      acked -= grow;
      if (acked <= 0) return;
    }
    // Congestion avoidance (RFC 5681 §3.1, byte counting variant of eq. 3): one SMSS per cwnd of acked bytes.
    this.bytesAckedInCa += acked;
    if (this.bytesAckedInCa >= this.cwnd) {
      this.bytesAckedInCa -= this.cwnd;
      this.cwnd += s.mss;
    }
  }

  onCongestion(_now: number, flightSize: number, mss: number): void {
    // RFC 5681 §3.2 step 2 / eq. 4: ssthresh = max (FlightSize / 2, 2*SMSS).
    this.ssthresh = Math.max(Math.floor(flightSize / 2), 2 * mss);
    this.cwnd = this.ssthresh;
    this.bytesAckedInCa = 0;
  }

  onTimeout(_now: number, flightSize: number, mss: number): void {
    // RFC 5681 §3.1: ssthresh per eq. 4, cwnd = LW = 1 SMSS.
    this.ssthresh = Math.max(Math.floor(flightSize / 2), 2 * mss);
    this.cwnd = mss;
    this.bytesAckedInCa = 0;
  }

  onIdleRestart(_now: number, restartWindow: number): void {
    this.cwnd = Math.min(this.cwnd, restartWindow);
  }
}
