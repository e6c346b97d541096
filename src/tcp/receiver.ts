// The receiving half (RFC 9293 §3.10.7.4 seventh/eighth steps, §3.8.6.2.2): in-order delivery into a
// ring, out-of-order reassembly in place, the advertised window with silly-window avoidance, the
// ACK policy (delayed ACK, quick ACKs, immediate duplicate ACKs, RFC 5681 §4.2) and SACK blocks
// (RFC 2018 §4, D-SACK RFC 2883).
//
// Offsets here are absolute *data* offsets: byte d of the stream has sequence number IRS + 1 + d.

import type { TcpConfig } from './config.js';
import { RangeSet } from './reassembly.js';
import { ByteRing } from './ring-buffer.js';

export const DataResult = {
  NONE: 0,
  /** New in-order bytes became readable. */
  DELIVERED: 1,
  /** The segment landed above RCV.NXT (a gap). */
  OUT_OF_ORDER: 2,
  /** Entirely old data (below RCV.NXT). */
  DUPLICATE: 4,
  /** The FIN was reached in order. */
  FIN: 8,
  /** Part of the data fell outside the window and was dropped. */
  TRIMMED: 16,
} as const;

const MAX_REMEMBERED_SACKS = 4;
/** In-order bytes a batched ACK may cover before it goes at once (four 64 KB GSO super-frames). */
const MAX_BATCHED_ACK_BYTES = 4 * 65536;
const EMPTY = new Uint8Array(0);

export class Receiver {
  readonly maxBuffer: number;
  private readonly ring: ByteRing;
  private readonly ooo: RangeSet;
  /** Data offset of the ring head: what the application has read. */
  readOff = 0;
  /** Data offset one past the last in-order byte (RCV.NXT without SYN/FIN). */
  deliveredEnd = 0;
  /** The advertised right edge (data offset); never moves left (RFC 9293 §3.8.6.2.2, RFC 7323 §2.4). */
  advertisedRight = 0;
  /** Data offset of a FIN received out of order, or -1. */
  private pendingFin = -1;
  finReceived = false;
  wscale = 0;

  // ACK policy state.
  private ackDueNow = false;
  /**
   * The ACK that is due may wait for the end of the receive batch: it only acknowledges in-order
   * data (every second full segment, quick-ACK mode). A batch of in-order segments then gets one
   * ACK, as Linux ACKs each GRO super-skb once and gVisor each batch. Any other reason to ACK
   * (out-of-order data, a gap filled, a duplicate, a FIN, a window update) is urgent: it goes at
   * once, so every out-of-order segment still gets its duplicate ACK (RFC 5681 §4.2).
   */
  ackBatchable = false;

  /** An ACK is due now. Setting it true makes the ACK urgent (see ackBatchable). */
  get ackNow(): boolean {
    return this.ackDueNow;
  }

  set ackNow(due: boolean) {
    this.ackDueNow = due;
    this.ackBatchable = false;
  }

  /** Due, but it may wait for the end of the batch, unless something urgent is due already. */
  private ackByBatchEnd(): void {
    if (this.ackDueNow) return;
    this.ackDueNow = true;
    this.ackBatchable = true;
  }

  delayedAckDue = Number.POSITIVE_INFINITY;
  private unackedSegments = 0;
  /** deliveredEnd when the last ACK went out (Linux rcv_wup). */
  private lastAckedData = 0;
  quickAcks: number;
  pingpong = false;
  ato: number;
  lastDataTime = Number.NEGATIVE_INFINITY;
  /** Largest segment seen: the peer's likely MSS (Linux rcv_mss). */
  rcvMss: number;

  // SACK state.
  private readonly recent: number[] = [];
  private dsackStart = -1;
  private dsackEnd = -1;

  constructor(
    private readonly cfg: TcpConfig,
    ourMss: number,
  ) {
    this.maxBuffer = cfg.receiveBufferSize;
    this.ring = new ByteRing(cfg.receiveBufferSize + (1 << 14) + 65536);
    this.ooo = new RangeSet(cfg.maxOooSegments);
    this.quickAcks = cfg.quickAcks;
    this.ato = cfg.delayedAckMin;
    this.rcvMss = Math.max(88, Math.min(ourMss, 536));
  }

  get readable(): number {
    return this.deliveredEnd - this.readOff;
  }

  get oooBytes(): number {
    return this.ooo.bytes();
  }

  get oooRanges(): number {
    return this.ooo.count;
  }

  get allocated(): number {
    return this.ring.capacity;
  }

  get hasOutOfOrder(): boolean {
    return !this.ooo.isEmpty;
  }

  /** Window we currently offer from RCV.NXT, in bytes (what the acceptability test uses). */
  get window(): number {
    return Math.max(0, this.advertisedRight - this.deliveredEnd);
  }

  /** Sequence offset of RCV.NXT from the IRS (SYN counts 1, FIN counts 1). */
  get nxtOffset(): number {
    return this.deliveredEnd + 1 + (this.finReceived ? 1 : 0);
  }

  /** Accept the segment text starting at data offset `start` (RFC 9293 §3.10.7.4 seventh step). */
  onData(now: number, start: number, payload: Uint8Array, fin: boolean): number {
    let end = start + payload.length;
    let result: number = DataResult.NONE;
    if (payload.length > 0) this.noteArrival(now, payload.length);
    if (this.finReceived) return end <= this.deliveredEnd ? DataResult.DUPLICATE : DataResult.NONE;
    // Old bytes: report them as a D-SACK (RFC 2883 §4) and ACK at once (RFC 9293 §3.10.7.4 first step).
    if (start < this.deliveredEnd && payload.length > 0) {
      this.setDsack(start, Math.min(end, this.deliveredEnd));
      this.ackNow = true;
    }
    if (end <= this.deliveredEnd && !(fin && end === this.deliveredEnd)) {
      return payload.length > 0 ? DataResult.DUPLICATE : DataResult.NONE;
    }
    let skip = Math.max(0, this.deliveredEnd - start);
    // Trim to the window we advertised (and the ring's room).
    const right = Math.min(this.advertisedRight, this.readOff + this.ring.maxCapacity);
    if (end > right) {
      end = Math.max(right, start + skip);
      fin = false;
      result |= DataResult.TRIMMED;
    }
    const from = start + skip;
    if (end > from) {
      if (from === this.deliveredEnd) result |= this.deliverInOrder(now, payload, skip, from, end);
      else result |= this.storeOutOfOrder(payload, start, from, end);
    }
    skip = 0;
    if (fin) this.pendingFin = end; // FIN sequence number = SEG.SEQ + data length
    if (this.pendingFin >= 0 && this.pendingFin === this.deliveredEnd) {
      this.finReceived = true;
      this.pendingFin = -1;
      this.ackNow = true; // ACK a FIN at once
      result |= DataResult.FIN;
    }
    return result;
  }

  private deliverInOrder(now: number, payload: Uint8Array, skip: number, from: number, end: number): number {
    const hadGap = !this.ooo.isEmpty;
    if (!hadGap) {
      const taken = this.readDirect(payload, skip, end - from);
      if (from + taken < end) this.writeRing(payload, skip + taken, from + taken, end);
    } else {
      // Bytes already held out of order win over the new copy (first received is kept).
      this.piecePayload = payload;
      this.pieceStart = from - skip;
      this.ooo.forEachGap(from, end, this.writePiece);
      this.piecePayload = EMPTY;
    }
    this.deliveredEnd = end;
    if (hadGap) {
      // Pull in reassembled data that is now contiguous.
      if (this.ooo.start(0) <= this.deliveredEnd) {
        this.deliveredEnd = Math.max(this.deliveredEnd, this.ooo.end(0));
        // RFC 5681 §4.2: ACK at once when a segment fills in all or part of a gap.
        this.ackNow = true;
      }
      this.ooo.removeBelow(this.deliveredEnd);
      this.pruneRecent();
    }
    this.scheduleAck(now);
    return DataResult.DELIVERED;
  }

  /**
   * A consumer of in-order bytes that arrive while nothing is buffered: it takes them straight from
   * the segment (the device's buffer), so they never pass through the ring. This is receive-side
   * zero copy, as Linux's tcp_data_queue once copied straight into a waiting reader's iovec
   * (tp->ucopy, before 4.14). It must be done with the view when it returns, and returns how many
   * bytes it took; the rest is buffered as usual. The owner (the socket layer) sets it; null:
   * everything is buffered.
   */
  directReader: ((view: Uint8Array) => number) | null = null;

  private readDirect(payload: Uint8Array, skip: number, length: number): number {
    const reader = this.directReader;
    if (reader === null || this.readable !== 0) return 0;
    const view = skip === 0 && length === payload.length ? payload : payload.subarray(skip, skip + length);
    const taken = Math.max(0, Math.min(length, reader(view)));
    this.readOff += taken; // read at once: the ring stays empty, its head where the next byte goes
    return taken;
  }

  private storeOutOfOrder(payload: Uint8Array, start: number, from: number, end: number): number {
    this.piecePayload = payload;
    this.pieceStart = start;
    const added = this.ooo.add(from, end, this.writePiece);
    this.piecePayload = EMPTY;
    if (!added) return DataResult.TRIMMED; // too many ranges: drop, the peer will retransmit
    this.rememberSack(from);
    // RFC 5681 §4.2: an out-of-order segment SHOULD be ACKed at once (the duplicate ACK); Linux also
    // enters quick-ACK mode on reordering.
    this.ackNow = true;
    this.quickAcks = Math.max(this.quickAcks, this.cfg.quickAcks);
    this.pingpong = false;
    return DataResult.OUT_OF_ORDER;
  }

  // The segment being copied piecewise (only the parts not already held); bound once, no closure per segment.
  private piecePayload: Uint8Array = EMPTY;
  private pieceStart = 0;
  private readonly writePiece = (s: number, e: number): void => {
    this.writeRing(this.piecePayload, s - this.pieceStart, s, e);
  };

  private writeRing(payload: Uint8Array, payloadOff: number, from: number, end: number): void {
    const highest = Math.max(this.deliveredEnd, this.ooo.isEmpty ? 0 : this.ooo.highest());
    this.ring.ensure(end - this.readOff, highest - this.readOff);
    this.ring.writeAt(from - this.readOff, payload, payloadOff, end - from);
  }

  /** Delayed ACK timer value (Linux's ATO estimate, RFC 1122 §4.2.3.2: bounded by delayedAckMax). */
  private noteArrival(now: number, len: number): void {
    if (len > this.rcvMss) this.rcvMss = Math.min(len, 65535);
    const m = now - this.lastDataTime;
    const min = this.cfg.delayedAckMin;
    if (m <= min / 2) this.ato = this.ato / 2 + min / 2;
    else if (m < this.ato) this.ato = this.ato / 2 + m;
    this.ato = Math.min(Math.max(this.ato, min), this.cfg.delayedAckMax);
    this.lastDataTime = now;
  }

  /** RFC 1122 §4.2.3.2 / RFC 5681 §4.2: ACK at least every second full-size segment, else delay. */
  private scheduleAck(now: number): void {
    this.unackedSegments++;
    if (!this.cfg.delayedAck) {
      this.ackNow = true;
      return;
    }
    // Linux __tcp_ack_snd_check: more than one full frame unacknowledged -> ACK now (by the end of
    // the receive batch).
    const unacked = this.deliveredEnd - this.lastAckedData;
    // A long batch must not starve the sender of ACKs for so long that its probe timer fires
    // (RFC 8985 §7.2: PTO about 2 SRTT, 2 ms on a fast path): past this much, ACK at once.
    if (unacked >= MAX_BATCHED_ACK_BYTES) this.ackNow = true;
    else if (unacked > this.rcvMss) this.ackByBatchEnd();
    else if (this.quickAcks > 0 && !this.pingpong) this.ackByBatchEnd();
    else if (this.delayedAckDue === Number.POSITIVE_INFINITY) this.delayedAckDue = now + this.ato;
  }

  /** An ACK for the current RCV.NXT went out. */
  onAckSent(): void {
    if (this.quickAcks > 0) this.quickAcks = Math.max(0, this.quickAcks - Math.max(1, this.unackedSegments));
    this.unackedSegments = 0;
    this.lastAckedData = this.deliveredEnd;
    this.ackNow = false;
    this.delayedAckDue = Number.POSITIVE_INFINITY;
    this.dsackStart = -1;
  }

  get ackPending(): boolean {
    return this.ackNow || this.delayedAckDue !== Number.POSITIVE_INFINITY;
  }

  /**
   * The 16-bit window field to send now (RFC 7323 §2.3 scaled), moving the right edge only in steps of at
   * least min(buffer/2, MSS) (receiver SWS avoidance, RFC 9293 §3.8.6.2.2) and never to the left.
   */
  windowField(): number {
    const limit = this.deliveredEnd + 65535 * 2 ** this.wscale;
    const desired = Math.min(this.readOff + this.maxBuffer, limit);
    const step = Math.min(this.maxBuffer / 2, this.rcvMss);
    // The test is on the buffer space (RCV.BUFF - RCV.USER - RCV.WND), not on the 16-bit field limit.
    const right =
      this.readOff + this.maxBuffer - this.advertisedRight >= step ? desired : this.advertisedRight;
    // Rounding down to the scale can make the edge the peer sees move left by less than 2^S (an artefact of
    // scaling; Linux rounds the same way). What we accept (advertisedRight) never moves left, and rounding
    // down never lets the offered window creep past the buffer.
    const field = Math.min(65535, Math.max(0, Math.floor((right - this.deliveredEnd) / 2 ** this.wscale)));
    const edge = this.deliveredEnd + field * 2 ** this.wscale;
    if (edge > this.advertisedRight) this.advertisedRight = edge;
    return field;
  }

  /** Window field for a SYN or SYN-ACK: never scaled (RFC 7323 §2.2). */
  synWindowField(): number {
    const field = Math.min(65535, this.maxBuffer);
    if (field > this.advertisedRight) this.advertisedRight = field;
    return field;
  }

  /** Copy in-order data out; returns bytes copied. */
  read(into: Uint8Array): number {
    const n = Math.min(into.length, this.readable);
    if (n === 0) return 0;
    this.ring.readAt(0, into, 0, n);
    this.ring.advance(n);
    this.readOff += n;
    this.maybeWindowUpdate();
    if (this.finReceived) this.releaseIfDrained();
    return n;
  }

  /**
   * A view of the next in-order bytes (at most `max`, fewer where the ring wraps), without copying:
   * valid until the next discard() or onData(). Read it, then discard() what was used.
   */
  peek(max: number): Uint8Array {
    return this.ring.viewUpToWrap(0, Math.min(max, this.readable));
  }

  /** Drop in-order data without copying it (for sinks). */
  discard(n: number): number {
    n = Math.min(n, this.readable);
    if (n === 0) return 0;
    this.ring.advance(n);
    this.readOff += n;
    this.maybeWindowUpdate();
    if (this.finReceived) this.releaseIfDrained();
    return n;
  }

  /**
   * Free the receive ring when nothing in it is still needed: everything read and no out-of-order data.
   * Done once no more data can arrive (FIN received, connection closed), so that connections lingering in
   * TIME-WAIT or CLOSE-WAIT hold no buffer; a ring freed early would just be allocated again.
   */
  releaseIfDrained(): void {
    if (this.readable === 0 && this.ooo.isEmpty) this.ring.release();
  }

  /**
   * Window update after the application reads (Linux __tcp_cleanup_rbuf; RFC 9293 §3.8.6.2.2): when the
   * window now offered is at most half the buffer and reading would at least double it.
   */
  private maybeWindowUpdate(): void {
    if (this.finReceived) return;
    const current = this.window;
    const possible =
      Math.min(this.readOff + this.maxBuffer, this.deliveredEnd + 65535 * 2 ** this.wscale) -
      this.deliveredEnd;
    if (
      2 * current <= this.maxBuffer &&
      possible >= 2 * current &&
      possible - current >= Math.min(this.rcvMss, this.maxBuffer / 2)
    ) {
      this.ackNow = true;
      this.windowUpdatePending = true;
    }
  }

  windowUpdatePending = false;

  // ---- SACK blocks (RFC 2018 §4) ----

  private rememberSack(at: number): void {
    // Move `at` to the front (most recent first), dropping the oldest beyond the bound; in place,
    // since this runs per out-of-order segment (splice/unshift would allocate).
    const r = this.recent;
    let from = r.indexOf(at);
    if (from < 0) {
      if (r.length < MAX_REMEMBERED_SACKS * 2) r.push(at);
      from = r.length - 1;
    }
    for (let i = from; i > 0; i--) r[i] = r[i - 1];
    r[0] = at;
  }

  private pruneRecent(): void {
    const r = this.recent;
    let w = 0;
    for (let i = 0; i < r.length; i++) if (r[i] >= this.deliveredEnd) r[w++] = r[i];
    r.length = w;
  }

  /** Old bytes [s, e) arrived again (a segment that failed the acceptability test): D-SACK and ACK now. */
  noteDuplicate(s: number, e: number): void {
    if (e > s) this.setDsack(s, e);
    this.ackNow = true;
  }

  private setDsack(s: number, e: number): void {
    this.dsackStart = s;
    this.dsackEnd = e;
    this.quickAcks = Math.max(this.quickAcks, 1);
  }

  /**
   * Fill `out` with up to `max` SACK blocks as data offsets: the D-SACK block first if any (RFC 2883),
   * then the block holding the most recent out-of-order arrival, then the others most recent first
   * (RFC 2018 §4). Returns the count.
   */
  sackBlocks(out: Array<[number, number]>, max: number): number {
    let n = 0;
    if (this.dsackStart >= 0 && n < max) {
      out[n][0] = this.dsackStart;
      out[n][1] = this.dsackEnd;
      n++;
    }
    const firstOoo = n;
    for (let i = 0; i < this.recent.length && n < max; i++) {
      const idx = this.ooo.find(this.recent[i]);
      if (idx < 0) continue;
      const s = this.ooo.start(idx);
      let dup = false;
      for (let j = firstOoo; j < n; j++) if (out[j][0] === s) dup = true;
      if (dup) continue;
      out[n][0] = s;
      out[n][1] = this.ooo.end(idx);
      n++;
    }
    // Ranges never reported as recent (after pruning) still deserve reporting, highest first.
    for (let idx = this.ooo.count - 1; idx >= 0 && n < max; idx--) {
      const s = this.ooo.start(idx);
      let dup = false;
      for (let j = firstOoo; j < n; j++) if (out[j][0] === s) dup = true;
      if (dup) continue;
      out[n][0] = s;
      out[n][1] = this.ooo.end(idx);
      n++;
    }
    return n;
  }

  /** Start and end offset of the i-th out-of-order range (0 <= i < oooRanges), without allocating. */
  oooStart(i: number): number {
    return this.ooo.start(i);
  }

  oooEnd(i: number): number {
    return this.ooo.end(i);
  }

  /** A copy of the out-of-order ranges, for diagnostics (allocates). */
  oooRangesArray(): Array<[number, number]> {
    return this.ooo.toArray();
  }
}
