// Maps a device clock's milliseconds to wall-clock time (ms since the epoch) for traces and pcaps.

import type { Clock } from './clock.js';

export interface WallTimeOptions {
  /** The clock the device's timestamps come from (default: performance.now()). */
  clock?: Clock;
  /**
   * Epoch milliseconds at clock time 0. Default: performance.timeOrigin for the default clock,
   * 0 (1970-01-01) for any other clock, so virtual-time captures are reproducible.
   */
  epochAt0?: number;
}

export class WallTime {
  readonly clock: { now(): number };
  private readonly epochAt0: number;

  constructor(options: WallTimeOptions = {}) {
    this.clock = options.clock ?? { now: () => performance.now() };
    this.epochAt0 = options.epochAt0 ?? (options.clock === undefined ? performance.timeOrigin : 0);
  }

  /** Epoch ms of a clock time (default: now). */
  epochMs(clockTime = this.clock.now()): number {
    return this.epochAt0 + clockTime;
  }
}
