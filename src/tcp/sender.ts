// The sending half: sequence state (RFC 9293 §3.3.1), what to transmit next — new data under the
// peer's window, Nagle and sender SWS avoidance (RFC 9293 §3.7.4, §3.8.6.2.1), retransmissions chosen
// by the SACK scoreboard (RFC 6675 NextSeg) or NewReno (RFC 6582) — ACK processing, loss recovery
// entry and exit, the RTO response (RFC 6298 §5), and the congestion window.
//
// Offsets are absolute sequence offsets from the ISS (0 = the SYN, 1 = the first data byte); they
// never wrap. Seq values appear only at the boundary (seqOf / offsetOf).

import type { TcpConfig } from './config.js';
import { type AckSample, type CongestionControl, createCongestionControl } from './congestion/index.js';
import { LossProbeEpisode } from './loss-probe.js';
import { ProportionalRateReduction } from './prr.js';
import { RackState, reorderingWindow } from './rack.js';
import { RetransmitLog } from './retransmit-log.js';
import { RttEstimator } from './rtt.js';
import { SackScoreboard } from './sack-scoreboard.js';
import { SendBuffer } from './send-buffer.js';
import { SendTimeLog } from './send-times.js';
import { type Seq, seqAdd, seqSub } from './seq.js';
import type { TcpStats } from './stats.js';
import { UndoState } from './undo.js';

export const LossState = {
  /** No loss being repaired. */
  OPEN: 0,
  /** Fast recovery after duplicate ACKs / SACK (RFC 6675 §5, RFC 6582). */
  RECOVERY: 1,
  /** After a retransmission timeout, until the RTO recovery point is acknowledged (RFC 6298 §5). */
  LOSS: 2,
} as const;
export type LossState = (typeof LossState)[keyof typeof LossState];

export const Blocked = { NOTHING: 0, CWND: 1, WINDOW: 2, NAGLE: 3 } as const;
export type Blocked = (typeof Blocked)[keyof typeof Blocked];

/** One segment to transmit: [off, off + len) of data, plus a FIN after it if `fin`. */
export interface SegmentPlan {
  off: number;
  len: number;
  fin: boolean;
  retransmit: boolean;
}

export class Sender {
  readonly buffer: SendBuffer;
  readonly scoreboard: SackScoreboard;
  readonly rtt: RttEstimator;
  readonly cc: CongestionControl;

  /** SND.UNA, SND.NXT (next new offset; also HighData of RFC 6675) and the highest ever sent. */
  una = 0;
  nxt = 0;
  max = 0;
  /** Offset one past the last byte the application wrote; the FIN, once queued, sits here. */
  dataEnd = 1;
  finQueued = false;
  /** Offset of buffer[0]. */
  private bufBase = 1;

  /** SND.WND in bytes (already scaled), its largest value, and SND.WL1/SND.WL2 (RFC 9293 §3.10.7.4). */
  sndWnd = 0;
  maxSndWnd = 0;
  wl1 = 0 as Seq;
  wl2 = 0 as Seq;
  wscale = 0;
  /** Effective send MSS: payload bytes per segment (RFC 9293 §3.7.1 Eff.snd.MSS). */
  mss: number;
  sack = false;
  noDelay: boolean;
  /** Option bytes beyond the timestamps that the next segments carry (SACK blocks): payload shrinks by this. */
  optionSpace = 0;

  lossState: LossState = LossState.OPEN;
  /** RecoveryPoint (RFC 6675) / recover (RFC 6582). */
  recoverPoint = 0;
  /** Next offset the current repair may retransmit (HighRxt + 1 of RFC 6675). */
  rxtNext = 0;
  /** Bytes below this are considered lost regardless of SACK (set by RTO and NewReno). */
  lostMark = 0;
  dupAcks = 0;
  /**
   * DupThresh in use: starts at the configured 3 (RFC 5681/6675) and grows when D-SACKs show that a
   * retransmission was spurious, i.e. the network reorders (RFC 4653 spirit; Linux tp->reordering).
   */
  dupThresh: number;
  /** One past the highest byte fast-retransmitted (to recognise D-SACKs for those retransmissions). */
  private fastRetransmittedHigh = 0;
  /** RFC 6675 §5 (4.3): the first retransmission on entering recovery ignores cwnd. */
  private forceRetransmit = false;
  /** Consecutive retransmission timeouts without progress. */
  retries = 0;
  /** RTT timing of one segment when timestamps are off (RFC 6298 §3, Karn's algorithm). */
  private rttEnd = -1;
  private rttStart = 0;
  /** End of the last sub-MSS segment sent (Nagle, Minshall's variant as in Linux). */
  private lastSmallEnd = 0;
  lastSendTime = Number.NEGATIVE_INFINITY;
  /** Why the last next() returned nothing. */
  blocked: Blocked = Blocked.NOTHING;
  private cwndLimited = false;

  /** Send times of the episode's retransmissions (Karn for timestamps, Eifel detection). */
  readonly retransmits = new RetransmitLog();
  /** One past the highest byte retransmitted in the current episode. */
  private rxtHigh = 0;
  /** RFC 6937 state during fast recovery. */
  private readonly prr = new ProportionalRateReduction();
  /** Window before the episode's reduction, for undo (RFC 2883 / RFC 3522). */
  readonly undo = new UndoState();
  /** The reduction of this episode was undone: recovery ends without setting cwnd to ssthresh. */
  private undone = false;
  /** First-transmission times of the segments in flight, and the RACK state (RFC 8985 §6). */
  private readonly sendTimes = new SendTimeLog();
  readonly rack = new RackState();
  /** RFC 8985 §7 tail loss probe episode. */
  readonly tlp = new LossProbeEpisode();
  /** una + SACKed bytes when the current ACK began (DeliveredData of RFC 6937). */
  private deliveredMark = 0;
  /** The current ACK advanced SND.UNA / SACKed new data (Linux FLAG_SND_UNA_ADVANCED, FLAG_DATA_SACKED). */
  private ackAdvanced = false;
  /** The RTT sample the current ACK gave, or -1; and where the current round trip ends (RFC 9406 §4.2). */
  private ackRtt = -1;
  private roundEnd = 0;
  /** Reused for every ACK handed to congestion control (no allocation per ACK). */
  private readonly ackSample: AckSample = {
    now: 0,
    ackedBytes: 0,
    mss: 0,
    srtt: 0,
    minRtt: Number.POSITIVE_INFINITY,
    rtt: -1,
    roundStart: false,
  };

  constructor(
    readonly iss: Seq,
    private readonly cfg: TcpConfig,
    mss: number,
    private readonly stats: TcpStats,
  ) {
    this.buffer = new SendBuffer(cfg.sendBufferSize);
    this.scoreboard = new SackScoreboard(cfg.maxOooSegments);
    this.rtt = new RttEstimator(cfg.initialRto, cfg.minRto, cfg.maxRto);
    this.mss = mss;
    this.cc = createCongestionControl(cfg.congestionControl, cfg.initialCwnd * mss, {
      hystart: cfg.hystartPlusPlus,
    });
    this.noDelay = cfg.noDelay;
    this.dupThresh = cfg.dupThresh;
  }

  seqOf(off: number): Seq {
    return seqAdd(this.iss, off);
  }

  /** Offset of a sequence number near SND.UNA (within 2^31). */
  offsetOf(s: Seq): number {
    return this.una + seqSub(s, this.seqOf(this.una));
  }

  /** Payload bytes of a full segment now (MSS less the SACK option space). */
  get segmentSize(): number {
    return Math.max(1, this.mss - this.optionSpace);
  }

  /** Set the MSS once negotiated; the initial window follows it (RFC 6928). */
  setMss(mss: number): void {
    this.mss = mss;
    this.cc.cwnd = this.cfg.initialCwnd * mss;
    this.noteCwnd();
  }

  write(data: Uint8Array): number {
    if (this.finQueued) return 0;
    const n = this.buffer.write(data);
    this.dataEnd += n;
    return n;
  }

  queueFin(): void {
    this.finQueued = true;
  }

  /** Offset just past the FIN (or the data end if no FIN is queued). */
  get streamEnd(): number {
    return this.dataEnd + (this.finQueued ? 1 : 0);
  }

  get finAcked(): boolean {
    return this.finQueued && this.una > this.dataEnd;
  }

  get flightSize(): number {
    return this.nxt - this.una;
  }

  get hasUnsent(): boolean {
    return this.nxt < this.streamEnd;
  }

  payload(off: number, len: number): Uint8Array {
    return this.buffer.slice(off - this.bufBase, len);
  }

  /** Bytes below this offset, not SACKed, count as lost (RFC 6675 IsLost plus the RTO/NewReno mark). */
  lossBoundary(): number {
    const bySack = this.sack ? this.scoreboard.lossBoundary(this.dupThresh, this.mss) : 0;
    return Math.min(Math.max(this.lostMark, bySack, this.rackLostBelow()), this.nxt);
  }

  private rackLostBelow(): number {
    return this.cfg.rack && this.sack ? this.rack.lostBelow : 0;
  }

  /**
   * RFC 6675 §4 SetPipe: bytes in flight. Un-SACKed bytes count once unless lost; retransmitted ones
   * count (again) — here: outstanding - SACKed - lost bytes not yet retransmitted.
   */
  pipe(): number {
    const outstanding = this.nxt - this.una - this.scoreboard.sackedBytes;
    if (this.lossState === LossState.OPEN) return outstanding;
    const boundary = this.lossBoundary();
    const from = Math.max(this.rxtNext, this.una);
    if (boundary <= from) return outstanding;
    return outstanding - this.scoreboard.holeBytes(from, boundary);
  }

  /** Decide the next segment to send; false when nothing may be sent now (see `blocked`). */
  next(plan: SegmentPlan): boolean {
    const pipe = this.pipe();
    if (this.lossState !== LossState.OPEN && this.nextRetransmission(plan, pipe)) return true;
    return this.nextNewData(plan, pipe);
  }

  /** RFC 6675 §4 NextSeg rule 1: the first lost, un-SACKed, not yet retransmitted bytes. */
  private nextRetransmission(plan: SegmentPlan, pipe: number): boolean {
    const limit = this.lossBoundary();
    const from = Math.max(this.rxtNext, this.una);
    if (from >= limit) return false;
    const s = this.scoreboard.firstHole(from, limit);
    if (s < 0) return false;
    const holeEnd = Math.min(this.scoreboard.holeEnd(s), limit);
    const len = Math.max(0, Math.min(this.segmentSize, Math.min(holeEnd, this.dataEnd) - s));
    const fin = this.finQueued && s + len === this.dataEnd && holeEnd > this.dataEnd;
    if (len === 0 && !fin) return false;
    if (!this.forceRetransmit && pipe > 0 && pipe + len > this.cc.cwnd) {
      this.blocked = Blocked.CWND;
      return false;
    }
    plan.off = s;
    plan.len = len;
    plan.fin = fin;
    plan.retransmit = true;
    return true;
  }

  /** New data (RFC 6675 NextSeg rule 2 in recovery): window, congestion window, Nagle and SWS rules. */
  private nextNewData(plan: SegmentPlan, pipe: number): boolean {
    const s = this.nxt;
    if (s < 1 || s >= this.streamEnd) {
      this.blocked = Blocked.NOTHING;
      this.cwndLimited = false;
      return false;
    }
    const avail = this.dataEnd - s;
    const wndAvail = this.una + this.sndWnd - s;
    const mss = this.segmentSize;
    let len = Math.max(0, Math.min(this.burstSize(mss, pipe), avail, wndAvail));
    // A super-segment cut short by the window ends on a whole MSS: no small tail segment (SWS).
    if (len > mss && len < avail) len -= len % mss;
    const fin = this.finQueued && s + len === this.dataEnd;
    if ((len === 0 && !fin) || wndAvail < 0) {
      this.blocked = Blocked.WINDOW;
      return false;
    }
    // RFC 5681 §3.1 / RFC 6675 §5: send only while pipe stays within cwnd.
    if (pipe > 0 && pipe + Math.max(len, 1) > this.cc.cwnd) {
      this.blocked = Blocked.CWND;
      this.cwndLimited = true;
      return false;
    }
    if (len > 0 && len < mss && !this.partialAllowed(len, avail)) return false;
    plan.off = s;
    plan.len = len;
    plan.fin = fin;
    plan.retransmit = false;
    return true;
  }

  /**
   * Payload bytes of the next new-data segment: one MSS, or with segmentation offload as many whole
   * MSS as fit in the offload limit and the room left in cwnd (Linux tcp_tso_autosize).
   */
  private burstSize(mss: number, pipe: number): number {
    const limit = this.cfg.maxSegmentBytes;
    if (limit <= mss) return mss;
    const room = this.cc.cwnd - pipe;
    return Math.max(mss, Math.floor(Math.min(limit, room) / mss) * mss);
  }

  /** A segment shorter than the MSS: sender SWS avoidance (RFC 9293 §3.8.6.2.1) and Nagle (RFC 1122 §4.2.3.4). */
  private partialAllowed(len: number, avail: number): boolean {
    if (len < avail) {
      // Window-limited: only if it is at least half the largest window the peer offered.
      if (len >= this.maxSndWnd / 2) return true;
      this.blocked = Blocked.WINDOW;
      return false;
    }
    // All queued data fits. Nagle: hold it while a small segment is unacknowledged (Minshall, like Linux),
    // unless disabled or the FIN is queued (closing pushes everything).
    if (this.noDelay || this.finQueued || this.lastSmallEnd <= this.una) return true;
    this.blocked = Blocked.NAGLE;
    return false;
  }

  /** Record that `plan` went out at `now`. */
  onSent(now: number, plan: SegmentPlan): void {
    const end = plan.off + plan.len + (plan.fin ? 1 : 0);
    if (plan.retransmit) {
      this.rxtNext = Math.max(this.rxtNext, end);
      // Only fast retransmissions are evidence of reordering when D-SACKed; go-back-N after an RTO is not.
      if (this.lossState === LossState.RECOVERY)
        this.fastRetransmittedHigh = Math.max(this.fastRetransmittedHigh, end);
      this.forceRetransmit = false;
      this.stats.retransmits++;
      this.stats.retransmittedBytes += plan.len;
      this.rttEnd = -1; // Karn: never time a retransmitted segment
      this.retransmits.record(plan.off, now);
      if (end > this.rxtHigh) this.rxtHigh = end;
      this.undo.onRetransmit();
    } else {
      if (end > this.nxt) this.sendTimes.append(end, now);
      if (end > this.nxt) this.nxt = end;
      if (end > this.max) this.max = end;
      if (this.rttEnd < 0 && plan.len > 0) {
        this.rttEnd = end;
        this.rttStart = now;
      }
      if (plan.len < this.segmentSize) this.lastSmallEnd = end;
    }
    this.prr.onSent(plan.len + (plan.fin ? 1 : 0));
    this.stats.bytesOut += plan.len;
    this.lastSendTime = now;
  }

  /** An ACK begins: remember what was delivered so far (RFC 6937 DeliveredData). */
  beginAck(): void {
    this.deliveredMark = this.una + this.scoreboard.sackedBytes;
    this.ackAdvanced = false;
  }

  /**
   * A cumulative ACK for `ackOff` (una < ackOff <= nxt already validated). `tsEcho` is the time (ms, our
   * clock) of the transmission whose timestamp the ACK echoes (RFC 7323 §4), or -1. Returns the number of
   * data bytes freed in the send buffer.
   */
  onNewAck(now: number, ackOff: number, tsEcho: number): number {
    const acked = ackOff - this.una;
    const flightBefore = this.nxt - this.una;
    this.ackRtt = -1;
    this.sampleRtt(now, ackOff, tsEcho, flightBefore);
    const spurious = this.isSpuriousByTimestamp(ackOff, tsEcho);
    if (this.cfg.rack) this.rackDelivered(this.una, ackOff, now);
    const freed = this.release(ackOff);
    this.una = ackOff;
    this.ackAdvanced = true;
    this.scoreboard.prune(ackOff);
    this.retransmits.prune(ackOff);
    this.sendTimes.prune(ackOff);
    if (ackOff >= this.rxtHigh) this.retransmits.clear();
    if (this.rxtNext < ackOff) this.rxtNext = ackOff;
    this.retries = 0;
    this.dupAcks = 0;
    this.stats.bytesAcked += freed;
    if (spurious) this.undoReduction(true);
    if (this.lossState === LossState.RECOVERY) this.recoveryAck(now, acked);
    else {
      if (this.lossState === LossState.LOSS && this.una >= this.recoverPoint) this.exitLoss();
      this.growCwnd(now, acked, flightBefore);
    }
    return freed;
  }

  private release(ackOff: number): number {
    const newBase = Math.min(ackOff, this.dataEnd);
    if (newBase <= this.bufBase) return 0;
    const n = newBase - this.bufBase;
    this.buffer.consume(n);
    this.bufBase = newBase;
    return n;
  }

  /**
   * RTT sample from an ACK that advances SND.UNA (RFC 6298 §3; RFC 7323 §4.1 RTTM rule). Like Linux's
   * tcp_ack_update_rtt, a clean sequence sample (a timed segment never retransmitted, Karn) wins; else the
   * timestamp echo, but only when it is not older than the latest retransmission of the data this ACK covers
   * (an older echo is for an earlier transmission, or the receiver's TS.Recent is stale: RFC 7323 §4.3 case
   * C, "would probably include the sender's retransmit time-out"). Many timestamp samples per RTT get
   * RFC 7323 Appendix G's smaller weights.
   */
  private sampleRtt(now: number, ackOff: number, tsEcho: number, flightBefore: number): void {
    if (this.rttEnd >= 0 && ackOff >= this.rttEnd) {
      this.ackRtt = now - this.rttStart;
      this.rtt.sample(this.ackRtt);
      this.rttEnd = -1;
    } else if (tsEcho >= 0 && tsEcho >= Math.floor(this.retransmits.latestBelow(ackOff))) {
      const expectedSamples = Math.max(1, Math.ceil(flightBefore / (2 * this.mss)));
      this.ackRtt = Math.max(0, now - tsEcho);
      this.rtt.sample(this.ackRtt, expectedSamples);
    }
    this.stats.srtt = this.rtt.srtt;
    this.stats.rttvar = this.rtt.rttvar;
    this.stats.minRtt = this.rtt.minRtt;
  }

  /**
   * Eifel detection (RFC 3522 §3.2, Linux tcp_packet_delayed): the first ACK for retransmitted data echoes a
   * timestamp older than the episode's first retransmission, so the original arrived: the retransmission
   * was spurious.
   */
  private isSpuriousByTimestamp(ackOff: number, tsEcho: number): boolean {
    if (!this.cfg.undoSpuriousReductions || tsEcho < 0 || !this.undo.armed) return false;
    const first = this.retransmits.firstAt;
    return first >= 0 && this.una < this.rxtHigh && ackOff > this.una && tsEcho < Math.floor(first);
  }

  /** An ACK during fast recovery (RFC 6582 §3.2 steps 3 and 4; RFC 6675 §5). */
  private recoveryAck(_now: number, acked: number): void {
    if (this.una >= this.recoverPoint) {
      // Full acknowledgment: leave recovery. RFC 6582 step 3 option (2) / RFC 6675 / RFC 6937: cwnd =
      // ssthresh (unless the reduction was undone as spurious).
      const cc = this.cc;
      if (!this.undone)
        cc.cwnd = this.sack
          ? cc.ssthresh
          : Math.min(cc.ssthresh, Math.max(this.nxt - this.una, this.mss) + this.mss);
      this.exitLoss();
      return;
    }
    if (!this.sack) {
      // Partial acknowledgment (RFC 6582 §3.2 step 3): retransmit the first unacknowledged segment,
      // deflate cwnd by the amount acked, add back one SMSS if that was at least one SMSS.
      this.lostMark = Math.max(this.lostMark, Math.min(this.una + this.mss, this.nxt));
      this.rxtNext = this.una;
      this.cc.cwnd = Math.max(this.cc.cwnd - acked + (acked >= this.mss ? this.mss : 0), this.mss);
      this.forceRetransmit = true;
    }
  }

  private exitLoss(): void {
    this.lossState = LossState.OPEN;
    this.lostMark = 0;
    this.prr.stop();
  }

  /** RFC 5681 §3.1 growth, only when the window was actually used (RFC 7661 spirit, Linux cwnd_limited). */
  private growCwnd(now: number, acked: number, flightBefore: number): void {
    const cc = this.cc;
    const inSlowStart = cc.cwnd < cc.ssthresh;
    const limited =
      this.cwndLimited || (inSlowStart ? 2 * flightBefore >= cc.cwnd : flightBefore + this.mss >= cc.cwnd);
    if (!limited) return;
    const a = this.ackSample;
    a.now = now;
    a.ackedBytes = acked;
    a.mss = this.mss;
    a.srtt = this.rtt.srtt;
    a.minRtt = this.rtt.minRtt;
    a.rtt = this.ackRtt;
    a.roundStart = this.una >= this.roundEnd;
    if (a.roundStart) this.roundEnd = this.nxt;
    cc.onAck(a);
    this.noteCwnd();
  }

  /** Keep stats.maxCwnd at the largest window ever used (called wherever cwnd may grow). */
  noteCwnd(): void {
    if (this.cc.cwnd > this.stats.maxCwnd) this.stats.maxCwnd = this.cc.cwnd;
  }

  /** A duplicate ACK (RFC 5681 §2 definition, or new SACK information per RFC 6675 §2). */
  onDuplicateAck(): void {
    this.dupAcks++;
    this.stats.dupAcksIn++;
    // RFC 6582 §3.2 step 4 / RFC 5681 §3.2 step 4: inflate cwnd for each further duplicate ACK.
    if (this.lossState === LossState.RECOVERY && !this.sack) {
      this.cc.cwnd += this.mss;
      this.noteCwnd();
    }
  }

  /** New SACK information arrived on this ACK (RFC 6675 §2 "duplicate acknowledgment" with SACK). */
  noteSacked(): void {
    this.ackAdvanced = true;
  }

  /** Record a SACK block [start, end) (offsets); returns newly SACKed bytes. Feeds RACK (RFC 8985 §6.2). */
  sackBlock(start: number, end: number, now: number): number {
    const added = this.scoreboard.add(start, end, this.una, this.nxt);
    if (added > 0 && this.cfg.rack) this.rackDelivered(Math.max(start, this.una), end, now);
    return added;
  }

  private rackDelivered(from: number, to: number, now: number): void {
    this.rack.onDelivered(from, to, now, this.rtt.minRtt, this.sendTimes, this.retransmits);
  }

  /** RACK loss detection on this ACK (RFC 8985 §6.2 step 5), before recovery is considered. */
  detectLoss(now: number): void {
    if (!this.cfg.rack || !this.sack) return;
    const reo = reorderingWindow(
      this.dupThresh > this.cfg.dupThresh,
      this.lossState === LossState.RECOVERY,
      this.scoreboard.sackedBytes / this.mss,
      this.dupThresh,
      this.rtt.minRtt,
      this.rtt.srtt,
    );
    this.rack.detect(now, reo, this.sendTimes);
  }

  /** Enter fast recovery when loss is detected (RFC 5681 §3.2, RFC 6675 §5, RFC 6582 §3.2 step 2). */
  maybeEnterRecovery(now: number): boolean {
    if (this.lossState !== LossState.OPEN || this.una >= this.nxt) return false;
    const bySack =
      this.sack &&
      (this.scoreboard.lossBoundary(this.dupThresh, this.mss) > this.una || this.rackLostBelow() > this.una);
    if (this.dupAcks < this.dupThresh && !bySack) return false;
    // RFC 6582 §3.2 step 2: without SACK, only if the ACK covers more than `recover`.
    if (!this.sack && this.una <= this.recoverPoint && this.recoverPoint > 0) return false;
    const flight = this.nxt - this.una;
    this.recoverPoint = this.nxt;
    this.beginEpisode(false);
    const cwndBefore = this.cc.cwnd;
    this.cc.onCongestion(now, flight, this.mss);
    if (!this.sack) this.cc.cwnd = this.cc.ssthresh + this.dupThresh * this.mss;
    else if (this.cfg.proportionalRateReduction) {
      // RFC 6937: no step down to ssthresh; cwnd follows pipe + sndcnt from this ACK on (endAck).
      this.cc.cwnd = cwndBefore;
      this.prr.start(flight);
    }
    this.noteCwnd();
    this.lossState = LossState.RECOVERY;
    this.lostMark = Math.min(this.una + this.mss, this.nxt);
    this.rxtNext = this.una;
    this.forceRetransmit = true;
    this.stats.fastRetransmits++;
    return true;
  }

  /** RFC 6298 §5.4-5.6: retransmission timer expired. Returns false when retries are exhausted. */
  onRetransmitTimeout(now: number): boolean {
    if (this.retries >= this.cfg.maxRetries) return false;
    this.retries++;
    this.stats.rtoCount++;
    const flight = this.nxt - this.una;
    this.beginEpisode(this.lossState !== LossState.OPEN);
    this.prr.stop();
    // RFC 5681 §3.1: ssthresh is reduced once for a loss episode; later timeouts only reset cwnd.
    if (this.lossState !== LossState.LOSS) this.cc.onTimeout(now, flight, this.mss);
    else this.cc.cwnd = this.mss;
    this.lossState = LossState.LOSS;
    this.recoverPoint = this.nxt;
    // Everything outstanding and not SACKed is presumed lost; SACK state is kept (as Linux does unless the
    // receiver reneges; RFC 6675 §5.1).
    this.lostMark = this.nxt;
    this.rxtNext = this.una;
    this.dupAcks = 0;
    this.rttEnd = -1;
    this.rtt.backOff(); // RFC 6298 §5.5
    return true;
  }

  /**
   * A D-SACK block [start, end) (RFC 2883 §4): the receiver got these bytes twice. If we had retransmitted
   * them, the retransmission was spurious, so the path reorders: raise DupThresh (bounded by
   * maxReordering) so that the same reordering does not trigger fast retransmit again.
   */
  onDsack(start: number, end: number): void {
    if (end <= start) return;
    this.tlp.noteDsack(start, end);
    if (start < this.rxtHigh && this.cfg.undoSpuriousReductions) {
      const segments = Math.max(1, Math.round((end - start) / this.mss));
      if (this.undo.onDuplicates(segments)) this.undoReduction(false);
    }
    if (start >= this.fastRetransmittedHigh) return;
    this.stats.spuriousRetransmits++;
    if (this.dupThresh < this.cfg.maxReordering) this.dupThresh++;
  }

  /** A loss episode (recovery or RTO) begins: save the window for a possible undo, end any TLP episode. */
  private beginEpisode(continuing: boolean): void {
    this.undo.begin(this.cc.cwnd, this.cc.ssthresh, continuing);
    if (!continuing) this.undone = false;
    this.tlp.end();
  }

  /**
   * The episode's retransmissions were spurious: restore the window from before the reduction (Linux
   * tcp_undo_cwnd_reduction: cwnd = max(cwnd, prior), ssthresh = max(ssthresh, prior)). After an RTO,
   * leave the loss state (stop go-back-N; SACK still repairs real holes).
   */
  private undoReduction(byTimestamp: boolean): void {
    const cc = this.cc;
    const u = this.undo;
    if (!u.armed) return;
    cc.cwnd = Math.max(cc.cwnd, u.priorCwnd);
    cc.ssthresh = Math.max(cc.ssthresh, u.priorSsthresh);
    u.disarm();
    this.undone = true;
    this.prr.stop();
    this.stats.undoneReductions++;
    if (byTimestamp) this.stats.spuriousRtos += this.lossState === LossState.LOSS ? 1 : 0;
    if (this.lossState === LossState.LOSS) {
      this.lossState = LossState.OPEN;
      this.lostMark = 0;
      this.retries = 0;
    }
    this.noteCwnd();
  }

  /**
   * The ACK is processed (after SACK blocks and loss detection): the PRR window for this ACK (RFC 6937
   * §3.1) and the tail loss probe outcome (RFC 8985 §7.4).
   */
  endAck(now: number): void {
    const delivered = this.una + this.scoreboard.sackedBytes - this.deliveredMark;
    if (this.lossState === LossState.RECOVERY && this.prr.active) {
      const cwnd = this.prr.cwndOnAck(Math.max(0, delivered), this.pipe(), this.cc.ssthresh, this.mss);
      this.cc.cwnd = Math.max(cwnd, this.mss);
    }
    if (this.tlp.inProgress) this.tailProbeAck(now);
  }

  /** RFC 8985 §7.4 (Linux tcp_process_tlp_ack): did the probe repair a loss? */
  private tailProbeAck(now: number): void {
    const t = this.tlp;
    if (this.una < t.endOff) return;
    if (!t.isRetrans || t.dsacked) {
      // New data probed, or both the original and the probe arrived (§7.4.1): no loss.
      t.end();
      return;
    }
    if (this.una > t.endOff) {
      // The probe repaired a loss (§7.4.2): a congestion response like fast recovery's, done at once.
      this.cc.onCongestion(now, this.nxt - this.una, this.mss);
      this.stats.tailLossProbeRecoveries++;
      t.end();
    } else if (!this.ackAdvanced) {
      // A pure duplicate ACK after the probe was acknowledged: the original and the probe arrived.
      t.end();
    }
  }

  /** RFC 5681 §4.1: after an idle period longer than the RTO, restart from the initial window. */
  maybeRestartAfterIdle(now: number): void {
    if (!this.cfg.slowStartAfterIdle || this.una !== this.nxt) return;
    if (now - this.lastSendTime > this.rtt.rto) {
      this.cc.onIdleRestart(now, this.cfg.initialCwnd * this.mss);
    }
  }

  /** Accept the peer's window from a segment (caller applies the SND.WL1/WL2 rule). */
  setWindow(wnd: number): void {
    this.sndWnd = wnd;
    if (wnd > this.maxSndWnd) this.maxSndWnd = wnd;
  }

  /** The send loop stopped with data waiting but nothing in flight because of the window: persist. */
  get needsPersist(): boolean {
    return this.una === this.nxt && this.hasUnsent && this.blocked === Blocked.WINDOW;
  }

  /**
   * RFC 8985 §7.2: may a probe timeout be armed now? SACK in use (the probe's loss is detected through
   * SACK), no loss being repaired, no probe episode in progress, data in flight.
   */
  get tailProbeEligible(): boolean {
    return (
      this.cfg.tailLossProbe &&
      this.sack &&
      this.lossState === LossState.OPEN &&
      !this.tlp.inProgress &&
      this.una < this.nxt
    );
  }

  /** Only one segment's worth of data in flight (RFC 8985 §7.2: add the delayed ACK time to the PTO). */
  get oneSegmentInFlight(): boolean {
    return this.nxt - this.una <= this.segmentSize;
  }

  /**
   * RFC 8985 §7.3: the probe. New data if some is queued and the peer's window allows (cwnd and Nagle do
   * not apply), else the last segment sent (highest sequence numbers), unless SACK already covers it.
   */
  tailProbePlan(plan: SegmentPlan): boolean {
    const s = this.nxt;
    const len = Math.min(this.segmentSize, this.dataEnd - s, this.una + this.sndWnd - s);
    if (s < this.dataEnd && len > 0) {
      plan.off = s;
      plan.len = len;
      plan.fin = this.finQueued && s + len === this.dataEnd;
      plan.retransmit = false;
      return true;
    }
    if (this.una >= this.nxt || this.scoreboard.isSacked(this.nxt - 1)) return false;
    const finSent = this.finQueued && this.nxt > this.dataEnd;
    const dataHigh = Math.min(this.nxt, this.dataEnd);
    const off = Math.max(this.una, dataHigh - this.segmentSize);
    plan.off = off;
    plan.len = Math.max(0, dataHigh - off);
    plan.fin = finSent;
    plan.retransmit = true;
    return plan.len > 0 || plan.fin;
  }

  /** The probe `plan` went out (after onSent): a TLP episode begins (RFC 8985 §7.3). */
  onTailProbeSent(plan: SegmentPlan): void {
    const end = plan.off + plan.len + (plan.fin ? 1 : 0);
    this.tlp.start(plan.off, end, this.nxt, plan.retransmit);
    this.stats.tailLossProbes++;
  }

  /** RFC 9293 §3.8.6.2.1 override: send what the window allows now, ignoring SWS avoidance. */
  forcedWindowPlan(plan: SegmentPlan): boolean {
    const s = this.nxt;
    const wndAvail = this.una + this.sndWnd - s;
    const len = Math.min(this.segmentSize, this.dataEnd - s, wndAvail);
    if (len <= 0) return false;
    plan.off = s;
    plan.len = len;
    plan.fin = this.finQueued && s + len === this.dataEnd;
    plan.retransmit = false;
    return true;
  }
}
