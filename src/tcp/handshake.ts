// The opening handshake: SYN-SENT processing (RFC 9293 §3.10.7.3) as a pure classification, and the
// SYN / SYN-ACK retransmission schedule (Linux: 1 s initial RTO doubling, tcp_syn_retries = 6 gives up
// after 127 s; tcp_synack_retries = 5).

import { TcpFlags, type TcpSegment } from './segment.js';
import { type Seq, seqGt, seqLe } from './seq.js';

export const SynSentAction = {
  /** Drop silently. */
  DROP: 0,
  /** Unacceptable ACK: answer <SEQ=SEG.ACK><CTL=RST> and drop (§3.10.7.3 first check). */
  RESET_PEER: 1,
  /** Acceptable RST: the connection is refused (§3.10.7.3 second check). */
  REFUSED: 2,
  /** SYN-ACK acknowledging our SYN: ESTABLISHED. */
  ESTABLISHED: 3,
  /** SYN without ACK: simultaneous open, go to SYN-RECEIVED and send SYN-ACK. */
  SIMULTANEOUS_OPEN: 4,
} as const;
export type SynSentAction = (typeof SynSentAction)[keyof typeof SynSentAction];

/** RFC 9293 §3.10.7.3 for a segment arriving in SYN-SENT; `sndNxt` is ISS + 1 once the SYN is out. */
export function classifySynSent(seg: TcpSegment, iss: Seq, sndNxt: Seq): SynSentAction {
  const f = seg.flags;
  const ack = seg.ack as Seq;
  const hasAck = (f & TcpFlags.ACK) !== 0;
  // First: "If SEG.ACK =< ISS or SEG.ACK > SND.NXT, send a reset (unless the RST bit is set)".
  const ackAcceptable = hasAck && seqGt(ack, iss) && seqLe(ack, sndNxt);
  if (hasAck && !ackAcceptable) return f & TcpFlags.RST ? SynSentAction.DROP : SynSentAction.RESET_PEER;
  // Second: RST. Acceptable only with an acceptable ACK (RFC 5961 §3.2 keeps this for SYN-SENT).
  if (f & TcpFlags.RST) return ackAcceptable ? SynSentAction.REFUSED : SynSentAction.DROP;
  // Fourth: SYN.
  if (f & TcpFlags.SYN) return ackAcceptable ? SynSentAction.ESTABLISHED : SynSentAction.SIMULTANEOUS_OPEN;
  // Fifth: neither SYN nor RST.
  return SynSentAction.DROP;
}

/** Tracks (re)transmissions of our SYN or SYN-ACK. */
export class SynRetransmitter {
  /** The SYN (or SYN-ACK) must go out on the next poll. */
  pending = true;
  retransmissions = 0;
  /** When the first SYN went out (RTT sample when never retransmitted, Karn). */
  firstSentAt = Number.NaN;
  /** When the latest (re)transmission went out. */
  lastSentAt = Number.NaN;

  constructor(private readonly maxRetries: number) {}

  /** The retransmission timer fired: schedule a retransmission, or return false when retries are exhausted. */
  onTimeout(): boolean {
    if (this.retransmissions >= this.maxRetries) return false;
    this.retransmissions++;
    this.pending = true;
    return true;
  }

  onSent(now: number): void {
    if (Number.isNaN(this.firstSentAt)) this.firstSentAt = now;
    this.lastSentAt = now;
    this.pending = false;
  }
}
