// Runs the sans-IO TCP engines on a clock. Anything that touches a connection (a segment arriving,
// the application writing or reading) marks it dirty and schedules ONE flush for the whole batch;
// the flush polls every dirty or due connection (its segments go to the transport), hands the
// engine's events to the owner, then flushes the device once and arms ONE clock timer for the
// earliest pollAt() over all connections (kept in an indexed min-heap: O(log n) per update).
import type { Clock, TimerId } from '../link/clock.js';
import type { ConnectionEntry } from './entry.js';
import { TimerHeap } from './timer-heap.js';
import type { TcpTransport } from './transport.js';

export interface DriverStats {
  /** Flush rounds run (one per receive batch, application burst or timer expiry). */
  flushes: number;
  /** Connection polls. */
  polls: number;
  /** Times the single stack timer was (re)armed. */
  timerArms: number;
}

/** Rounds per flush before yielding (owners that keep re-dirtying a connection cannot starve I/O). */
const MAX_ROUNDS_PER_FLUSH = 64;

function isVirtual(clock: Clock): boolean {
  return typeof (clock as { advanceTo?: unknown }).advanceTo === 'function';
}

export class StackDriver {
  readonly stats: DriverStats = { flushes: 0, polls: 0, timerArms: 0 };
  private readonly heap = new TimerHeap<ConnectionEntry>();
  // Two swapped queues filled up to a count: an array truncated to length 0 drops its backing store in
  // V8, so resetting `length` would reallocate on the next push (once per flush round, i.e. per packet).
  private dirty: (ConnectionEntry | undefined)[] = [];
  private dirtyCount = 0;
  private spare: (ConnectionEntry | undefined)[] = [];
  private flushScheduled = false;
  private timer: TimerId = 0;
  private timerAt = Number.POSITIVE_INFINITY;
  private lastNow = 0;
  private closed = false;
  /** Defers the flush to the end of the current batch of work. */
  private readonly defer: (fn: () => void) => void;

  constructor(
    private readonly clock: Clock,
    private readonly transport: TcpTransport,
    /** Called after each poll with the events the engine reported (possibly 0). */
    private readonly afterPoll: (entry: ConnectionEntry, events: number) => void,
    /** Called first in each flush, at the end of a receive batch (the receive coalescer's flush). */
    private readonly beforeFlush: () => void = () => {},
  ) {
    // On a VirtualClock the flush is a zero-delay timer, so it runs at the same virtual instant after
    // the frames of this instant were delivered; on real time a microtask runs after the device's
    // synchronous receive batch.
    this.defer = isVirtual(clock) ? (fn) => void clock.setTimer(clock.now(), fn) : queueMicrotask;
  }

  /** Monotonic "now" for the engines (never behind a time already handed out). */
  now(): number {
    const t = this.clock.now();
    if (t > this.lastNow) this.lastNow = t;
    return this.lastNow;
  }

  /** Number of connections with a pending deadline. */
  get scheduled(): number {
    return this.heap.size;
  }

  /** Whether the single stack timer is armed, and for when (Infinity if not). */
  get armedAt(): number {
    return this.timer === 0 ? Number.POSITIVE_INFINITY : this.timerAt;
  }

  markDirty(entry: ConnectionEntry): void {
    if (entry.dirty || entry.retired || this.closed) return;
    entry.dirty = true;
    this.dirty[this.dirtyCount++] = entry;
    this.scheduleFlush();
  }

  /**
   * Send what a connection owes right now (an ACK, RFC 5681 §4.2), without waiting for the end of
   * the receive batch: a batch of ten segments with a hole gets a duplicate ACK per segment, not one.
   * Events still reach the owner in the batch's flush.
   */
  pollOutputNow(entry: ConnectionEntry): void {
    if (entry.retired || this.closed) return;
    this.stats.polls++;
    entry.conn.poll(this.now(), entry.emit);
  }

  /** Forget a connection (retired by the stack). */
  forget(entry: ConnectionEntry): void {
    this.heap.remove(entry);
    entry.due = Number.POSITIVE_INFINITY;
  }

  scheduleFlush(): void {
    if (this.flushScheduled || this.closed) return;
    this.flushScheduled = true;
    this.defer(this.flush);
  }

  /** Run everything due now. Public so a caller can force a round (tests, shutdown). */
  readonly flush = (): void => {
    this.flushScheduled = false;
    if (this.closed) return;
    this.stats.flushes++;
    this.beforeFlush();
    const now = this.now();
    for (let e = this.heap.popDue(now); e !== undefined; e = this.heap.popDue(now)) {
      if (!e.dirty) {
        e.dirty = true;
        this.dirty[this.dirtyCount++] = e;
      }
    }
    let rounds = 0;
    while (this.dirtyCount > 0) {
      if (++rounds > MAX_ROUNDS_PER_FLUSH) {
        this.scheduleFlush();
        break;
      }
      this.runRound(now);
    }
    this.transport.flush();
    this.rearm();
  };

  close(): void {
    this.closed = true;
    if (this.timer !== 0) this.clock.clearTimer(this.timer);
    this.timer = 0;
    this.timerAt = Number.POSITIVE_INFINITY;
    const queue = this.dirty;
    for (let i = 0; i < this.dirtyCount; i++) {
      const e = queue[i] as ConnectionEntry;
      e.dirty = false;
      queue[i] = undefined;
    }
    this.dirtyCount = 0;
  }

  private runRound(now: number): void {
    const batch = this.dirty;
    const count = this.dirtyCount;
    this.dirty = this.spare;
    this.dirtyCount = 0;
    for (let i = 0; i < count; i++) {
      const entry = batch[i] as ConnectionEntry;
      batch[i] = undefined; // keep no retired entry alive
      entry.dirty = false;
      if (!entry.retired) this.service(entry, now);
    }
    this.spare = batch;
  }

  private service(entry: ConnectionEntry, now: number): void {
    const conn = entry.conn;
    this.stats.polls++;
    conn.poll(now, entry.emit);
    const events = conn.takeEvents();
    try {
      this.afterPoll(entry, events);
    } catch (err) {
      // An application event handler threw (like an exception in a libuv callback): keep the
      // stack consistent and report it as uncaught, outside the flush.
      queueMicrotask(() => {
        throw err;
      });
    }
    if (!entry.retired) this.heap.schedule(entry, conn.pollAt());
  }

  private rearm(): void {
    const due = this.heap.peekDue();
    if (this.timer !== 0 && due === this.timerAt) return;
    if (this.timer !== 0) this.clock.clearTimer(this.timer);
    this.timer = 0;
    this.timerAt = due;
    if (due < Number.POSITIVE_INFINITY) {
      this.stats.timerArms++;
      this.timer = this.clock.setTimer(due, this.onTimer);
    }
  }

  private readonly onTimer = (): void => {
    this.timer = 0;
    // Real timers may fire a fraction of a millisecond early by performance.now(): never run the
    // engines before the deadline we armed for.
    if (this.timerAt > this.lastNow && this.timerAt < Number.POSITIVE_INFINITY) this.lastNow = this.timerAt;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.flush();
  };
}
