// Timers as data (smoltcp style): each kind has an expiry time in ms or Infinity when stopped.
// The connection's poll() fires the ones that are due; pollAt() reports the earliest.

export const TimerKind = {
  /** Retransmission timer (RFC 6298 §5), also used for SYN and SYN-ACK retransmission. */
  RETRANSMIT: 0,
  /** Delayed ACK (RFC 1122 §4.2.3.2). */
  DELAYED_ACK: 1,
  /** Persist timer for zero-window probing (RFC 9293 §3.8.6.1). */
  PERSIST: 2,
  /** Keepalive (RFC 1122 §4.2.3.6). */
  KEEPALIVE: 3,
  /** TIME-WAIT 2*MSL (RFC 9293 §3.10.7.4). */
  TIME_WAIT: 4,
  /** FIN-WAIT-2 timeout (Linux tcp_fin_timeout). */
  FIN_WAIT_2: 5,
  /** Tail loss probe timeout, PTO (RFC 8985 §7.2). */
  LOSS_PROBE: 6,
} as const;
export type TimerKind = (typeof TimerKind)[keyof typeof TimerKind];

export const TIMER_NAMES = [
  'retransmit',
  'delayed-ack',
  'persist',
  'keepalive',
  'time-wait',
  'fin-wait-2',
  'loss-probe',
] as const;
export type TimerName = (typeof TIMER_NAMES)[number];

export interface TimerInfo {
  kind: TimerName;
  expiresAt: number;
}

export class TimerSet {
  private readonly expiry = new Float64Array(TIMER_NAMES.length).fill(Number.POSITIVE_INFINITY);

  set(kind: TimerKind, expiresAt: number): void {
    this.expiry[kind] = expiresAt;
  }

  clear(kind: TimerKind): void {
    this.expiry[kind] = Number.POSITIVE_INFINITY;
  }

  clearAll(): void {
    this.expiry.fill(Number.POSITIVE_INFINITY);
  }

  isRunning(kind: TimerKind): boolean {
    return this.expiry[kind] !== Number.POSITIVE_INFINITY;
  }

  expiresAt(kind: TimerKind): number {
    return this.expiry[kind];
  }

  /** True if the timer is running and due at `now`. */
  isDue(kind: TimerKind, now: number): boolean {
    return this.expiry[kind] <= now;
  }

  /** Earliest expiry, Infinity if none runs. */
  next(): number {
    let min = Number.POSITIVE_INFINITY;
    for (let i = 0; i < this.expiry.length; i++) if (this.expiry[i] < min) min = this.expiry[i];
    return min;
  }

  /** The running timers, for debugging and tools. */
  list(): TimerInfo[] {
    const out: TimerInfo[] = [];
    for (let i = 0; i < this.expiry.length; i++) {
      if (this.expiry[i] !== Number.POSITIVE_INFINITY)
        out.push({ kind: TIMER_NAMES[i], expiresAt: this.expiry[i] });
    }
    return out;
  }
}
