// The common part of devices backed by a kernel fd (TAP, TUN, AF_PACKET): a receive pump that
// drains the non-blocking fd in bounded batches into one preallocated native buffer, a bounded
// transmit queue, counters, and an idempotent close that releases everything in order.

import { allocNative, close as closeFd, freeNative, type NativeBuffer } from '../sys/libc.js';
import { type RxPump, type RxPumpKind, startRxPump } from '../sys/rx-pump.js';
import { TxQueue, type TxStats } from '../sys/tx-queue.js';
import { LengthViews } from '../wire/length-views.js';
import type { Clock } from './clock.js';
import type { Device, FrameReceiver, LinkType, RxInfo } from './device.js';

export interface RxStats {
  frames: number;
  bytes: number;
  /** Frames dropped on receive: truncated (larger than the buffer) or malformed metadata. */
  dropped: number;
}

export interface DeviceStats {
  rx: RxStats;
  tx: TxStats;
}

export interface FdDeviceOptions {
  /** Timestamps for RxInfo (default performance.now()). */
  clock?: Clock;
  /** How to wait for readability (default 'uv', or SYNACK_RX_PUMP=uv|worker; see sys/rx-pump.ts). */
  pump?: RxPumpKind;
  /** Frames per drain before yielding to the event loop (default 64). */
  batch?: number;
  /** Frames waiting for the kernel on EAGAIN before drops (default 256). */
  txQueue?: number;
}

const performanceClock = { now: () => performance.now() };

export abstract class FdDevice implements Device {
  abstract readonly name: string;
  abstract readonly linkType: LinkType;
  abstract readonly mtu: number;
  readonly stats: DeviceStats;
  protected readonly rxBuffer: NativeBuffer;
  /** One RxInfo reused for every frame (valid only during the receiver call, like the frame). */
  protected readonly info: RxInfo = { timestamp: 0, checksumNotReady: false, checksumValid: false };
  private readonly clock: { now(): number };
  private readonly tx: TxQueue;
  private readonly rxStats: RxStats = { frames: 0, bytes: 0, dropped: 0 };
  private receiver: FrameReceiver | null = null;
  private pump: RxPump | null = null;
  private closed = false;

  protected constructor(
    protected readonly fd: number,
    rxBufferSize: number,
    private readonly options: FdDeviceOptions,
  ) {
    this.clock = options.clock ?? performanceClock;
    this.rxBuffer = allocNative(rxBufferSize);
    this.tx = new TxQueue((frame) => this.writeFrame(frame), options.txQueue ?? 256, rxBufferSize);
    this.stats = { rx: this.rxStats, tx: this.tx.stats };
  }

  /** Read one frame: its length in rxBuffer (after filling this.info's flags), or -1 when none. */
  protected abstract readFrame(): number;
  /** Write one encoded frame (see encodeFrame): bytes written, or -1 when the kernel queue is full. */
  protected abstract writeFrame(frame: Uint8Array): number;
  /** Where the frame starts in rxBuffer (a vnet header may precede it). */
  protected frameOffset = 0;
  /** Undo host state this device created (addresses, routes, memberships). Called once by close. */
  protected abstract release(): void;

  get isClosed(): boolean {
    return this.closed;
  }

  /** How this device waits for frames ('worker' or 'uv'), once a receiver is set. */
  get pumpKind(): RxPumpKind | undefined {
    return this.pump?.kind;
  }

  transmit(frame: Uint8Array, gsoSize = 0): void {
    if (!this.closed) this.tx.send(this.encodeFrame(frame, gsoSize));
  }

  /** The bytes to write for a frame (a TAP puts its vnet header first). Default: the frame itself. */
  protected encodeFrame(frame: Uint8Array, _gsoSize: number): Uint8Array {
    return frame;
  }

  flush(): void {
    this.tx.flush();
  }

  setReceiver(receiver: FrameReceiver): void {
    if (this.closed) return;
    this.receiver = receiver;
    this.pump ??= startRxPump(this.fd, this.drain, { kind: this.options.pump, batch: this.options.batch });
  }

  /**
   * Settles once close() has released everything, including what the receive pump frees only
   * after it stops (the worker pump's thread). Resolved at once while the device is open and idle.
   */
  get released(): Promise<void> {
    return this.pump?.stopped ?? Promise.resolve();
  }

  /** Let the process exit while this device is open (default: an open device keeps it alive). */
  unref(): void {
    this.pump?.unref();
  }

  ref(): void {
    this.pump?.ref();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.pump?.close();
    this.tx.close();
    try {
      closeFd(this.fd);
    } finally {
      this.rxViews?.clear(); // they view the memory freed next
      freeNative(this.rxBuffer);
      this.release();
    }
  }

  /** Count a frame the subclass had to drop while reading. */
  protected countRxDrop(): void {
    this.rxStats.dropped++;
  }

  private readonly drain = (budget: number): boolean => {
    const bytes = this.rxBuffer.bytes;
    for (let i = 0; i < budget; i++) {
      if (this.closed) return false;
      const length = this.readFrame();
      if (length < 0) return false;
      if (length === 0) continue;
      this.rxStats.frames++;
      this.rxStats.bytes += length;
      this.info.timestamp = this.clock.now();
      this.receiver?.(this.frameView(bytes, length), this.info);
    }
    return true;
  };

  // Views of rxBuffer by frame length (a link carries few distinct sizes), so receiving allocates
  // nothing per frame. A view is as valid as the frame itself: only during the call.
  private rxViews: LengthViews | undefined;

  private frameView(bytes: Uint8Array, length: number): Uint8Array {
    this.rxViews ??= new LengthViews(bytes, this.frameOffset);
    this.rxViews.rebase(this.frameOffset);
    return this.rxViews.view(length);
  }
}
