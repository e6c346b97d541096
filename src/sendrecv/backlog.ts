// A backlog keeps what arrives between calls, as a kernel socket buffer would. Scapy's sr1 listens
// only while it runs, so a segment that lands between two calls is lost until the peer
// retransmits; sr1(pkt, { backlog }) first looks at what the backlog holds, and takes only the
// packet that answers.

import type { Clock } from '../link/clock.js';
import type { Packet } from '../packet/packet.js';
import { frameDecoder, type PacketFilter } from './receive.js';
import { listenFrames } from './rx-hub.js';
import { l2Endpoint, type TargetOptions } from './target.js';
import { after } from './timers.js';

export interface BacklogOptions extends TargetOptions {
  filter?: PacketFilter;
  /** Packets kept at most; the oldest are dropped first (default 10000). */
  limit?: number;
}

/** Consumes a packet (returns true) or leaves it queued (false). */
export type PacketConsumer = (pkt: Packet) => boolean;

export class Backlog {
  /** Packets received and not taken yet, oldest first. */
  readonly packets: Packet[] = [];
  /** Packets dropped because the backlog was full. */
  dropped = 0;
  private consumer: PacketConsumer | undefined;
  private readonly stop: () => void;
  private readonly limit: number;
  private readonly clock: Clock;

  constructor(opts: BacklogOptions = {}) {
    const ep = l2Endpoint(opts);
    this.clock = ep.clock;
    const decode = frameDecoder(ep.device, opts.filter);
    this.limit = opts.limit ?? 10_000;
    this.stop = listenFrames(
      ep.device,
      (frame, info) => {
        const pkt = decode(frame, info);
        if (pkt !== undefined) this.offer(pkt);
      },
      ep.forward,
    );
  }

  /** Hands queued packets, then each new one, to `consumer` until detach(). */
  attach(consumer: PacketConsumer): void {
    this.consumer = consumer;
    let kept = 0;
    const list = this.packets;
    for (let i = 0; i < list.length; i++) {
      if (this.consumer === consumer && consumer(list[i])) continue;
      list[kept++] = list[i];
    }
    list.length = kept;
  }

  detach(consumer: PacketConsumer): void {
    if (this.consumer === consumer) this.consumer = undefined;
  }

  /**
   * Takes the first packet (queued or arriving) for which `match` is true, without sending
   * anything; null after `timeout` seconds (unset: wait as long as it takes).
   */
  next(
    match: (pkt: Packet) => boolean = () => true,
    opts: { timeout?: number } = {},
  ): Promise<Packet | null> {
    return new Promise((resolve) => {
      let cancel = () => {};
      const consumer: PacketConsumer = (pkt) => {
        if (!match(pkt)) return false;
        cancel();
        this.detach(consumer);
        resolve(pkt);
        return true;
      };
      this.attach(consumer);
      if (this.consumer !== consumer) return; // taken from the queue already
      if (opts.timeout !== undefined) {
        cancel = after(this.clock, opts.timeout * 1000, () => {
          this.detach(consumer);
          resolve(null);
        });
      }
    });
  }

  /** Stops listening; queued packets stay readable. */
  close(): void {
    this.consumer = undefined;
    this.stop();
  }

  private offer(pkt: Packet): void {
    if (this.consumer?.(pkt)) return;
    if (this.packets.length >= this.limit) {
      this.packets.shift();
      this.dropped++;
    }
    this.packets.push(pkt);
  }
}

/** Starts keeping every packet the target receives (see Backlog). */
export function listen(opts: BacklogOptions = {}): Backlog {
  return new Backlog(opts);
}
