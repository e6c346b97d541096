// A pair of connected in-memory devices: what one transmits, the other receives, after the time a
// real link would take. Each direction is a drop-tail queue in front of a transmitter of fixed
// bandwidth (serialization delay = bits / rate), followed by a fixed propagation delay. No I/O; all
// timing comes from the Clock, so on a VirtualClock runs are exact and repeatable.

import type { Clock, TimerId } from './clock.js';
import { type Device, type FrameReceiver, type LinkType, type RxInfo, rxInfo } from './device.js';

export interface MemoryWireOptions {
  linkType?: LinkType; // default 'ethernet'
  /** IP MTU in bytes (default 1500). Larger frames are dropped and counted as oversize. */
  mtu?: number;
  /** Bits per second; 0 or Infinity = no serialization delay (default 0). */
  bandwidth?: number;
  /** One-way propagation delay in ms (default 0). */
  delay?: number;
  /** Frames waiting for the transmitter, not counting the one being sent (default 1000). */
  queueFrames?: number;
  /** Optional byte bound on the same queue (default unlimited). */
  queueBytes?: number;
  /** Device names (default 'mem0' and 'mem1'). */
  names?: [string, string];
}

export interface WireDirectionStats {
  /** Frames handed to transmit(). */
  sent: number;
  /** Frames handed to the receiver on the other side. */
  delivered: number;
  /** Dropped because the queue was full (drop-tail). */
  queueDrops: number;
  /** Dropped because they exceed the MTU plus the link header. */
  oversize: number;
  /** Bytes delivered. */
  bytes: number;
}

export interface MemoryWire {
  a: MemoryDevice;
  b: MemoryDevice;
  close(): void;
}

/** The Ethernet header (no VLAN tag) that a frame may carry beyond the IP MTU. */
const ETHERNET_HEADER = 14;

export function createMemoryWire(clock: Clock, options: MemoryWireOptions = {}): MemoryWire {
  const [nameA, nameB] = options.names ?? ['mem0', 'mem1'];
  const a = new MemoryDevice(nameA, clock, options);
  const b = new MemoryDevice(nameB, clock, options);
  a.connect(b);
  b.connect(a);
  return {
    a,
    b,
    close() {
      a.close();
      b.close();
    },
  };
}

interface InFlight {
  frame: Uint8Array;
  /** When the last bit leaves the transmitter. */
  sentAt: number;
  /** When the last bit reaches the other side. */
  arrivesAt: number;
}

/** One end of a memory wire. Its transmit queue feeds the peer's receiver. */
export class MemoryDevice implements Device {
  readonly linkType: LinkType;
  readonly mtu: number;
  readonly stats: WireDirectionStats = { sent: 0, delivered: 0, queueDrops: 0, oversize: 0, bytes: 0 };
  private readonly bandwidth: number;
  private readonly delay: number;
  private readonly queueFrames: number;
  private readonly queueBytes: number;
  private readonly maxFrame: number;
  private peer: MemoryDevice | null = null;
  private receiver: FrameReceiver | null = null;
  private readonly rxInfo: RxInfo = rxInfo(0);
  /** Frames in order of arrival time (FIFO link: arrival times never decrease). */
  private readonly inFlight: InFlight[] = [];
  private head = 0;
  /** Index of the first frame whose serialization has not finished (the queue's start). */
  private queueStart = 0;
  private queuedBytes = 0;
  private transmitterFreeAt = 0;
  private timer: TimerId = 0;
  private timerAt = Number.POSITIVE_INFINITY;
  private closed = false;

  constructor(
    readonly name: string,
    private readonly clock: Clock,
    options: MemoryWireOptions,
  ) {
    this.linkType = options.linkType ?? 'ethernet';
    this.mtu = options.mtu ?? 1500;
    const bandwidth = options.bandwidth ?? 0;
    this.bandwidth = bandwidth > 0 ? bandwidth : Number.POSITIVE_INFINITY;
    this.delay = options.delay ?? 0;
    this.queueFrames = options.queueFrames ?? 1000;
    this.queueBytes = options.queueBytes ?? Number.POSITIVE_INFINITY;
    this.maxFrame = this.mtu + (this.linkType === 'ethernet' ? ETHERNET_HEADER : 0);
    if (this.delay < 0 || this.queueFrames < 0 || this.mtu <= 0) {
      throw new RangeError('memory wire: delay and queue must be >= 0 and mtu > 0');
    }
  }

  /** @internal wires two ends together (createMemoryWire does it). */
  connect(peer: MemoryDevice): void {
    this.peer = peer;
  }

  /** Serialization time of a frame in ms at this link's bandwidth. */
  serializationTime(bytes: number): number {
    return (bytes * 8 * 1000) / this.bandwidth;
  }

  /** Frames waiting for the transmitter (not yet fully serialized). */
  get queueLength(): number {
    this.advanceQueue(this.clock.now());
    return this.inFlight.length - this.queueStart;
  }

  transmit(frame: Uint8Array): void {
    if (this.closed) return;
    this.stats.sent++;
    if (frame.length > this.maxFrame) {
      this.stats.oversize++;
      return;
    }
    const now = this.clock.now();
    this.advanceQueue(now);
    const waiting = this.inFlight.length - this.queueStart;
    // The frame being serialized right now is on the wire, not in the queue.
    const busy = this.transmitterFreeAt > now;
    const queued = busy ? waiting - 1 : waiting;
    if (queued >= this.queueFrames || this.queuedBytes + frame.length > this.queueBytes) {
      this.stats.queueDrops++;
      return;
    }
    const startsAt = Math.max(now, this.transmitterFreeAt);
    const sentAt = startsAt + this.serializationTime(frame.length);
    this.transmitterFreeAt = sentAt;
    this.inFlight.push({ frame: frame.slice(), sentAt, arrivesAt: sentAt + this.delay });
    this.queuedBytes += frame.length;
    this.arm();
  }

  flush(): void {}

  setReceiver(receiver: FrameReceiver): void {
    this.receiver = receiver;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.timer !== 0) this.clock.clearTimer(this.timer);
    this.timer = 0;
    this.inFlight.length = 0;
    this.head = 0;
    this.queueStart = 0;
    this.queuedBytes = 0;
  }

  /** Frames whose last bit has left the transmitter no longer count against the queue. */
  private advanceQueue(now: number): void {
    while (this.queueStart < this.inFlight.length && this.inFlight[this.queueStart].sentAt <= now) {
      this.queuedBytes -= this.inFlight[this.queueStart].frame.length;
      this.queueStart++;
    }
  }

  private arm(): void {
    if (this.head >= this.inFlight.length) return;
    const at = this.inFlight[this.head].arrivesAt;
    if (this.timer !== 0 && this.timerAt <= at) return;
    if (this.timer !== 0) this.clock.clearTimer(this.timer);
    this.timerAt = at;
    this.timer = this.clock.setTimer(at, this.deliverDue);
  }

  private readonly deliverDue = (): void => {
    this.timer = 0;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.clock.now();
    this.advanceQueue(now);
    while (!this.closed && this.head < this.inFlight.length && this.inFlight[this.head].arrivesAt <= now) {
      const { frame } = this.inFlight[this.head++];
      this.stats.delivered++;
      this.stats.bytes += frame.length;
      this.peer?.receive(frame, now);
    }
    this.compact();
    if (!this.closed) this.arm();
  };

  /** Drop delivered entries from the front once they dominate the array (amortized O(1)). */
  private compact(): void {
    if (this.head > 1024 && this.head * 2 > this.inFlight.length) {
      const shift = Math.min(this.head, this.queueStart);
      this.inFlight.splice(0, shift);
      this.head -= shift;
      this.queueStart -= shift;
    }
  }

  /** @internal called by the peer when a frame arrives. */
  receive(frame: Uint8Array, now: number): void {
    if (this.closed) return;
    // One RxInfo reused for every frame: like the frame, it is only valid during the call.
    this.rxInfo.timestamp = now;
    this.receiver?.(frame, this.rxInfo);
  }
}
