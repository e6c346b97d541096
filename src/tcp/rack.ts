// RACK time-based loss detection, RFC 8985 §6 (Linux default since 4.18): a segment is lost when a
// segment sent after it has been delivered (ACKed or SACKed) and a reordering window has passed since it
// should have been acknowledged. Unlike counting duplicate ACKs (RFC 5681) or SACKed segments (RFC 6675),
// this repairs a lost retransmission or a tail loss reported by a single SACK (the TLP probe's).
//
// Simplification: loss marking is expressed as a boundary below which un-SACKed, never-retransmitted data
// counts as lost (first transmissions go out in offset order, so "sent before" is "below" for them); the
// reordering timer of §6.3 is not armed (the next ACK, the tail loss probe or the RTO re-runs detection).

import type { RetransmitLog } from './retransmit-log.js';
import type { SendTimeLog } from './send-times.js';

export class RackState {
  /** RACK.xmit_ts: send time of the most recently sent segment known delivered, -1 before any. */
  xmitTs = -1;
  /** RACK.end_seq of that segment (tie-break for equal send times). */
  endSeq = 0;
  /** RACK.rtt: the RTT measured on that segment. */
  rtt = 0;
  /** Un-SACKed, first-transmission data below this offset is lost (RFC 8985 §6.2 step 5). */
  lostBelow = 0;

  /**
   * RFC 8985 §6.2 steps 1-3 for delivered data [from, to): find when it was (last) sent. A retransmission
   * counts only when at least min_RTT passed since it (step 2; Linux tcp_rack_advance): sooner, the ACK or
   * SACK may be for the original. (The timestamp echo cannot settle it: a SACK of an out-of-order segment
   * echoes the last in-order one, RFC 7323 §4.3 case B.)
   */
  onDelivered(
    from: number,
    to: number,
    now: number,
    minRtt: number,
    sendTimes: SendTimeLog,
    retransmits: RetransmitLog,
  ): void {
    if (to <= from) return;
    let t = retransmits.latestIn(from, to);
    if (t !== Number.NEGATIVE_INFINITY) {
      if (!(now - t >= minRtt)) return;
    } else {
      t = sendTimes.timeAt(to - 1);
      if (t < 0) return;
    }
    const end = sendTimes.endAt(to - 1);
    if (t > this.xmitTs || (t === this.xmitTs && end > this.endSeq)) {
      this.xmitTs = t;
      this.endSeq = end;
      this.rtt = Math.max(0, now - t);
    }
  }

  /** RFC 8985 §6.2 step 5: mark as lost what was sent before RACK.xmit_ts and is overdue by reoWnd. */
  detect(now: number, reoWnd: number, sendTimes: SendTimeLog): void {
    if (this.xmitTs < 0) return;
    const boundary = sendTimes.sentBefore(this.xmitTs, this.endSeq, now - this.rtt - reoWnd);
    if (boundary > this.lostBelow) this.lostBelow = boundary;
  }
}

/**
 * RFC 8985 §6.2 step 4, RACK.reo_wnd: 0 while no reordering was seen and either recovery is under way or
 * DupThresh segments are SACKed (as fast as the DupThresh rule); else min_RTT/4, at most SRTT.
 */
export function reorderingWindow(
  reorderingSeen: boolean,
  inRecovery: boolean,
  sackedSegments: number,
  dupThresh: number,
  minRtt: number,
  srtt: number,
): number {
  if (!reorderingSeen && (inRecovery || sackedSegments >= dupThresh)) return 0;
  if (!Number.isFinite(minRtt)) return 0;
  return Math.min(minRtt / 4, srtt);
}
