// Clocks in milliseconds. Everything time-driven in the stack (TCP timers, the in-memory wire, the
// fault injector) takes a Clock, so the same code runs on real time or on a VirtualClock where a
// simulation of 100 MB finishes in seconds and every run is identical.

/** An opaque timer handle; never 0, so `0` can mean "no timer" in callers. */
export type TimerId = number;

export interface Clock {
  /** Current time in milliseconds (fractional allowed). Monotonic. */
  now(): number;
  /** Run fn once at absolute time `at` (ms on this clock). A time in the past runs as soon as possible. */
  setTimer(at: number, fn: () => void): TimerId;
  /** Cancel a timer. Unknown, fired or already cleared ids are ignored. */
  clearTimer(id: TimerId): void;
}

/** Wall-clock time: performance.now() and setTimeout. */
export class RealClock implements Clock {
  private readonly timers = new Map<TimerId, NodeJS.Timeout>();
  private nextId = 1;

  /** @param unref timers do not keep the process alive (default false). */
  constructor(private readonly unref = false) {}

  now(): number {
    return performance.now();
  }

  setTimer(at: number, fn: () => void): TimerId {
    const id = this.nextId++;
    const handle = setTimeout(
      () => {
        this.timers.delete(id);
        fn();
      },
      Math.max(0, at - this.now()),
    );
    if (this.unref) handle.unref();
    this.timers.set(id, handle);
    return id;
  }

  clearTimer(id: TimerId): void {
    const handle = this.timers.get(id);
    if (handle === undefined) return;
    clearTimeout(handle);
    this.timers.delete(id);
  }
}

interface VirtualTimer {
  at: number;
  /** Insertion order: timers due at the same time fire in the order they were set. */
  seq: number;
  id: TimerId;
  fn: (() => void) | null;
}

/** A simulated clock: time stands still until advanced; timers fire in (time, insertion) order. */
export class VirtualClock implements Clock {
  private time: number;
  private readonly heap: VirtualTimer[] = [];
  private readonly live = new Map<TimerId, VirtualTimer>();
  private nextId = 1;
  private nextSeq = 0;
  /** Timers fired since construction (useful to bound simulations). */
  firedCount = 0;

  constructor(start = 0) {
    this.time = start;
  }

  now(): number {
    return this.time;
  }

  setTimer(at: number, fn: () => void): TimerId {
    const timer: VirtualTimer = {
      at: Math.max(at, this.time),
      seq: this.nextSeq++,
      id: this.nextId++,
      fn,
    };
    this.live.set(timer.id, timer);
    this.push(timer);
    return timer.id;
  }

  clearTimer(id: TimerId): void {
    const timer = this.live.get(id);
    if (timer === undefined) return;
    timer.fn = null; // lazily removed when it reaches the top of the heap
    this.live.delete(id);
  }

  /** Number of timers still pending. */
  get pendingTimers(): number {
    return this.live.size;
  }

  /** Time of the next pending timer, or undefined when idle. */
  nextTimerAt(): number | undefined {
    this.dropCancelledTop();
    return this.heap.length > 0 ? this.heap[0].at : undefined;
  }

  /** Advance time by ms, firing every timer due on the way (timers set meanwhile included). */
  advance(ms: number): void {
    this.advanceTo(this.time + ms);
  }

  /** Advance to absolute time t (never backwards), firing every timer due at or before t. */
  advanceTo(t: number): void {
    if (t < this.time) throw new RangeError(`VirtualClock cannot go back from ${this.time} to ${t}`);
    for (;;) {
      const next = this.nextTimerAt();
      if (next === undefined || next > t) break;
      this.fireNext();
    }
    this.time = t;
  }

  /**
   * Fire timers one at a time until the predicate holds (checked before each timer) or, given a
   * number, until that absolute time. Returns true if the predicate held (always true for a time).
   * Stops with false when no timer is left or after `limit` timers.
   */
  runUntil(until: (() => boolean) | number, limit = 10_000_000): boolean {
    if (typeof until === 'number') {
      this.advanceTo(Math.max(until, this.time));
      return true;
    }
    for (let fired = 0; ; fired++) {
      if (until()) return true;
      if (fired >= limit || !this.fireNext()) return false;
    }
  }

  /**
   * Fire timers until none is left. Returns how many fired. Throws if more than `limit` fire:
   * something keeps re-arming a timer forever (a retransmission loop, a periodic tick).
   */
  runUntilIdle(limit = 10_000_000): number {
    let fired = 0;
    while (this.fireNext()) {
      if (++fired >= limit) {
        throw new Error(`VirtualClock.runUntilIdle: still busy after ${limit} timers`);
      }
    }
    return fired;
  }

  /** Fire the earliest pending timer, moving time to it. Returns false when idle. */
  fireNext(): boolean {
    this.dropCancelledTop();
    const timer = this.pop();
    if (timer === undefined) return false;
    this.live.delete(timer.id);
    this.time = Math.max(this.time, timer.at);
    const fn = timer.fn;
    timer.fn = null;
    this.firedCount++;
    fn?.();
    return true;
  }

  private dropCancelledTop(): void {
    while (this.heap.length > 0 && this.heap[0].fn === null) this.pop();
  }

  // Binary min-heap on (at, seq).
  private static before(a: VirtualTimer, b: VirtualTimer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private push(timer: VirtualTimer): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(timer);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!VirtualClock.before(heap[i], heap[parent])) break;
      [heap[i], heap[parent]] = [heap[parent], heap[i]];
      i = parent;
    }
  }

  private pop(): VirtualTimer | undefined {
    const heap = this.heap;
    if (heap.length === 0) return undefined;
    const top = heap[0];
    const last = heap.pop() as VirtualTimer;
    if (heap.length > 0) {
      heap[0] = last;
      this.siftDown(0);
    }
    return top;
  }

  private siftDown(start: number): void {
    const heap = this.heap;
    let i = start;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && VirtualClock.before(heap[left], heap[smallest])) smallest = left;
      if (right < heap.length && VirtualClock.before(heap[right], heap[smallest])) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest], heap[i]];
      i = smallest;
    }
  }
}
