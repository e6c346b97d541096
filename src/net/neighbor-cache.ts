// The neighbor cache shared by ARP (RFC 826, RFC 1122 §2.3.2.1) and IPv6 neighbor discovery
// (RFC 4861 §7.3): IP address -> MAC, with resolution (solicit, retry, give up), a bounded queue of
// packets waiting per neighbor (RFC 1122 §2.3.2.2 "SHOULD save at least one"), and expiry with a
// re-probe while the old address keeps being used (RFC 4861 §7.3.3 STALE/PROBE: no stall for a
// live connection while the entry is re-verified).
import type { Clock, TimerId } from '../link/clock.js';
import { formatMac } from '../wire/addr.js';
import { bytes16Equal, formatIp, type IpAddr, ipKey } from './ip-addr.js';

export interface NeighborCacheOptions {
  /** Solicitations sent before giving up (RFC 4861 MAX_MULTICAST_SOLICIT = 3). */
  retries: number;
  /** Time between solicitations in ms (RFC 4861 RETRANS_TIMER = 1000). */
  retryIntervalMs: number;
  /** How long a confirmed entry is trusted before it is re-verified, in ms. */
  reachableMs: number;
  /**
   * Packets held per unresolved neighbor; more are dropped and counted. Linux holds about 200 KB
   * (unres_qlen_bytes): enough that a thousand connections opened at once toward the gateway do not
   * lose their SYNs to the first ARP exchange.
   */
  queueLimit: number;
  /** Entries kept at most; the oldest is evicted first. */
  maxEntries: number;
}

export const DEFAULT_NEIGHBOR_OPTIONS: NeighborCacheOptions = {
  retries: 3,
  retryIntervalMs: 1000,
  reachableMs: 30_000,
  queueLimit: 1024,
  maxEntries: 512,
};

export type NeighborState = 'incomplete' | 'reachable' | 'probe';

export interface NeighborEntry {
  address: IpAddr;
  mac: Uint8Array | null;
  state: NeighborState;
  confirmedAt: number;
  solicitsSent: number;
  timer: TimerId;
  /** Frames (with room for the link header) waiting for the MAC. */
  pending: Uint8Array[];
}

export interface NeighborCacheHooks {
  /** Send a solicitation for `target`: broadcast/multicast when mac is null, else unicast. */
  solicit(target: IpAddr, mac: Uint8Array | null): void;
  /** Transmit a frame that waited for resolution, now that `mac` is known. */
  release(frame: Uint8Array, mac: Uint8Array): void;
  /** Resolution failed: these many waiting packets were dropped. */
  failed(target: IpAddr, droppedPackets: number): void;
  expired(target: IpAddr): void;
  resolved(target: IpAddr): void;
}

export class NeighborCache {
  private readonly entries = new Map<string | number, NeighborEntry>();
  /** One-entry cache for IPv6 next hops so the hot path does not build a string key. */
  private lastV6: NeighborEntry | null = null;

  constructor(
    private readonly clock: Clock,
    private readonly opts: NeighborCacheOptions,
    private readonly hooks: NeighborCacheHooks,
  ) {}

  get size(): number {
    return this.entries.size;
  }

  /** The entry for addr, or undefined. */
  get(addr: IpAddr): NeighborEntry | undefined {
    if (typeof addr !== 'number') {
      const last = this.lastV6;
      if (last !== null && bytes16Equal(last.address as Uint8Array, 0, addr, 0)) return last;
      const entry = this.entries.get(ipKey(addr));
      if (entry !== undefined) this.lastV6 = entry;
      return entry;
    }
    return this.entries.get(addr);
  }

  /**
   * The MAC to send to, or null when unresolved. A stale entry keeps answering while a
   * re-verification runs in the background (RFC 4861 §7.3.3).
   */
  lookup(addr: IpAddr): Uint8Array | null {
    const entry = this.get(addr);
    if (entry === undefined || entry.mac === null) return null;
    if (entry.state === 'reachable' && this.clock.now() - entry.confirmedAt > this.opts.reachableMs) {
      this.startProbe(entry);
    }
    return entry.mac;
  }

  /**
   * Holds a frame for an unresolved neighbor (the caller copies it) and starts resolution.
   * Returns false when the queue for that neighbor is full (the frame is dropped).
   */
  enqueue(addr: IpAddr, frame: Uint8Array): boolean {
    let entry = this.get(addr);
    if (entry === undefined) entry = this.createIncomplete(addr);
    if (entry.pending.length >= this.opts.queueLimit) return false;
    entry.pending.push(frame);
    return true;
  }

  /** Starts resolution without a packet (e.g. ping's first probe, or a test). */
  resolve(addr: IpAddr): void {
    if (this.get(addr) === undefined) this.createIncomplete(addr);
  }

  /**
   * A MAC learned for addr. `create`: make an entry if none exists (replies to our requests and
   * requests addressed to us do, RFC 826 "merge"/RFC 4861 §7.2.3); else only update an existing one.
   */
  update(addr: IpAddr, mac: Uint8Array, create: boolean): void {
    let entry = this.get(addr);
    if (entry === undefined) {
      if (!create) return;
      entry = this.insert(addr);
    }
    const wasIncomplete = entry.mac === null;
    entry.mac = copyMac(entry.mac, mac);
    entry.state = 'reachable';
    entry.confirmedAt = this.clock.now();
    entry.solicitsSent = 0;
    this.cancelTimer(entry);
    if (wasIncomplete) this.hooks.resolved(addr);
    this.flushPending(entry);
  }

  /** Forget one neighbor (pending packets are dropped). */
  delete(addr: IpAddr): void {
    const entry = this.get(addr);
    if (entry === undefined) return;
    this.remove(entry);
  }

  clear(): void {
    for (const entry of [...this.entries.values()]) this.remove(entry);
  }

  /** `ip neigh`-like lines. */
  describe(): string[] {
    const lines: string[] = [];
    for (const e of this.entries.values()) {
      const mac = e.mac === null ? '(incomplete)' : formatMac(e.mac);
      lines.push(`${formatIp(e.address)} lladdr ${mac} ${e.state.toUpperCase()}`);
    }
    return lines;
  }

  private createIncomplete(addr: IpAddr): NeighborEntry {
    const entry = this.insert(addr);
    this.solicitAndArm(entry);
    return entry;
  }

  private insert(addr: IpAddr): NeighborEntry {
    if (this.entries.size >= this.opts.maxEntries) {
      const oldest = this.entries.values().next().value as NeighborEntry;
      this.remove(oldest);
    }
    const address = typeof addr === 'number' ? addr : addr.slice();
    const entry: NeighborEntry = {
      address,
      mac: null,
      state: 'incomplete',
      confirmedAt: 0,
      solicitsSent: 0,
      timer: 0,
      pending: [],
    };
    this.entries.set(ipKey(address), entry);
    return entry;
  }

  private startProbe(entry: NeighborEntry): void {
    entry.state = 'probe';
    entry.solicitsSent = 0;
    this.solicitAndArm(entry);
  }

  private solicitAndArm(entry: NeighborEntry): void {
    entry.solicitsSent++;
    // RFC 4861 §7.3.3: PROBE unicasts to the cached address; INCOMPLETE multicasts.
    this.hooks.solicit(entry.address, entry.state === 'probe' ? entry.mac : null);
    this.cancelTimer(entry);
    entry.timer = this.clock.setTimer(this.clock.now() + this.opts.retryIntervalMs, () => {
      entry.timer = 0;
      this.retryOrGiveUp(entry);
    });
  }

  private retryOrGiveUp(entry: NeighborEntry): void {
    if (entry.solicitsSent < this.opts.retries) {
      this.solicitAndArm(entry);
      return;
    }
    if (entry.state === 'probe') this.hooks.expired(entry.address);
    else this.hooks.failed(entry.address, entry.pending.length);
    this.remove(entry);
  }

  private flushPending(entry: NeighborEntry): void {
    const frames = entry.pending;
    if (frames.length === 0 || entry.mac === null) return;
    entry.pending = [];
    for (const frame of frames) this.hooks.release(frame, entry.mac);
  }

  private remove(entry: NeighborEntry): void {
    this.cancelTimer(entry);
    entry.pending.length = 0;
    this.entries.delete(ipKey(entry.address));
    if (this.lastV6 === entry) this.lastV6 = null;
  }

  private cancelTimer(entry: NeighborEntry): void {
    if (entry.timer !== 0) this.clock.clearTimer(entry.timer);
    entry.timer = 0;
  }
}

function copyMac(target: Uint8Array | null, mac: Uint8Array): Uint8Array {
  const out = target ?? new Uint8Array(6);
  for (let i = 0; i < 6; i++) out[i] = mac[i];
  return out;
}
