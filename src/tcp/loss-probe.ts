// Tail loss probe, RFC 8985 §7 (Linux default since 3.10): when the last segments of a flight are lost
// there are no later segments to produce duplicate ACKs or SACKs, and only the RTO (200 ms or more)
// would repair them. A probe timeout (PTO) of about two round trips sends one segment — new data if
// any, else the last segment again — so that the receiver's ACK or SACK starts ordinary fast recovery.

/** RFC 8985 §7.2: without an RTT sample, PTO = 1 s. */
export const PTO_WITHOUT_RTT_MS = 1000;
/** Added to 2*SRTT when more than one segment is in flight (Linux TCP_TIMEOUT_MIN, 2 jiffies at HZ=1000). */
export const PTO_MIN_EXTRA_MS = 2;

/**
 * RFC 8985 §7.2 "Calculate the PTO": 2*SRTT, plus the worst-case delayed ACK time when only one segment is
 * in flight (its ACK may be delayed), at most the time left until the RTO.
 */
export function probeTimeout(
  srtt: number,
  hasRtt: boolean,
  oneSegmentInFlight: boolean,
  maxAckDelay: number,
  rtoRemaining: number,
): number {
  let pto = hasRtt ? 2 * srtt + (oneSegmentInFlight ? maxAckDelay : PTO_MIN_EXTRA_MS) : PTO_WITHOUT_RTT_MS;
  if (rtoRemaining < pto) pto = Math.max(0, rtoRemaining);
  return pto;
}

/** The TLP episode state of RFC 8985 §7.1 (TLP.end_seq, TLP.is_retrans). */
export class LossProbeEpisode {
  /** TLP.end_seq as an offset (SND.NXT after the probe), or -1 when no episode is in progress. */
  endOff = -1;
  /** TLP.is_retrans: the probe retransmitted data (else it sent new data). */
  isRetrans = false;
  /** What the probe carried, to recognise a D-SACK for it. */
  probeOff = 0;
  probeEnd = 0;
  /** A D-SACK reported the probe as a duplicate: the original arrived too, nothing was lost. */
  dsacked = false;

  get inProgress(): boolean {
    return this.endOff >= 0;
  }

  start(probeOff: number, probeEnd: number, sndNxt: number, isRetrans: boolean): void {
    this.endOff = sndNxt;
    this.isRetrans = isRetrans;
    this.probeOff = probeOff;
    this.probeEnd = probeEnd;
    this.dsacked = false;
  }

  /** A D-SACK block [start, end): is it (part of) the probe? */
  noteDsack(start: number, end: number): void {
    if (this.inProgress && this.isRetrans && start < this.probeEnd && end > this.probeOff)
      this.dsacked = true;
  }

  end(): void {
    this.endOff = -1;
    this.dsacked = false;
  }
}
