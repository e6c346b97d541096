// An RFC 9293 TCP connection, sans-IO (smoltcp's process/dispatch/poll_at shape): segments come in
// through onSegment(now, seg), go out through poll(now, emit), and pollAt() says when poll must run
// next. No clock, no timers, no randomness of its own: time and the ISN are arguments.
//
// This file is the state machine and the glue; the rules live in receiver.ts, sender.ts,
// handshake.ts, options.ts and validation.ts.

import { resolveTcpConfig, type TcpConfig } from './config.js';
import { TcpError, type TcpErrorCode } from './errors.js';
import { classifySynSent, SynRetransmitter, SynSentAction } from './handshake.js';
import { probeTimeout } from './loss-probe.js';
import {
  fillSynAckOptions,
  fillSynOptions,
  maxSackBlocks,
  type NegotiatedOptions,
  negotiate,
  sackOptionSpace,
} from './options.js';
import { SegmentWriter } from './output.js';
import { DataResult, Receiver } from './receiver.js';
import {
  EMPTY_PAYLOAD,
  segmentLength,
  TcpFlags,
  type TcpSegment,
  type TcpSegmentOptions,
} from './segment.js';
import { Blocked, type SegmentPlan, Sender } from './sender.js';
import { type Seq, seq, seqAdd, seqSub } from './seq.js';
import { emptyStats, type TcpStats } from './stats.js';
import { type TimerInfo, TimerKind, TimerSet } from './timers.js';
import { isAcceptable, PAWS_IDLE_LIMIT_MS, pawsRejects, RateLimiter } from './validation.js';

export type TcpStateName =
  | 'CLOSED'
  | 'LISTEN'
  | 'SYN-SENT'
  | 'SYN-RECEIVED'
  | 'ESTABLISHED'
  | 'FIN-WAIT-1'
  | 'FIN-WAIT-2'
  | 'CLOSE-WAIT'
  | 'CLOSING'
  | 'LAST-ACK'
  | 'TIME-WAIT';

export const TcpEvent = {
  CONNECTED: 1,
  READABLE: 2,
  WRITABLE: 4,
  REMOTE_FIN: 8,
  CLOSED: 16,
  RESET: 32,
  TIMEOUT: 64,
} as const;

export interface TcpConnectionOptions {
  localPort: number;
  remotePort: number;
  /** Our initial sequence number (see isn.ts, RFC 6528). */
  isn: number;
  /** Current time in ms. */
  now: number;
  /** Our MSS, from the route MTU (e.g. 1460 for MTU 1500 over IPv4). */
  mss: number;
  config?: Partial<TcpConfig>;
  /** Offset of our timestamp clock (RFC 7323 §5.4 suggests a random per-connection offset). Default 0. */
  tsOffset?: number;
}

/** States in which data may be sent or retransmitted. */
const SENDING_STATES = new Set<TcpStateName>([
  'ESTABLISHED',
  'CLOSE-WAIT',
  'FIN-WAIT-1',
  'CLOSING',
  'LAST-ACK',
]);
/** States in which the application may still write. */
const WRITABLE_STATES = new Set<TcpStateName>(['SYN-SENT', 'SYN-RECEIVED', 'ESTABLISHED', 'CLOSE-WAIT']);
/** States in which arriving text is accepted (RFC 9293 §3.10.7.4 seventh step). */
const RECEIVING_STATES = new Set<TcpStateName>(['SYN-RECEIVED', 'ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2']);

export class TcpConnection {
  readonly localPort: number;
  readonly remotePort: number;
  readonly config: TcpConfig;
  private readonly ourMss: number;
  private _state: TcpStateName = 'CLOSED';
  private _error: TcpError | null = null;
  private events = 0;
  private readonly passive: boolean;

  private readonly counters: TcpStats = emptyStats();
  private readonly sender: Sender;
  private readonly receiver: Receiver;
  private readonly syn: SynRetransmitter;
  private readonly timers = new TimerSet();
  private irs = 0 as Seq;
  private negotiated: NegotiatedOptions | null = null;
  /** The options of the peer's SYN (what our SYN-ACK may answer). */
  private peerSyn: TcpSegmentOptions = {};

  // RFC 7323 timestamps.
  private tsEnabled = false;
  private readonly tsOffset: number;
  private tsRecent = 0;
  private tsRecentAt = Number.NEGATIVE_INFINITY;
  /** RCV.NXT (as an offset from the IRS) carried by the last ACK we sent: Last.ACK.sent of RFC 7323 §4.3. */
  private lastAckSentOff = 0;

  // Rate limiters for ACKs answering bad segments.
  private readonly challengeLimiter: RateLimiter;
  private readonly oowLimiter: RateLimiter;
  private readonly synAckLimiter: RateLimiter;

  // Probing.
  private persistBackoff = 0;
  private unansweredProbes = 0;
  private probePending = false;
  /** The tail loss probe timer fired: send the probe on this poll (RFC 8985 §7.3). */
  private tailProbePending = false;
  /** Something happened that (re)starts the probe timeout: new data sent, an ACK or SACK (RFC 8985 §7.2). */
  private restartProbeTimer = false;
  private keepalivesSent = 0;
  private lastRecvAt: number;

  private rstPending = false;
  private rstSeq = 0;
  private rstAck = 0;
  private rstFlags = 0;
  private closeRequested = false;

  private wantOutput = true;
  private lastNow: number;

  /** The reused output segment (valid only during emit). */
  private readonly writer: SegmentWriter;
  private readonly plan: SegmentPlan = { off: 0, len: 0, fin: false, retransmit: false };

  private constructor(cfg: TcpConnectionOptions, passive: boolean) {
    this.config = resolveTcpConfig(cfg.config);
    this.localPort = cfg.localPort;
    this.remotePort = cfg.remotePort;
    this.ourMss = cfg.mss;
    this.passive = passive;
    this.tsOffset = cfg.tsOffset ?? 0;
    this.lastNow = cfg.now;
    this.lastRecvAt = cfg.now;
    const c = this.config;
    this.sender = new Sender(seq(cfg.isn), c, Math.min(cfg.mss, c.defaultMss), this.counters);
    this.receiver = new Receiver(c, cfg.mss);
    this.syn = new SynRetransmitter(passive ? c.synAckRetries : c.synRetries);
    this.challengeLimiter = new RateLimiter(c.challengeAckLimit, 1000);
    this.oowLimiter = new RateLimiter(1, c.invalidAckInterval);
    this.synAckLimiter = new RateLimiter(1, c.invalidAckInterval);
    this.writer = new SegmentWriter(cfg.localPort, cfg.remotePort);
  }

  /** Active open (RFC 9293 §3.10.1): the SYN goes out on the next poll. */
  static connect(cfg: TcpConnectionOptions): TcpConnection {
    const c = new TcpConnection(cfg, false);
    c._state = 'SYN-SENT';
    return c;
  }

  /** Passive open from a received SYN (RFC 9293 §3.10.7.2): SYN-RECEIVED, the SYN-ACK goes out on the next poll. */
  static accept(cfg: TcpConnectionOptions, syn: TcpSegment): TcpConnection {
    if (!(syn.flags & TcpFlags.SYN) || syn.flags & (TcpFlags.ACK | TcpFlags.RST)) {
      throw new TypeError('TcpConnection.accept needs a SYN segment without ACK or RST');
    }
    const c = new TcpConnection(cfg, true);
    c._state = 'SYN-RECEIVED';
    c.learnPeerSyn(cfg.now, syn);
    c.sender.setWindow(syn.window); // RFC 7323 §2.2: the window in a SYN is never scaled
    c.sender.wl1 = seq(syn.seq);
    return c;
  }

  get state(): TcpStateName {
    return this._state;
  }

  get error(): TcpError | null {
    return this._error;
  }

  // ---------------------------------------------------------------- application calls

  write(data: Uint8Array): number {
    if (!WRITABLE_STATES.has(this._state) || this.closeRequested) return 0;
    const n = this.sender.write(data);
    if (n > 0) this.wantOutput = true;
    return n;
  }

  writableLength(): number {
    if (!WRITABLE_STATES.has(this._state) || this.closeRequested) return 0;
    return this.sender.buffer.free;
  }

  read(into: Uint8Array): number {
    const n = this.receiver.read(into);
    if (n > 0 && this.receiver.ackNow) this.wantOutput = true;
    return n;
  }

  /** The next in-order bytes as a view of the receive buffer (see Receiver.peek); discard() them after use. */
  peek(max: number): Uint8Array {
    return this.receiver.peek(max);
  }

  /**
   * Hand in-order bytes that arrive while nothing is buffered straight to `reader` during
   * onSegment, instead of buffering them (see Receiver.directReader); null to stop.
   */
  setDirectReader(reader: ((view: Uint8Array) => number) | null): void {
    this.receiver.directReader = reader;
  }

  /** Consume `n` in-order bytes without copying them (after peek). */
  discard(n: number): number {
    const done = this.receiver.discard(n);
    if (done > 0 && this.receiver.ackNow) this.wantOutput = true;
    return done;
  }

  readableLength(): number {
    return this.receiver.readable;
  }

  /** The peer's FIN has been received in order: once readableLength() is 0, reading has reached EOF. */
  get remoteFinReceived(): boolean {
    return this.receiver.finReceived;
  }

  /** CLOSE (RFC 9293 §3.10.4): a FIN after the queued data; reading continues until the peer's FIN. */
  end(): void {
    switch (this._state) {
      case 'SYN-SENT':
        // "Delete the TCB": nothing was synchronized, nothing to send.
        this.enterClosed(null);
        return;
      case 'SYN-RECEIVED':
        // Queued until ESTABLISHED (§3.10.4: "queue for processing after entering ESTABLISHED state").
        this.closeRequested = true;
        this.sender.queueFin();
        return;
      case 'ESTABLISHED':
        this.closeRequested = true;
        this.sender.queueFin();
        this._state = 'FIN-WAIT-1';
        break;
      case 'CLOSE-WAIT':
        this.closeRequested = true;
        this.sender.queueFin();
        this._state = 'LAST-ACK';
        break;
      default:
        return; // already closing: "error: connection closing"
    }
    this.wantOutput = true;
  }

  /** ABORT (RFC 9293 §3.10.5): RST in synchronized states, then CLOSED. */
  abort(): void {
    const s = this._state;
    const sendRst =
      s === 'SYN-RECEIVED' ||
      s === 'ESTABLISHED' ||
      s === 'FIN-WAIT-1' ||
      s === 'FIN-WAIT-2' ||
      s === 'CLOSE-WAIT';
    if (sendRst) {
      // <SEQ=SND.NXT><CTL=RST>; like Linux, with ACK and the current RCV.NXT.
      this.queueRst(this.sender.seqOf(this.sender.nxt), this.rcvNxt(), TcpFlags.RST | TcpFlags.ACK);
    }
    if (s !== 'CLOSED') this.enterClosed(new TcpError('aborted', 'connection aborted by the application'));
  }

  /** Disable (true) or enable Nagle's algorithm (RFC 1122 §4.2.3.4). */
  setNoDelay(noDelay: boolean): void {
    this.sender.noDelay = noDelay;
    if (noDelay) this.wantOutput = true;
  }

  /** Turn keepalive on or off (RFC 1122 §4.2.3.6), optionally with a new idle time. */
  setKeepAlive(enable: boolean, idleMs?: number): void {
    this.config.keepalive = enable;
    if (idleMs !== undefined && idleMs > 0) this.config.keepaliveIdle = idleMs;
    this.timers.clear(TimerKind.KEEPALIVE);
    this.wantOutput = true;
  }

  takeEvents(): number {
    const e = this.events;
    this.events = 0;
    return e;
  }

  stats(): TcpStats {
    const s = this.counters;
    const snd = this.sender;
    s.cwnd = snd.cc.cwnd;
    s.ssthresh = snd.cc.ssthresh;
    s.flightSize = snd.pipe();
    s.sndWnd = snd.sndWnd;
    s.rcvWnd = this.receiver.window;
    s.mss = snd.mss;
    s.rto = snd.rtt.rto;
    s.srtt = snd.rtt.srtt;
    s.rttvar = snd.rtt.rttvar;
    s.minRtt = snd.rtt.minRtt;
    s.sackedBytes = snd.scoreboard.sackedBytes;
    s.reordering = snd.dupThresh;
    if (s.cwnd > s.maxCwnd) s.maxCwnd = s.cwnd;
    return { ...s };
  }

  /** Running timers, for tools and tests. */
  timerList(): TimerInfo[] {
    return this.timers.list();
  }

  /**
   * In TIME-WAIT, may a new SYN for the same 4-tuple start a new connection (RFC 9293 §3.10.7.4 note,
   * RFC 6191)? Yes if its timestamp is newer than TS.Recent, or, without timestamps, if its sequence
   * number is above RCV.NXT (Linux tcp_timewait_state_process). The stack then drops this connection.
   */
  timeWaitAcceptsSyn(syn: TcpSegment): boolean {
    if (
      this._state !== 'TIME-WAIT' ||
      !(syn.flags & TcpFlags.SYN) ||
      syn.flags & (TcpFlags.ACK | TcpFlags.RST)
    )
      return false;
    const ts = syn.options.timestamp;
    if (this.tsEnabled && ts) return ((ts.value - this.tsRecent) | 0) > 0;
    return seqSub(seq(syn.seq), this.rcvNxt()) > 0;
  }

  /** The negotiated options (null before the SYN exchange completes). */
  get options(): Readonly<NegotiatedOptions> | null {
    return this.negotiated;
  }

  /** Internal parts for invariant checks and white-box tests; not a stable API. */
  internals(): { sender: Sender; receiver: Receiver; irs: Seq; timers: TimerSet } {
    return { sender: this.sender, receiver: this.receiver, irs: this.irs, timers: this.timers };
  }

  // ---------------------------------------------------------------- timing

  /**
   * An ACK is owed now rather than at the end of the receive batch: an immediate duplicate ACK for
   * out-of-order data (RFC 5681 §4.2), a gap filled, a duplicate, a FIN. The driver polls at once
   * when this is true; the ACK of in-order data (every second full-sized segment, RFC 1122
   * §4.2.3.2) waits for the batch's end and covers the whole batch (Receiver.ackBatchable).
   */
  ackDue(): boolean {
    return this._state !== 'CLOSED' && this.receiver.ackNow && !this.receiver.ackBatchable;
  }

  pollAt(): number {
    if (this._state === 'CLOSED') return this.rstPending ? this.lastNow : Number.POSITIVE_INFINITY;
    if (this.wantOutput || this.rstPending || this.receiver.ackNow) return this.lastNow;
    return this.timers.next();
  }

  // ---------------------------------------------------------------- SEGMENT ARRIVES (RFC 9293 §3.10.7)

  onSegment(now: number, seg: TcpSegment): void {
    this.lastNow = now;
    this.counters.segmentsIn += seg.segmentCount ?? 1; // wire segments, as Linux's tcpi_segs_in
    this.counters.bytesIn += seg.payload.length;
    switch (this._state) {
      case 'CLOSED':
      case 'LISTEN':
        this.onSegmentClosed(seg);
        break;
      case 'SYN-SENT':
        this.onSegmentSynSent(now, seg);
        break;
      default:
        this.onSegmentSynchronized(now, seg);
    }
    this.wantOutput = true;
  }

  /** §3.10.7.1: a segment for a closed connection gets a RST (unless it is one). */
  private onSegmentClosed(seg: TcpSegment): void {
    if (seg.flags & TcpFlags.RST) return;
    if (seg.flags & TcpFlags.ACK) this.queueRst(seg.ack, 0, TcpFlags.RST);
    else this.queueRst(0, seg.seq + segmentLength(seg), TcpFlags.RST | TcpFlags.ACK);
  }

  /** §3.10.7.3 SYN-SENT. */
  private onSegmentSynSent(now: number, seg: TcpSegment): void {
    const snd = this.sender;
    const action = classifySynSent(seg, snd.iss, snd.seqOf(snd.nxt));
    switch (action) {
      case SynSentAction.RESET_PEER:
        this.queueRst(seg.ack, 0, TcpFlags.RST);
        return;
      case SynSentAction.REFUSED:
        this.enterClosed(new TcpError('refused', 'connection refused'));
        return;
      case SynSentAction.DROP:
        return;
      case SynSentAction.SIMULTANEOUS_OPEN:
        this.learnPeerSyn(now, seg);
        snd.setWindow(seg.window);
        snd.wl1 = seq(seg.seq);
        this._state = 'SYN-RECEIVED';
        this.syn.pending = true; // SYN-ACK with our ISS
        return;
      case SynSentAction.ESTABLISHED:
        this.learnPeerSyn(now, seg);
        this.ackOurSyn(now);
        snd.setWindow(seg.window); // unscaled in a SYN (RFC 7323 §2.2)
        snd.wl1 = seq(seg.seq);
        snd.wl2 = seq(seg.ack);
        this.establish();
        this.receiver.ackNow = true;
        if (seg.payload.length > 0 || seg.flags & TcpFlags.FIN) this.processText(now, seg);
        if (this.closeRequested) this._state = 'FIN-WAIT-1';
    }
  }

  /** Record the peer's SYN: IRS, RCV.NXT, the negotiated options, TS.Recent. */
  private learnPeerSyn(now: number, seg: TcpSegment): void {
    this.irs = seq(seg.seq);
    const p = seg.options;
    this.peerSyn = {
      mss: p.mss,
      wscale: p.wscale,
      sackPermitted: p.sackPermitted,
      timestamp: p.timestamp && { ...p.timestamp },
    };
    const neg = negotiate(this.config, this.ourMss, seg.options);
    this.negotiated = neg;
    this.sender.setMss(neg.sendMss);
    this.sender.sack = neg.sack;
    this.sender.wscale = neg.sndWscale;
    this.receiver.wscale = neg.rcvWscale;
    this.tsEnabled = neg.timestamps;
    if (neg.timestamps && seg.options.timestamp) {
      this.tsRecent = seg.options.timestamp.value;
      this.tsRecentAt = now;
    }
  }

  /**
   * Our SYN is acknowledged: SND.UNA moves past it, with an RTT sample only if our SYN (or SYN-ACK) went out
   * once (RFC 6298 §3, Karn's rule). After a retransmission not even the timestamp echo is trusted: the
   * peer may have answered with its own retransmitted SYN-ACK, echoing our SYN after its 1 s timeout, and a
   * first sample sets SRTT outright (§2.2), so one such sample would inflate the RTO for long.
   */
  private ackOurSyn(now: number): void {
    const snd = this.sender;
    const syn = this.syn;
    if (syn.retransmissions === 0 && !Number.isNaN(syn.firstSentAt)) {
      snd.rtt.sample(now - syn.firstSentAt);
    } else snd.rtt.resetBackoff();
    snd.una = 1;
    snd.rxtNext = 1;
    this.timers.clear(TimerKind.RETRANSMIT);
  }

  private establish(): void {
    this._state = 'ESTABLISHED';
    this.events |= TcpEvent.CONNECTED | TcpEvent.WRITABLE;
  }

  /** §3.10.7.4: SYN-RECEIVED and the synchronized states. */
  private onSegmentSynchronized(now: number, seg: TcpSegment): void {
    if (this.handleSpecialSyn(now, seg)) return;
    if (!this.checkSequence(now, seg)) return;
    this.lastRecvAt = now;
    this.keepalivesSent = 0;
    if (seg.flags & TcpFlags.RST) {
      this.handleRst(seg);
      return;
    }
    if (seg.flags & TcpFlags.SYN) {
      // RFC 5961 §4.2: a SYN in a synchronized state gets a challenge ACK, whatever its sequence number.
      this.challengeAck(now);
      return;
    }
    if (!(seg.flags & TcpFlags.ACK)) return; // fifth check: "if the ACK bit is off, drop the segment"
    if (!this.processAck(now, seg)) return;
    if (this._state === 'CLOSED') return;
    this.updateTsRecent(now, seg);
    if (RECEIVING_STATES.has(this._state)) this.processText(now, seg);
  }

  /** SYN segments that get special treatment before the sequence check. */
  private handleSpecialSyn(now: number, seg: TcpSegment): boolean {
    if (!(seg.flags & TcpFlags.SYN) || seg.flags & TcpFlags.RST) return false;
    if (this._state !== 'SYN-RECEIVED') return false;
    const isPeerSyn = seq(seg.seq) === this.irs;
    if (isPeerSyn && !(seg.flags & TcpFlags.ACK)) {
      // A retransmitted SYN: our SYN-ACK was lost; send it again (Linux, rate-limited).
      if (this.synAckLimiter.allow(now)) this.syn.pending = true;
      return true;
    }
    if (isPeerSyn && !this.passive && seg.flags & TcpFlags.ACK && seg.ack === this.sender.seqOf(1)) {
      // Simultaneous open: the peer's SYN-ACK completes the handshake (RFC 9293 figure 8; Linux
      // tcp_validate_incoming lets it through to ACK processing).
      this.lastRecvAt = now;
      this.processAck(now, seg);
      return true;
    }
    return false;
  }

  /** First check: PAWS (RFC 7323 §5.3) and the acceptability test (RFC 9293 §3.10.7.4). */
  private checkSequence(now: number, seg: TcpSegment): boolean {
    const isRst = (seg.flags & TcpFlags.RST) !== 0;
    const ts = seg.options.timestamp;
    if (this.tsEnabled && ts && !isRst && pawsRejects(ts.value, this.tsRecent)) {
      if (now - this.tsRecentAt <= PAWS_IDLE_LIMIT_MS) {
        this.counters.pawsDrops++;
        this.ackOutOfWindow(now, seg);
        return false;
      }
    }
    if (this._state === 'TIME-WAIT' && seg.flags & TcpFlags.FIN && !isRst && this.isRetransmittedFin(seg)) {
      // "The only thing that can arrive in this state is a retransmission of the remote FIN. Acknowledge it,
      // and restart the 2 MSL timeout."
      this.receiver.ackNow = true;
      this.timers.set(TimerKind.TIME_WAIT, now + this.config.timeWait);
      return false;
    }
    if (!isAcceptable(seq(seg.seq), segmentLength(seg), this.rcvNxt(), this.receiver.window)) {
      this.counters.outOfWindowDrops++;
      if (!isRst) this.ackOutOfWindow(now, seg);
      return false;
    }
    return true;
  }

  private isRetransmittedFin(seg: TcpSegment): boolean {
    return seqAdd(seq(seg.seq), segmentLength(seg)) === this.rcvNxt();
  }

  /** "If an incoming segment is not acceptable, an acknowledgment should be sent in reply": at once for data
   * (with a D-SACK), rate-limited for bare ACKs and SYNs (Linux tcp_oow_rate_limited) to stop ACK loops. */
  private ackOutOfWindow(now: number, seg: TcpSegment): void {
    this.updateTsRecentFromDuplicate(now, seg);
    const d = seqSub(seq(seg.seq), this.rcvNxt());
    if (seg.payload.length > 0 && d < 0) {
      // Old data: report what was duplicated as a D-SACK (RFC 2883), take nothing.
      const r = this.receiver;
      const start = r.nxtOffset - 1 + d + (seg.flags & TcpFlags.SYN ? 1 : 0);
      r.noteDuplicate(start, Math.min(start + seg.payload.length, r.deliveredEnd));
      this.counters.duplicateSegments++;
      this.counters.retransmissionsIn++; // wholly below RCV.NXT: sent again
      return;
    }
    if (seg.payload.length > 0 && !(seg.flags & TcpFlags.SYN)) {
      this.receiver.ackNow = true;
      return;
    }
    if (this.oowLimiter.allow(now)) this.receiver.ackNow = true;
  }

  /** Second check, RST (RFC 9293 §3.10.7.4, RFC 5961 §3.2). */
  private handleRst(seg: TcpSegment): void {
    if (this.config.rfc5961 && seq(seg.seq) !== this.rcvNxt()) {
      // In the window but not exactly RCV.NXT: challenge ACK (RFC 5961 §3.2).
      this.challengeAck(this.lastNow);
      return;
    }
    switch (this._state) {
      case 'SYN-RECEIVED':
        // Passive: the listener forgets it ("return to LISTEN"); active: "connection refused".
        this.enterClosed(
          new TcpError(this.passive ? 'reset' : 'refused', 'connection reset during handshake'),
        );
        return;
      case 'CLOSING':
      case 'LAST-ACK':
      case 'TIME-WAIT':
        this.enterClosed(null);
        return;
      default:
        this.enterClosed(new TcpError('reset', 'connection reset by peer'));
    }
  }

  /** RFC 5961 §7: challenge ACKs, per-connection limit per second plus the out-of-window limiter (Linux). */
  private challengeAck(now: number): void {
    if (!this.oowLimiter.allow(now)) return;
    if (!this.challengeLimiter.allow(now)) return;
    this.counters.challengeAcks++;
    this.receiver.ackNow = true;
  }

  /** Fifth check, ACK (RFC 9293 §3.10.7.4, RFC 5961 §5.2). Returns false when the segment is dropped. */
  private processAck(now: number, seg: TcpSegment): boolean {
    const snd = this.sender;
    const ackOff = snd.offsetOf(seq(seg.ack));
    if (this._state === 'SYN-RECEIVED') {
      if (ackOff <= snd.una || ackOff > snd.nxt) {
        // "If the segment acknowledgment is not acceptable, form a reset segment <SEQ=SEG.ACK><CTL=RST>".
        this.queueRst(seg.ack, 0, TcpFlags.RST);
        return false;
      }
      this.ackOurSyn(now);
      this.establish();
      snd.setWindow(seg.window * 2 ** snd.wscale);
      snd.wl1 = seq(seg.seq);
      snd.wl2 = seq(seg.ack);
      if (this.closeRequested) this._state = 'FIN-WAIT-1';
      return this.processEstablishedAck(now, seg, snd.offsetOf(seq(seg.ack)));
    }
    if (ackOff > snd.nxt) {
      // Acknowledges something not yet sent: send an ACK, drop (RFC 9293; RFC 5961 §5.2).
      this.counters.badAckDrops++;
      if (this.oowLimiter.allow(now)) this.receiver.ackNow = true;
      return false;
    }
    if (this.config.rfc5961 && ackOff < snd.una - Math.max(snd.maxSndWnd, 1)) {
      // RFC 5961 §5.2: older than SND.UNA - MAX.SND.WND: challenge ACK, drop.
      this.counters.badAckDrops++;
      this.challengeAck(now);
      return false;
    }
    return this.processEstablishedAck(now, seg, ackOff);
  }

  private processEstablishedAck(now: number, seg: TcpSegment, ackOff: number): boolean {
    const snd = this.sender;
    const wnd = seg.window * 2 ** snd.wscale;
    const windowChanged = wnd !== snd.sndWnd;
    this.unansweredProbes = 0;
    snd.beginAck();
    const echo = this.timestampEcho(now, seg);
    if (ackOff > snd.una) {
      this.restartProbeTimer = true;
      const freed = snd.onNewAck(now, ackOff, echo);
      if (freed > 0) this.events |= TcpEvent.WRITABLE;
      // RFC 6298 §5.2/5.3: stop the timer when all is acknowledged, else restart it.
      if (snd.una >= snd.nxt) {
        this.timers.clear(TimerKind.RETRANSMIT);
        this.timers.clear(TimerKind.LOSS_PROBE);
      } else this.timers.set(TimerKind.RETRANSMIT, now + snd.rtt.rto);
      this.addSackBlocks(seg, now);
    } else if (ackOff === snd.una) {
      const newlySacked = this.addSackBlocks(seg, now);
      if (newlySacked > 0) {
        snd.noteSacked();
        this.restartProbeTimer = true;
      }
      const isDup =
        seg.payload.length === 0 &&
        !(seg.flags & (TcpFlags.SYN | TcpFlags.FIN)) &&
        snd.una < snd.nxt &&
        (snd.sack ? newlySacked > 0 : !windowChanged);
      if (isDup) snd.onDuplicateAck();
    }
    snd.detectLoss(now);
    if (snd.maybeEnterRecovery(now)) this.timers.set(TimerKind.RETRANSMIT, now + snd.rtt.rto);
    snd.endAck(now);
    this.updateSendWindow(seg, wnd);
    this.afterAck(now);
    return this._state !== 'CLOSED';
  }

  /** RFC 9293 §3.10.7.4: update SND.WND if (SND.WL1 < SEG.SEQ) or (SND.WL1 = SEG.SEQ and SND.WL2 =< SEG.ACK). */
  private updateSendWindow(seg: TcpSegment, wnd: number): void {
    const snd = this.sender;
    const s = seq(seg.seq);
    const a = seq(seg.ack);
    const d = seqSub(snd.wl1, s);
    if (d < 0 || (d === 0 && seqSub(snd.wl2, a) <= 0)) {
      snd.setWindow(wnd);
      snd.wl1 = s;
      snd.wl2 = a;
    }
  }

  /** State changes when our FIN is acknowledged (FIN-WAIT-1, CLOSING, LAST-ACK). */
  private afterAck(now: number): void {
    if (!this.sender.finAcked) return;
    this.sender.buffer.releaseIfEmpty();
    switch (this._state) {
      case 'FIN-WAIT-1':
        this._state = 'FIN-WAIT-2';
        if (this.config.finWait2Timeout > 0)
          this.timers.set(TimerKind.FIN_WAIT_2, now + this.config.finWait2Timeout);
        break;
      case 'CLOSING':
        this.enterTimeWait(now);
        break;
      case 'LAST-ACK':
        this.enterClosed(null);
        break;
    }
  }

  /** Convert and record SACK blocks (RFC 2018); returns newly SACKed bytes. */
  private addSackBlocks(seg: TcpSegment, now: number): number {
    const blocks = seg.options.sackBlocks;
    const snd = this.sender;
    if (!blocks || blocks.length === 0 || !snd.sack) return 0;
    let added = 0;
    for (let i = 0; i < blocks.length; i++) {
      const block = blocks[i];
      this.counters.sackBlocksIn++;
      const s = snd.offsetOf(seq(block[0]));
      const e = snd.offsetOf(seq(block[1]));
      if (e <= s) continue;
      if (i === 0 && this.isDsack(s, e, blocks)) {
        snd.onDsack(s, e);
        continue;
      }
      added += snd.sackBlock(s, e, now);
    }
    return added;
  }

  /** RFC 2883 §4: the first block is a D-SACK if it lies below the cumulative ACK or inside the second block. */
  private isDsack(s: number, e: number, blocks: Array<[number, number]>): boolean {
    const snd = this.sender;
    if (e <= snd.una) return true;
    if (blocks.length < 2) return false;
    const s2 = snd.offsetOf(seq(blocks[1][0]));
    const e2 = snd.offsetOf(seq(blocks[1][1]));
    return s >= s2 && e <= e2;
  }

  /** RFC 7323 §4.3: TS.Recent <- SEG.TSval when SEG.TSval >= TS.Recent and SEG.SEQ =< Last.ACK.sent. */
  private updateTsRecent(now: number, seg: TcpSegment): void {
    const ts = seg.options.timestamp;
    if (!this.tsEnabled || !ts) return;
    const lastAckSent = seqAdd(this.irs, this.lastAckSentOff);
    if (seqSub(seq(seg.seq), lastAckSent) <= 0 && !pawsRejects(ts.value, this.tsRecent)) {
      this.tsRecent = ts.value;
      this.tsRecentAt = now;
    }
  }

  /**
   * RFC 7323 §4.3 rule 2 for a segment that failed the acceptability test because it is old (a duplicate
   * whose ACK was lost, or a retransmitted SYN-ACK): if SEG.TSval >= TS.Recent and SEG.SEQ <= Last.ACK.sent,
   * TS.Recent <- SEG.TSval, so that the ACK we answer with echoes the retransmission and the sender's RTT
   * sample is not its retransmission timeout (§4.3 case C). Like Linux (tcp_sequence tests against rcv_wup),
   * only a segment reaching Last.ACK.sent qualifies: a blind old segment cannot move TS.Recent.
   */
  private updateTsRecentFromDuplicate(now: number, seg: TcpSegment): void {
    const ts = seg.options.timestamp;
    if (!this.tsEnabled || !ts || seg.flags & TcpFlags.RST) return;
    const lastAckSent = seqAdd(this.irs, this.lastAckSentOff);
    const start = seq(seg.seq);
    if (seqSub(start, lastAckSent) > 0) return;
    if (seqSub(seqAdd(start, segmentLength(seg)), lastAckSent) < 0) return;
    if (pawsRejects(ts.value, this.tsRecent)) return;
    this.tsRecent = ts.value;
    this.tsRecentAt = now;
  }

  /**
   * The time (ms, our clock) of the transmission whose timestamp an ACK echoes (RFC 7323 §4.1), or -1 when
   * there is none or it is implausible.
   */
  private timestampEcho(now: number, seg: TcpSegment): number {
    const ts = seg.options.timestamp;
    if (!this.tsEnabled || !ts || ts.echo === 0) return -1;
    const rtt = (this.tsNow(now) - ts.echo) | 0;
    return rtt >= 0 && rtt < 3_600_000 ? Math.floor(now) - rtt : -1;
  }

  /** The end of the highest data received (offset from the IRS), for counting retransmissions in. */
  private highestDataEnd = 0;

  private tsNow(now: number): number {
    return (Math.floor(now) + this.tsOffset) >>> 0;
  }

  /** Seventh and eighth steps: segment text and FIN. */
  private processText(now: number, seg: TcpSegment): void {
    const r = this.receiver;
    const hasSyn = (seg.flags & TcpFlags.SYN) !== 0;
    const seqOff = r.nxtOffset + seqSub(seq(seg.seq), this.rcvNxt());
    const dataStart = seqOff - 1 + (hasSyn ? 1 : 0);
    const before = r.deliveredEnd;
    const len = seg.payload.length;
    if (len > 0 && dataStart < this.highestDataEnd) this.counters.retransmissionsIn++;
    if (dataStart + len > this.highestDataEnd) this.highestDataEnd = dataStart + len;
    const res = r.onData(now, dataStart, seg.payload, (seg.flags & TcpFlags.FIN) !== 0);
    if (res & DataResult.DELIVERED) {
      this.counters.bytesDelivered += r.deliveredEnd - before;
      this.events |= TcpEvent.READABLE;
    }
    if (res & DataResult.OUT_OF_ORDER) {
      this.counters.oooSegments++;
      this.counters.dupAcksOut++;
    }
    if (res & DataResult.DUPLICATE) this.counters.duplicateSegments++;
    if (res & DataResult.TRIMMED) r.ackNow = true;
    if (res & DataResult.FIN) this.onRemoteFin(now);
  }

  /** Eighth step: the FIN (RFC 9293 §3.10.7.4). */
  private onRemoteFin(now: number): void {
    this.receiver.releaseIfDrained();
    this.events |= TcpEvent.REMOTE_FIN | TcpEvent.READABLE;
    switch (this._state) {
      case 'SYN-RECEIVED':
      case 'ESTABLISHED':
        this._state = 'CLOSE-WAIT';
        break;
      case 'FIN-WAIT-1':
        if (this.sender.finAcked) this.enterTimeWait(now);
        else this._state = 'CLOSING';
        break;
      case 'FIN-WAIT-2':
        this.enterTimeWait(now);
        break;
    }
  }

  private enterTimeWait(now: number): void {
    this._state = 'TIME-WAIT';
    this.timers.clearAll();
    this.timers.set(TimerKind.TIME_WAIT, now + this.config.timeWait);
    this.releaseBuffers();
  }

  /** Give buffer memory back once it can no longer be needed (1,000 lingering connections hold nothing). */
  private releaseBuffers(): void {
    if (this.sender.finAcked || this._state === 'CLOSED' || this._state === 'TIME-WAIT')
      this.sender.buffer.releaseIfEmpty();
    if (this.receiver.finReceived || this._state === 'CLOSED') this.receiver.releaseIfDrained();
  }

  private enterClosed(err: TcpError | null): void {
    if (this._state === 'CLOSED') return;
    this._state = 'CLOSED';
    this.timers.clearAll();
    this.receiver.ackNow = false;
    this.receiver.delayedAckDue = Number.POSITIVE_INFINITY;
    this.releaseBuffers();
    this.events |= TcpEvent.CLOSED;
    if (err) {
      this._error = err;
      if (err.code === 'reset' || err.code === 'refused') this.events |= TcpEvent.RESET;
      if (err.code === 'timeout' || err.code === 'keepalive-timeout') this.events |= TcpEvent.TIMEOUT;
    }
  }

  private fail(code: TcpErrorCode, message: string): void {
    this.enterClosed(new TcpError(code, message));
  }

  private queueRst(seqNum: number, ackNum: number, flags: number): void {
    this.rstPending = true;
    this.rstSeq = seqNum >>> 0;
    this.rstAck = ackNum >>> 0;
    this.rstFlags = flags;
    this.wantOutput = true;
  }

  /**
   * RCV.NXT (u32) while in-order data may simply be appended: a synchronized receiving state, no
   * FIN yet, no out-of-order data held (a segment filling a gap is ACKed at once, RFC 5681 §4.2).
   * Else -1. What a receive coalescer (SegmentCoalescer) extends.
   */
  get nextInOrderSeq(): number {
    if (this._state !== 'ESTABLISHED' && this._state !== 'FIN-WAIT-1' && this._state !== 'FIN-WAIT-2')
      return -1;
    if (this.receiver.finReceived || this.receiver.hasOutOfOrder) return -1;
    return this.rcvNxt();
  }

  private rcvNxt(): Seq {
    return seqAdd(this.irs, this.receiver.nxtOffset);
  }

  // ---------------------------------------------------------------- output (dispatch)

  poll(now: number, emit: (seg: TcpSegment) => void): void {
    this.lastNow = now;
    this.runTimers(now);
    if (this.rstPending) this.emitRst(emit);
    const s = this._state;
    if (s === 'SYN-SENT' || s === 'SYN-RECEIVED') {
      if (this.syn.pending) this.emitSyn(now, emit);
      else if (this.receiver.ackNow && s === 'SYN-RECEIVED') this.emitSyn(now, emit);
    } else if (SENDING_STATES.has(s)) {
      this.sendData(now, emit);
      if (this.probePending) this.emitProbe(now, emit);
    }
    if (s !== 'CLOSED' && s !== 'SYN-SENT' && s !== 'SYN-RECEIVED' && this.receiver.ackNow)
      this.emitAck(now, emit);
    this.probePending = false;
    this.tailProbePending = false;
    this.armTimers(now);
    this.wantOutput = false;
  }

  private runTimers(now: number): void {
    const t = this.timers;
    if (t.isDue(TimerKind.LOSS_PROBE, now)) {
      // RFC 8985 §7.2-7.3: the PTO stands in for the RTO when both are due (it was capped at the RTO);
      // the RTO restarts after the probe.
      t.clear(TimerKind.LOSS_PROBE);
      if (SENDING_STATES.has(this._state) && this.sender.tailProbeEligible) {
        this.tailProbePending = true;
        t.set(TimerKind.RETRANSMIT, now + this.sender.rtt.rto);
      }
    }
    if (t.isDue(TimerKind.RETRANSMIT, now)) {
      t.clear(TimerKind.RETRANSMIT);
      this.onRetransmitTimer(now);
    }
    if (t.isDue(TimerKind.DELAYED_ACK, now)) {
      t.clear(TimerKind.DELAYED_ACK);
      this.receiver.delayedAckDue = Number.POSITIVE_INFINITY;
      this.receiver.ackNow = true;
      this.receiver.pingpong = false;
    }
    if (t.isDue(TimerKind.PERSIST, now)) {
      t.clear(TimerKind.PERSIST);
      this.onPersistTimer();
    }
    if (t.isDue(TimerKind.KEEPALIVE, now)) {
      t.clear(TimerKind.KEEPALIVE);
      this.onKeepaliveTimer(now);
    }
    if (t.isDue(TimerKind.TIME_WAIT, now) || t.isDue(TimerKind.FIN_WAIT_2, now)) this.enterClosed(null);
  }

  private onRetransmitTimer(now: number): void {
    const s = this._state;
    if (s === 'SYN-SENT' || s === 'SYN-RECEIVED') {
      if (!this.syn.onTimeout()) {
        this.fail('timeout', s === 'SYN-SENT' ? 'connection timed out (no SYN-ACK)' : 'handshake timed out');
        return;
      }
      this.counters.synRetransmits++;
      this.counters.retransmits++;
      this.sender.rtt.backOff();
      return;
    }
    if (!SENDING_STATES.has(s) || this.sender.una >= this.sender.nxt) return;
    if (!this.sender.onRetransmitTimeout(now))
      this.fail('timeout', 'connection timed out (retransmissions exhausted)');
  }

  /** Persist timer (RFC 9293 §3.8.6.1, RFC 1122 §4.2.2.17): probe the zero window, with backoff. */
  private onPersistTimer(): void {
    if (!this.sender.needsPersist) return;
    this.unansweredProbes++;
    if (this.unansweredProbes > this.config.maxRetries) {
      this.fail('timeout', 'connection timed out (zero window probes unanswered)');
      return;
    }
    this.persistBackoff++;
    this.probePending = true;
  }

  /** Keepalive (RFC 1122 §4.2.3.6): after keepaliveIdle without receiving anything, probe; give up after N. */
  private onKeepaliveTimer(now: number): void {
    const c = this.config;
    if (!c.keepalive || !this.keepaliveState()) return;
    const idle = now - this.lastRecvAt;
    if (idle < c.keepaliveIdle) return; // re-armed in armTimers
    if (this.sender.una !== this.sender.nxt || this.sender.hasUnsent) return; // data in flight: RTO covers it
    if (this.keepalivesSent >= c.keepaliveProbes) {
      this.fail('keepalive-timeout', 'connection timed out (keepalive probes unanswered)');
      return;
    }
    this.keepalivesSent++;
    this.counters.keepaliveProbes++;
    this.probePending = true;
  }

  private keepaliveState(): boolean {
    const s = this._state;
    return s === 'ESTABLISHED' || s === 'CLOSE-WAIT' || s === 'FIN-WAIT-2';
  }

  private armTimers(now: number): void {
    const t = this.timers;
    const s = this._state;
    const snd = this.sender;
    if (s === 'CLOSED' || s === 'TIME-WAIT') return;
    if (s === 'SYN-SENT' || s === 'SYN-RECEIVED') return; // armed when the SYN goes out
    // RFC 6298 §5.1: running whenever data is outstanding.
    if (snd.una < snd.nxt) {
      if (!t.isRunning(TimerKind.RETRANSMIT)) t.set(TimerKind.RETRANSMIT, now + snd.rtt.rto);
    } else t.clear(TimerKind.RETRANSMIT);
    this.armProbeTimer(now);
    if (snd.needsPersist) {
      if (!t.isRunning(TimerKind.PERSIST)) {
        const timeout = Math.min(snd.rtt.rto * 2 ** this.persistBackoff, this.config.maxRto);
        t.set(TimerKind.PERSIST, now + timeout);
      }
    } else {
      t.clear(TimerKind.PERSIST);
      if (snd.blocked !== Blocked.WINDOW) this.persistBackoff = 0;
    }
    const r = this.receiver;
    if (r.delayedAckDue !== Number.POSITIVE_INFINITY) t.set(TimerKind.DELAYED_ACK, r.delayedAckDue);
    else t.clear(TimerKind.DELAYED_ACK);
    if (this.config.keepalive && this.keepaliveState()) {
      if (!t.isRunning(TimerKind.KEEPALIVE)) {
        const at =
          this.keepalivesSent > 0 && now - this.lastRecvAt >= this.config.keepaliveIdle
            ? now + this.config.keepaliveInterval
            : Math.max(now, this.lastRecvAt + this.config.keepaliveIdle);
        t.set(TimerKind.KEEPALIVE, at);
      }
    } else t.clear(TimerKind.KEEPALIVE);
  }

  /** RFC 8985 §7.2: (re)start the PTO after new data went out or an ACK arrived, when eligible. */
  private armProbeTimer(now: number): void {
    const t = this.timers;
    const snd = this.sender;
    if (!snd.tailProbeEligible) t.clear(TimerKind.LOSS_PROBE);
    else if (this.restartProbeTimer) {
      const rtoLeft = t.expiresAt(TimerKind.RETRANSMIT) - now;
      const pto = probeTimeout(
        snd.rtt.srtt,
        snd.rtt.hasMeasurement,
        snd.oneSegmentInFlight,
        this.config.delayedAckMax,
        rtoLeft,
      );
      t.set(TimerKind.LOSS_PROBE, now + pto);
    }
    this.restartProbeTimer = false;
  }

  /** RFC 8985 §7.3: send the probe, then restart the RTO. */
  private sendTailProbe(now: number, emit: (seg: TcpSegment) => void): void {
    this.tailProbePending = false;
    const snd = this.sender;
    const plan = this.plan;
    if (!snd.tailProbeEligible || !snd.tailProbePlan(plan)) return;
    this.emitData(now, plan, emit);
    snd.onSent(now, plan);
    snd.onTailProbeSent(plan);
    this.timers.set(TimerKind.RETRANSMIT, now + snd.rtt.rto);
  }

  private sendData(now: number, emit: (seg: TcpSegment) => void): void {
    const snd = this.sender;
    if (snd.una === snd.nxt && snd.hasUnsent) snd.maybeRestartAfterIdle(now);
    const plan = this.plan;
    snd.optionSpace = snd.sack
      ? sackOptionSpace(this.writer.countSackBlocks(this.receiver, maxSackBlocks(this.tsEnabled)))
      : 0;
    let guard = 0;
    while (snd.next(plan)) {
      this.emitData(now, plan, emit);
      snd.onSent(now, plan);
      if (!plan.retransmit) this.restartProbeTimer = true;
      if (!this.timers.isRunning(TimerKind.RETRANSMIT))
        this.timers.set(TimerKind.RETRANSMIT, now + snd.rtt.rto);
      if (++guard > 100_000) break;
    }
    if (this.tailProbePending) this.sendTailProbe(now, emit);
    if (this.probePending && snd.forcedWindowPlan(plan)) {
      // RFC 9293 §3.8.6.2.1: the override timeout sends what the window allows.
      this.emitData(now, plan, emit);
      snd.onSent(now, plan);
      this.probePending = false;
      this.counters.zeroWindowProbes++;
    }
    if (guard > 0) this.receiverSentData(now);
  }

  /** Linux "pingpong": data sent soon after data arrived means an interactive flow; stop quick ACKs. */
  private receiverSentData(now: number): void {
    const r = this.receiver;
    if (now - r.lastDataTime < r.ato) r.pingpong = true;
  }

  // ---------------------------------------------------------------- segment construction

  /** Fill the shared output segment; options per RFC 7323 (timestamps on every segment) and RFC 2018. */
  private prepare(now: number, seqNum: number, flags: number, payload: Uint8Array): TcpSegment {
    const w = this.writer;
    const withAck = (flags & TcpFlags.ACK) !== 0;
    const seg = w.begin(seqNum, withAck ? this.rcvNxt() : 0, flags, payload);
    if (this.tsEnabled) w.timestamp(this.tsNow(now), withAck ? this.tsRecent : 0);
    if (withAck && this.sender.sack)
      w.sackBlocks(this.receiver, seqAdd(this.irs, 1), maxSackBlocks(this.tsEnabled));
    seg.window = flags & TcpFlags.SYN ? this.receiver.synWindowField() : this.receiver.windowField();
    return seg;
  }

  private afterEmit(seg: TcpSegment, emit: (seg: TcpSegment) => void): void {
    const withAck = (seg.flags & TcpFlags.ACK) !== 0;
    this.counters.segmentsOut++;
    emit(seg);
    if (withAck) {
      this.lastAckSentOff = this.receiver.nxtOffset;
      if (this.receiver.windowUpdatePending) {
        this.counters.windowUpdates++;
        this.receiver.windowUpdatePending = false;
      }
      this.receiver.onAckSent();
      this.timers.clear(TimerKind.DELAYED_ACK);
    }
  }

  private emitSyn(now: number, emit: (seg: TcpSegment) => void): void {
    const isSynAck = this._state === 'SYN-RECEIVED';
    const flags = isSynAck ? TcpFlags.SYN | TcpFlags.ACK : TcpFlags.SYN;
    const seg = this.prepare(now, this.sender.seqOf(0), flags, EMPTY_PAYLOAD);
    const o = this.writer.options;
    o.sackBlocks = undefined;
    if (isSynAck) {
      fillSynAckOptions(this.config, this.ourMss, this.peerSyn, o);
      if (this.tsEnabled) this.writer.timestamp(this.tsNow(now), this.tsRecent);
    } else {
      fillSynOptions(this.config, this.ourMss, o);
      if (this.config.timestamps) this.writer.timestamp(this.tsNow(now), 0);
    }
    this.syn.onSent(now);
    if (this.sender.nxt < 1) {
      this.sender.nxt = 1;
      this.sender.max = 1;
    }
    this.afterEmit(seg, emit);
    this.timers.set(TimerKind.RETRANSMIT, now + this.sender.rtt.rto);
  }

  private emitData(now: number, plan: SegmentPlan, emit: (seg: TcpSegment) => void): void {
    const snd = this.sender;
    let flags = TcpFlags.ACK;
    if (plan.fin) flags |= TcpFlags.FIN;
    // PSH on the segment that empties the send queue (RFC 9293 §3.9.1, as Linux does).
    if (plan.len > 0 && plan.off + plan.len === snd.dataEnd) flags |= TcpFlags.PSH;
    const payload = plan.len > 0 ? snd.payload(plan.off, plan.len) : EMPTY_PAYLOAD;
    const seg = this.prepare(now, snd.seqOf(plan.off), flags, payload);
    // More than one segment's worth (segmentation offload): the device cuts it at the MSS.
    const mss = snd.segmentSize;
    seg.gsoSize = plan.len > mss ? mss : 0;
    this.afterEmit(seg, emit);
  }

  private emitAck(now: number, emit: (seg: TcpSegment) => void): void {
    const seg = this.prepare(now, this.sender.seqOf(this.sender.nxt), TcpFlags.ACK, EMPTY_PAYLOAD);
    this.afterEmit(seg, emit);
  }

  /** Zero-window probe or keepalive: <SEQ=SND.UNA-1><ACK=RCV.NXT>, no data (Linux tcp_xmit_probe_skb). */
  private emitProbe(now: number, emit: (seg: TcpSegment) => void): void {
    const snd = this.sender;
    if (snd.needsPersist) this.counters.zeroWindowProbes++;
    const seg = this.prepare(now, snd.seqOf(snd.una - 1), TcpFlags.ACK, EMPTY_PAYLOAD);
    this.afterEmit(seg, emit);
  }

  private emitRst(emit: (seg: TcpSegment) => void): void {
    this.rstPending = false;
    const seg = this.writer.begin(this.rstSeq, this.rstAck, this.rstFlags, EMPTY_PAYLOAD);
    this.counters.segmentsOut++;
    emit(seg);
  }
}

export { TcpError };
