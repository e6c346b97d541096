// Transmit path of an fd device: one synchronous non-blocking write per frame. When the kernel
// queue is full (EAGAIN/ENOBUFS) frames wait in a bounded ring of preallocated slots and are
// retried shortly after; when the ring is full too, the frame is dropped and counted.

export interface TxStats {
  /** Frames the kernel accepted. */
  sent: number;
  bytes: number;
  /** Frames that had to wait in the ring at least once. */
  deferred: number;
  /** Frames dropped because the ring was full, or larger than a slot. */
  dropped: number;
}

/** Writes one frame; returns bytes written, or -1 when the kernel queue is full. */
export type WriteFrame = (frame: Uint8Array) => number;

const RETRY_MS = 1;

export class TxQueue {
  readonly stats: TxStats = { sent: 0, bytes: 0, deferred: 0, dropped: 0 };
  private readonly slots: Uint8Array[];
  private readonly lengths: Int32Array;
  private head = 0;
  private count = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private closed = false;

  constructor(
    private readonly write: WriteFrame,
    capacity = 256,
    private readonly slotSize = 65_536,
  ) {
    this.slots = Array.from({ length: capacity }, () => new Uint8Array(0));
    this.lengths = new Int32Array(capacity);
  }

  /** Frames waiting in the ring. */
  get pending(): number {
    return this.count;
  }

  send(frame: Uint8Array): void {
    if (this.closed) return;
    if (this.count === 0 && this.write(frame) >= 0) {
      this.stats.sent++;
      this.stats.bytes += frame.length;
      return;
    }
    this.enqueue(frame);
  }

  /** Retry waiting frames now. */
  flush(): void {
    while (this.count > 0 && !this.closed) {
      const slot = this.slots[this.head];
      const length = this.lengths[this.head];
      if (this.write(slot.subarray(0, length)) < 0) {
        this.scheduleRetry();
        return;
      }
      this.stats.sent++;
      this.stats.bytes += length;
      this.head = (this.head + 1) % this.slots.length;
      this.count--;
    }
  }

  close(): void {
    this.closed = true;
    this.count = 0;
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private enqueue(frame: Uint8Array): void {
    if (this.count === this.slots.length || frame.length > this.slotSize) {
      this.stats.dropped++;
      return;
    }
    const index = (this.head + this.count) % this.slots.length;
    // Slots are allocated on first use only, then reused.
    if (this.slots[index].length === 0) this.slots[index] = new Uint8Array(this.slotSize);
    this.slots[index].set(frame);
    this.lengths[index] = frame.length;
    this.count++;
    this.stats.deferred++;
    this.scheduleRetry();
  }

  private scheduleRetry(): void {
    if (this.retryTimer !== null || this.closed) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.flush();
    }, RETRY_MS);
  }
}
