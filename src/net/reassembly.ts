// Reassembly of received IP fragments: IPv4 (RFC 791 §3.2, RFC 815 bookkeeping) and IPv6
// (RFC 8200 §4.5). Overlapping fragments drop the whole datagram (RFC 5722; applied to IPv4 too,
// as Linux does), exact duplicates are ignored. Memory is bounded (oldest datagram evicted first)
// and an incomplete datagram is dropped after its timeout (30 s IPv4, 60 s IPv6 per RFC 8200).
import type { Clock, TimerId } from '../link/clock.js';
import type { NetStats } from './stats.js';

export interface ReassemblyOptions {
  timeoutV4Ms: number;
  timeoutV6Ms: number;
  /** Buffer bytes held over all incomplete datagrams. */
  maxBytes: number;
  /** Incomplete datagrams held at once. */
  maxDatagrams: number;
}

export const DEFAULT_REASSEMBLY_OPTIONS: ReassemblyOptions = {
  timeoutV4Ms: 30_000,
  timeoutV6Ms: 60_000,
  maxBytes: 4 * 1024 * 1024,
  maxDatagrams: 256,
};

/** Largest reassembled payload: the 16-bit length fields of RFC 791 (with a 20-byte header) and RFC 8200. */
const MAX_PAYLOAD_V4 = 65535 - 20;
const MAX_PAYLOAD_V6 = 65535;

export interface Fragment {
  family: 4 | 6;
  /** Identifies the datagram: addresses, protocol (IPv4) and identification. */
  key: string;
  /** Byte offset of this fragment's data in the datagram payload. */
  offset: number;
  more: boolean;
  data: Uint8Array;
  /** The first fragment's header, needed to rebuild the packet (copied when stored). */
  header: Uint8Array | null;
}

export interface Reassembled {
  header: Uint8Array;
  payload: Uint8Array;
}

interface Pending {
  key: string;
  family: 4 | 6;
  ranges: Array<[number, number]>;
  data: Uint8Array;
  /** Payload length, known once the last fragment arrived; -1 before. */
  total: number;
  received: number;
  header: Uint8Array | null;
  timer: TimerId;
}

export class Reassembler {
  private readonly pending = new Map<string, Pending>();
  private bytesHeld = 0;

  constructor(
    private readonly clock: Clock,
    private readonly opts: ReassemblyOptions,
    private readonly stats: NetStats,
    /** Called when a datagram times out with its first fragment's header (for ICMP time exceeded). */
    private readonly onTimeout: (family: 4 | 6, header: Uint8Array | null) => void = () => {},
  ) {}

  /** Datagrams currently incomplete. */
  get size(): number {
    return this.pending.size;
  }

  get memoryUsed(): number {
    return this.bytesHeld;
  }

  /** Adds a fragment. Returns the complete datagram when this fragment finishes it, else null. */
  add(f: Fragment): Reassembled | null {
    this.stats.reassembly.fragmentsReceived++;
    const end = f.offset + f.data.length;
    if (!this.fragmentValid(f, end)) return null;
    const entry = this.pending.get(f.key) ?? this.create(f);
    if (entry === null) return null;
    const overlap = findOverlap(entry.ranges, f.offset, end);
    if (overlap === 'duplicate') {
      this.stats.reassembly.duplicates++;
      return null;
    }
    if (overlap === 'overlap' || !this.acceptEnd(entry, f, end)) {
      if (overlap === 'overlap') this.stats.reassembly.overlaps++;
      else this.stats.reassembly.invalid++;
      this.drop(entry);
      return null;
    }
    if (!this.store(entry, f, end)) return null;
    return this.completeOrNull(entry);
  }

  clear(): void {
    for (const entry of [...this.pending.values()]) this.drop(entry);
  }

  private fragmentValid(f: Fragment, end: number): boolean {
    const max = f.family === 4 ? MAX_PAYLOAD_V4 : MAX_PAYLOAD_V6;
    // RFC 8200 §4.5 / RFC 791: every fragment but the last carries a multiple of 8 bytes.
    const aligned = !f.more || (f.data.length > 0 && f.data.length % 8 === 0);
    if (end > max || !aligned) {
      this.stats.reassembly.invalid++;
      return false;
    }
    return true;
  }

  /** A last fragment fixes the length; nothing may lie beyond it, and it may not change. */
  private acceptEnd(entry: Pending, f: Fragment, end: number): boolean {
    if (f.more) return entry.total < 0 || end <= entry.total;
    if (entry.total >= 0 && entry.total !== end) return false;
    for (const r of entry.ranges) if (r[1] > end) return false;
    entry.total = end;
    return true;
  }

  private create(f: Fragment): Pending | null {
    while (this.pending.size >= this.opts.maxDatagrams) this.evictOldest();
    const entry: Pending = {
      key: f.key,
      family: f.family,
      ranges: [],
      data: new Uint8Array(0),
      total: -1,
      received: 0,
      header: null,
      timer: 0,
    };
    const timeout = f.family === 4 ? this.opts.timeoutV4Ms : this.opts.timeoutV6Ms;
    entry.timer = this.clock.setTimer(this.clock.now() + timeout, () => {
      entry.timer = 0;
      this.stats.reassembly.timeouts++;
      this.onTimeout(entry.family, entry.header);
      this.drop(entry);
    });
    this.pending.set(f.key, entry);
    return entry;
  }

  private store(entry: Pending, f: Fragment, end: number): boolean {
    if (!this.ensureCapacity(entry, end)) return false;
    entry.data.set(f.data, f.offset);
    entry.ranges.push([f.offset, end]);
    entry.received += f.data.length;
    if (f.offset === 0 && f.header !== null) entry.header = f.header.slice();
    return true;
  }

  /** Grows the entry's buffer to hold `end` bytes within the global memory bound. */
  private ensureCapacity(entry: Pending, end: number): boolean {
    if (entry.data.length >= end) return true;
    const size = Math.max(end, Math.min(entry.data.length * 2, 65536), 2048);
    const grow = size - entry.data.length;
    while (this.bytesHeld + grow > this.opts.maxBytes && this.pending.size > 1) {
      const oldest = this.pending.values().next().value as Pending;
      if (oldest === entry) break;
      this.evictOldest();
    }
    if (this.bytesHeld + grow > this.opts.maxBytes) {
      this.stats.reassembly.evicted++;
      this.drop(entry);
      return false;
    }
    const data = new Uint8Array(size);
    data.set(entry.data);
    entry.data = data;
    this.bytesHeld += grow;
    return true;
  }

  private completeOrNull(entry: Pending): Reassembled | null {
    if (entry.total < 0 || entry.received !== entry.total || entry.header === null) return null;
    const header = entry.header;
    // RFC 791 §3.1: Total Length (header included) is 16 bits; a first header with options leaves
    // less room than MAX_PAYLOAD_V4 assumes. Linux drops these too ("oversized IP packet").
    if (entry.family === 4 && header.length + entry.total > 0xffff) {
      this.stats.reassembly.invalid++;
      this.drop(entry);
      return null;
    }
    const payload = entry.data.subarray(0, entry.total);
    this.drop(entry);
    this.stats.reassembly.datagramsReassembled++;
    return { header, payload };
  }

  private evictOldest(): void {
    const oldest = this.pending.values().next().value as Pending | undefined;
    if (oldest === undefined) return;
    this.stats.reassembly.evicted++;
    this.drop(oldest);
  }

  private drop(entry: Pending): void {
    if (this.pending.get(entry.key) !== entry) return;
    if (entry.timer !== 0) this.clock.clearTimer(entry.timer);
    entry.timer = 0;
    this.bytesHeld -= entry.data.length;
    this.pending.delete(entry.key);
  }
}

function findOverlap(
  ranges: Array<[number, number]>,
  start: number,
  end: number,
): 'none' | 'duplicate' | 'overlap' {
  for (const [s, e] of ranges) {
    if (start < e && end > s) return s === start && e === end ? 'duplicate' : 'overlap';
  }
  return 'none';
}
