// Waiting in send/receive calls. On real time the timers are ordinary (referenced) timeouts, so a
// script awaiting sr1(..., { timeout }) stays alive even when the link's own clock is unref'd;
// on a VirtualClock they are the clock's timers, so tests advance time explicitly.
import { type Clock, RealClock } from '../link/clock.js';

/** Runs fn after `ms` on the clock; returns a function that cancels it. */
export function after(clock: Clock, ms: number, fn: () => void): () => void {
  if (clock instanceof RealClock) {
    const handle = setTimeout(fn, Math.max(0, ms));
    return () => clearTimeout(handle);
  }
  const id = clock.setTimer(clock.now() + ms, fn);
  return () => clock.clearTimer(id);
}

export function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => {
    after(clock, ms, resolve);
  });
}
