// A token-bucket shaper (the model of Linux tbf): tokens accrue at `rate` up to `burst` bytes; a
// frame leaves when the bucket holds its size. Frames leave in FIFO order, so a frame's departure
// time is known on arrival; one that would wait longer than `maxWait` is tail-dropped.

export class TokenBucket {
  private readonly bytesPerMs: number;
  private tokens: number;
  private updatedAt = Number.NEGATIVE_INFINITY;
  private lastDeparture = Number.NEGATIVE_INFINITY;

  constructor(
    /** Bits per second. */
    rate: number,
    /** Bucket depth in bytes. */
    private readonly burst: number,
    /** Longest queueing delay in ms before a frame is dropped. */
    private readonly maxWait: number,
  ) {
    if (!(rate > 0) || !(burst > 0)) throw new RangeError('token bucket: rate and burst must be > 0');
    this.bytesPerMs = rate / 8 / 1000;
    this.tokens = burst;
  }

  /** Default depth: the larger of two full-size Ethernet frames and 5 ms of traffic at the rate. */
  static defaultBurst(rate: number): number {
    return Math.max(3000, Math.ceil((rate / 8) * 0.005));
  }

  /** Departure time of a frame of `bytes` arriving at `now`, or -1 if it must be dropped. */
  schedule(now: number, bytes: number): number {
    const start = Math.max(now, this.lastDeparture);
    const tokens = Math.min(this.burst, this.tokens + (start - this.updatedAt) * this.bytesPerMs);
    const departure = tokens >= bytes ? start : start + (bytes - tokens) / this.bytesPerMs;
    if (departure - now > this.maxWait) return -1;
    this.tokens = tokens >= bytes ? tokens - bytes : 0;
    this.updatedAt = departure;
    this.lastDeparture = departure;
    return departure;
  }
}
