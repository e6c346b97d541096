// The small congestion-control interface (gVisor's congestionControl, Linux's tcp_congestion_ops).
// Windows are in bytes. Loss recovery itself (what to retransmit, pipe) lives in the sender.

import type { CongestionControlName } from '../config.js';

export interface AckSample {
  now: number;
  /** Bytes newly acknowledged by this ACK (cumulatively). */
  ackedBytes: number;
  /** Sender MSS in bytes. */
  mss: number;
  /** Smoothed RTT in ms (0 if unknown). */
  srtt: number;
  /** Minimum RTT seen in ms (Infinity if unknown). */
  minRtt: number;
  /** The RTT sample this ACK gave in ms, or -1 (for delay-based slow start exit, RFC 9406). */
  rtt?: number;
  /** This ACK starts a new round trip: it covers what was SND.NXT when the last round began (RFC 9406 §4.2). */
  roundStart?: boolean;
}

export interface CongestionControl {
  readonly name: CongestionControlName;
  /** Congestion window, bytes. */
  cwnd: number;
  /** Slow start threshold, bytes. */
  ssthresh: number;
  /** New data was acknowledged outside fast recovery: grow cwnd (RFC 5681 §3.1). */
  onAck(sample: AckSample): void;
  /** Loss detected by duplicate ACKs or SACK: reduce ssthresh and set cwnd = ssthresh (RFC 5681 §3.2 step 2). */
  onCongestion(now: number, flightSize: number, mss: number): void;
  /** Retransmission timeout: reduce ssthresh, cwnd = loss window of one segment (RFC 5681 §3.1, eq. 4). */
  onTimeout(now: number, flightSize: number, mss: number): void;
  /** Restart after an idle period longer than the RTO (RFC 5681 §4.1): cwnd <- min(IW, cwnd). */
  onIdleRestart(now: number, restartWindow: number): void;
}
