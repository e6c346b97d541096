// sniff(), AsyncSniffer and sniffIter(): Scapy's capture API over any Device (an interface's
// device keeps being served: the interface still gets every frame first).
import type { Packet } from '../packet/packet.js';
import { frameDecoder, type PacketFilter } from './receive.js';
import { listenFrames } from './rx-hub.js';
import { l2Endpoint, type TargetOptions } from './target.js';
import { after } from './timers.js';

export interface SniffOptions extends TargetOptions {
  /** Stop after this many packets (that passed the filter); 0 or unset: no limit. */
  count?: number;
  /** Stop after this many seconds. */
  timeout?: number;
  /** A tcpdump-style expression (tested on raw frames) or a predicate over packets. */
  filter?: PacketFilter;
  /** Stop after the first packet for which this returns true (that packet is kept). */
  stopFilter?: (pkt: Packet) => boolean;
  /** Called for each packet; a string it returns is printed (like Scapy's prn). */
  prn?: (pkt: Packet) => unknown;
  /** Keep the packets in `results` (default true; turn off for endless captures). */
  store?: boolean;
  /** Stops the capture when aborted. */
  signal?: AbortSignal;
}

type Waiter = (r: IteratorResult<Packet>) => void;

/** A capture running in the background: start(), then stop() or join() for the packets. */
export class AsyncSniffer {
  /** Packets captured so far (when `store` is on). */
  readonly results: Packet[] = [];
  /** Packets that passed the filter (stored or not). */
  count = 0;
  private unlisten: (() => void) | undefined;
  private cancelTimer: () => void = () => {};
  private stopped = false;
  private started = false;
  private readonly finished: Promise<Packet[]>;
  private resolveFinished: (packets: Packet[]) => void = () => {};
  private readonly queues: Array<{ queue: Packet[]; waiter: Waiter | undefined }> = [];

  constructor(private readonly opts: SniffOptions = {}) {
    this.finished = new Promise((resolve) => {
      this.resolveFinished = resolve;
    });
  }

  get running(): boolean {
    return this.started && !this.stopped;
  }

  start(): this {
    if (this.started) return this;
    this.started = true;
    const ep = l2Endpoint(this.opts);
    const decode = frameDecoder(ep.device, this.opts.filter);
    this.unlisten = listenFrames(
      ep.device,
      (frame, info) => {
        if (this.stopped) return;
        const pkt = decode(frame, info);
        if (pkt !== undefined) this.take(pkt);
      },
      ep.forward,
    );
    if (this.opts.timeout !== undefined)
      this.cancelTimer = after(ep.clock, this.opts.timeout * 1000, () => this.halt());
    const signal = this.opts.signal;
    if (signal?.aborted) this.halt();
    else signal?.addEventListener('abort', () => this.halt(), { once: true });
    return this;
  }

  /** Stops the capture; resolves with the stored packets. */
  stop(): Promise<Packet[]> {
    this.halt();
    return this.finished;
  }

  /** Waits until the capture ends by itself (count, timeout, stopFilter, signal). */
  join(): Promise<Packet[]> {
    return this.finished;
  }

  /** Packets as they arrive, until the capture ends; leaving the loop early stops the capture. */
  [Symbol.asyncIterator](): AsyncIterableIterator<Packet> {
    const q: { queue: Packet[]; waiter: Waiter | undefined } = { queue: [], waiter: undefined };
    this.queues.push(q);
    const self = this;
    return {
      next(): Promise<IteratorResult<Packet>> {
        const pkt = q.queue.shift();
        if (pkt !== undefined) return Promise.resolve({ value: pkt, done: false });
        if (self.stopped) return Promise.resolve({ value: undefined, done: true });
        return new Promise((resolve) => {
          q.waiter = resolve;
        });
      },
      return(): Promise<IteratorResult<Packet>> {
        self.halt();
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  private take(pkt: Packet): void {
    this.count++;
    if (this.opts.store ?? true) this.results.push(pkt);
    for (const q of this.queues) {
      if (q.waiter) {
        const w = q.waiter;
        q.waiter = undefined;
        w({ value: pkt, done: false });
      } else q.queue.push(pkt);
    }
    const printed = this.opts.prn?.(pkt);
    if (typeof printed === 'string') console.log(printed);
    const limit = this.opts.count ?? 0;
    if ((limit > 0 && this.count >= limit) || this.opts.stopFilter?.(pkt)) this.halt();
  }

  private halt(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.cancelTimer();
    this.unlisten?.();
    for (const q of this.queues) {
      const w = q.waiter;
      q.waiter = undefined;
      w?.({ value: undefined, done: true });
    }
    this.resolveFinished(this.results);
  }
}

/** Captures until count, timeout, stopFilter or signal ends it; resolves with the packets. */
export function sniff(opts: SniffOptions = {}): Promise<Packet[]> {
  return new AsyncSniffer(opts).start().join();
}

/** The capture as an async iterator: `for await (const pkt of sniffIter({ iface, count: 10 }))`. */
export function sniffIter(opts: SniffOptions = {}): AsyncIterableIterator<Packet> {
  const sniffer = new AsyncSniffer({ ...opts, store: opts.store ?? false });
  const it = sniffer[Symbol.asyncIterator]();
  sniffer.start();
  return it;
}
