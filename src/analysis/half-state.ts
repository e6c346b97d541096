// What the analyzer remembers about one direction of a connection (Wireshark's tcp_flow_t).
// All sequence values are relative, unwrapped offsets in this direction's own sequence space,
// except lastAck which is in the *other* direction's space (it is what this side acknowledged).
import { IntervalSet } from './interval-set.js';
import { SentSegments } from './sent-segments.js';
import { unwrapSeq } from './seq.js';

export class HalfState {
  /** Raw u32 that maps to relative offset 0 (the ISN, or seq - 1 when no SYN was seen). */
  base = 0;
  hasBase = false;
  synSeen = false;
  /** Highest relative offset sent so far + 1 (seq + len, SYN/FIN counted). */
  nextSeq = 0;
  hasNext = false;
  /** Capture time when nextSeq last advanced. */
  nextSeqTime = 0;
  /** Relative offset of this side's FIN, when sent. */
  finAt = -1;
  /** The latest ACK this side sent (in the peer's space), and when. */
  lastAck = 0;
  hasAck = false;
  lastAckTime = 0;
  /**
   * Highest right edge (in the peer's space) of the SACK blocks on this side's latest ACK; 0 when
   * it carried none. The peer may resend the hole below it at once (RFC 6675 §5, RFC 8985).
   */
  sackedUpTo = 0;
  /** Number of duplicates of lastAck sent so far (RFC 5681 §2 "duplicate acknowledgment"). */
  dupAcks = 0;
  /** Advertised receive window in bytes (scaled), -1 until a non-SYN segment is seen. */
  window = -1;
  /** Window shift offered on this side's SYN (-1: none offered or SYN not seen). */
  offeredShift = -1;
  mss = 0;
  sackPermitted = false;
  /** The last segment of this side was a keep-alive / zero window probe. */
  lastWasKeepAlive = false;
  lastWasZeroWindowProbe = false;
  /** Data segments received from the peer since this side last sent an ACK, and when the first came. */
  receivedSinceAck = 0;
  firstReceivedSinceAckTime = 0;
  /** Last time this side sent anything. */
  lastSendTime = 0;
  /** HTTP version of the first response line this side sent ('' if none). */
  httpResponseVersion = '';
  readonly sent: IntervalSet;
  readonly inFlight: SentSegments;

  constructor(maxRanges: number, maxSegments: number) {
    this.sent = new IntervalSet(maxRanges);
    this.inFlight = new SentSegments(maxSegments);
  }

  /** Relative offset of a raw sequence number in this direction's space (wrap-safe, unwrapped). */
  toRelative(raw: number): number {
    return unwrapSeq(raw, (this.base + this.nextSeq) >>> 0, this.nextSeq);
  }

  /** Sets the base so that `raw` maps to relative offset `rel`. */
  setBase(raw: number, rel: number): void {
    this.base = (raw - rel) >>> 0;
    this.hasBase = true;
  }
}
