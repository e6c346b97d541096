// One direction of a FaultInjector: the pipeline every frame goes through, in this order:
// blackout -> random loss -> Gilbert-Elliott burst loss -> corruption -> duplication ->
// rate limit (token bucket) -> delay and jitter -> reordering (hold back) -> sink.
// Frames that need no waiting pass straight through without a copy.

import type { Clock, TimerId } from './clock.js';
import type { RxInfo } from './device.js';
import type { DirectionImpairment } from './impair-spec.js';
import type { Prng } from './prng.js';
import { TokenBucket } from './token-bucket.js';

export interface ImpairmentStats {
  /** Frames offered to this direction. */
  seen: number;
  /** Frames handed on (duplicates included). */
  passed: number;
  /** All drops: lost + burstLost + blackedOut + rateDropped. */
  dropped: number;
  lost: number;
  burstLost: number;
  blackedOut: number;
  rateDropped: number;
  /** Frames that waited (delay, jitter or rate limit) before being handed on. */
  delayed: number;
  /** Held-back frames that later frames overtook. */
  reordered: number;
  duplicated: number;
  corrupted: number;
}

export function emptyImpairmentStats(): ImpairmentStats {
  return {
    seen: 0,
    passed: 0,
    dropped: 0,
    lost: 0,
    burstLost: 0,
    blackedOut: 0,
    rateDropped: 0,
    delayed: 0,
    reordered: 0,
    duplicated: 0,
    corrupted: 0,
  };
}

export type PathSink = (frame: Uint8Array, info: RxInfo) => void;

interface Pending {
  frame: Uint8Array;
  at: number;
  checksumNotReady: boolean;
  checksumValid: boolean;
}

interface Held extends Pending {
  /** Later frames still to overtake it before it is released. */
  remaining: number;
  overtaken: boolean;
}

const MAX_HELD = 64;
const DEFAULT_REORDER_HOLD_MS = 100;
const DEFAULT_RATE_QUEUE_MS = 100;

export class ImpairedPath {
  readonly stats = emptyImpairmentStats();
  private readonly startedAt: number;
  private readonly bucket: TokenBucket | null;
  private badState = false;
  private readonly queue: Pending[] = [];
  private queueHead = 0;
  private lastScheduled = Number.NEGATIVE_INFINITY;
  private queueTimer: TimerId = 0;
  private readonly held: Held[] = [];
  private holdTimer: TimerId = 0;
  private closed = false;
  private readonly rxInfo: RxInfo = { timestamp: 0, checksumNotReady: false, checksumValid: false };

  constructor(
    private readonly clock: Clock,
    private readonly cfg: DirectionImpairment,
    private readonly prng: Prng,
    private readonly sink: PathSink,
    /** Called after frames were handed on from a timer (lets a batched device flush). */
    private readonly afterTimer: () => void = () => {},
    /** Bytes at the start of a frame that corruption leaves alone (the link header). */
    private readonly protectedPrefix = 0,
  ) {
    this.startedAt = clock.now();
    this.bucket =
      cfg.rate !== undefined
        ? new TokenBucket(
            cfg.rate,
            cfg.rateBurst ?? TokenBucket.defaultBurst(cfg.rate),
            cfg.rateQueue ?? DEFAULT_RATE_QUEUE_MS,
          )
        : null;
  }

  /** Offer a frame. It is only read during the call; a frame that must wait is copied. */
  push(frame: Uint8Array, info: RxInfo): void {
    if (this.closed) return;
    const stats = this.stats;
    stats.seen++;
    const now = this.clock.now();
    if (this.inBlackout(now)) {
      stats.dropped++;
      stats.blackedOut++;
      return;
    }
    if (this.prng.chance(this.cfg.loss ?? 0)) {
      stats.dropped++;
      stats.lost++;
      return;
    }
    if (this.cfg.burst !== undefined && this.burstLoses()) {
      stats.dropped++;
      stats.burstLost++;
      return;
    }
    let out = frame;
    if (this.prng.chance(this.cfg.corrupt ?? 0)) {
      out = this.flipOneBit(frame);
      stats.corrupted++;
    }
    const copies = this.prng.chance(this.cfg.duplicate ?? 0) ? 2 : 1;
    if (copies === 2) stats.duplicated++;
    for (let i = 0; i < copies; i++) this.schedule(out, info, now, out !== frame);
  }

  close(): void {
    this.closed = true;
    if (this.queueTimer !== 0) this.clock.clearTimer(this.queueTimer);
    if (this.holdTimer !== 0) this.clock.clearTimer(this.holdTimer);
    this.queueTimer = 0;
    this.holdTimer = 0;
    this.queue.length = 0;
    this.held.length = 0;
  }

  private inBlackout(now: number): boolean {
    const blackouts = this.cfg.blackouts;
    if (blackouts === undefined) return false;
    const t = now - this.startedAt;
    for (const b of blackouts) if (t >= b.start && t < b.start + b.duration) return true;
    return false;
  }

  /** Gilbert-Elliott: move between the good and bad state, then lose with that state's rate. */
  private burstLoses(): boolean {
    const ge = this.cfg.burst;
    if (ge === undefined) return false;
    if (this.badState) {
      if (this.prng.chance(ge.r)) this.badState = false;
    } else if (this.prng.chance(ge.p)) {
      this.badState = true;
    }
    return this.prng.chance(this.badState ? ge.lossBad : ge.lossGood);
  }

  private flipOneBit(frame: Uint8Array): Uint8Array {
    const copy = frame.slice();
    const from = copy.length > this.protectedPrefix ? this.protectedPrefix : 0;
    const bit = this.prng.below((copy.length - from) * 8);
    copy[from + (bit >> 3)] ^= 1 << (bit & 7);
    return copy;
  }

  private schedule(frame: Uint8Array, info: RxInfo, now: number, owned: boolean): void {
    let at = now;
    if (this.bucket !== null) {
      at = this.bucket.schedule(now, frame.length);
      if (at < 0) {
        this.stats.dropped++;
        this.stats.rateDropped++;
        return;
      }
    }
    const jitter = this.cfg.jitter ?? 0;
    const delay = (this.cfg.delay ?? 0) + (jitter > 0 ? (this.prng.next() * 2 - 1) * jitter : 0);
    at += Math.max(0, delay);
    // Jitter and shaping never reorder: a frame leaves no earlier than the one before it.
    at = Math.max(at, this.lastScheduled);
    this.lastScheduled = at;
    if (at <= now && this.queueHead === this.queue.length) {
      this.emit(frame, info.checksumNotReady, info.checksumValid, owned);
      return;
    }
    this.stats.delayed++;
    this.queue.push({
      frame: owned ? frame : frame.slice(),
      at,
      checksumNotReady: info.checksumNotReady,
      checksumValid: info.checksumValid,
    });
    this.armQueue();
  }

  private armQueue(): void {
    if (this.queueTimer !== 0 || this.queueHead >= this.queue.length) return;
    this.queueTimer = this.clock.setTimer(this.queue[this.queueHead].at, this.drainQueue);
  }

  private readonly drainQueue = (): void => {
    this.queueTimer = 0;
    const now = this.clock.now();
    while (!this.closed && this.queueHead < this.queue.length && this.queue[this.queueHead].at <= now) {
      const p = this.queue[this.queueHead++];
      this.emit(p.frame, p.checksumNotReady, p.checksumValid, true);
    }
    if (this.queueHead === this.queue.length) {
      this.queue.length = 0;
      this.queueHead = 0;
    } else if (this.queueHead > 1024) {
      this.queue.splice(0, this.queueHead);
      this.queueHead = 0;
    }
    this.armQueue();
    this.afterTimer();
  };

  /** Hand a frame on, or hold it back so that the next `reorderGap` frames overtake it. */
  private emit(frame: Uint8Array, notReady: boolean, valid: boolean, owned: boolean): void {
    if (this.closed) return;
    if (this.held.length < MAX_HELD && this.prng.chance(this.cfg.reorder ?? 0)) {
      const now = this.clock.now();
      this.held.push({
        frame: owned ? frame : frame.slice(),
        at: now + (this.cfg.reorderHold ?? DEFAULT_REORDER_HOLD_MS),
        checksumNotReady: notReady,
        checksumValid: valid,
        remaining: this.cfg.reorderGap ?? 1,
        overtaken: false,
      });
      this.armHold();
      return;
    }
    this.deliver(frame, notReady, valid);
    this.overtakeHeld();
  }

  /** The sink gets one reused RxInfo: like the frame, it is only valid during the call. */
  private deliver(frame: Uint8Array, notReady: boolean, valid: boolean): void {
    this.stats.passed++;
    const info = this.rxInfo;
    info.timestamp = this.clock.now();
    info.checksumNotReady = notReady;
    info.checksumValid = valid;
    this.sink(frame, info);
  }

  /** A frame just passed every held one: release those it was the last to overtake. */
  private overtakeHeld(): void {
    if (this.held.length === 0) return;
    for (let i = 0; i < this.held.length; ) {
      const h = this.held[i];
      h.overtaken = true;
      if (--h.remaining > 0) {
        i++;
        continue;
      }
      this.held.splice(i, 1);
      this.stats.reordered++;
      this.deliver(h.frame, h.checksumNotReady, h.checksumValid);
    }
  }

  private armHold(): void {
    if (this.holdTimer !== 0 || this.held.length === 0) return;
    let earliest = this.held[0].at;
    for (const h of this.held) earliest = Math.min(earliest, h.at);
    this.holdTimer = this.clock.setTimer(earliest, this.releaseExpired);
  }

  private readonly releaseExpired = (): void => {
    this.holdTimer = 0;
    const now = this.clock.now();
    for (let i = 0; i < this.held.length; ) {
      const h = this.held[i];
      if (h.at > now) {
        i++;
        continue;
      }
      this.held.splice(i, 1);
      if (h.overtaken) this.stats.reordered++;
      this.deliver(h.frame, h.checksumNotReady, h.checksumValid);
    }
    this.armHold();
    this.afterTimer();
  };
}
