// Software GRO: consecutive in-order data segments of one connection that arrive in one receive
// batch are merged into one segment before the engine sees them, so the engine runs once per
// batch instead of once per 1448-byte segment (gVisor's dispatcher does this for its batches;
// Linux's tcp_gro_receive for each NAPI poll). The rules are Linux's (net/ipv4/tcp_offload.c):
//  - a segment joins only if it continues the held one exactly (SEG.SEQ = held SEQ + length), with
//    the same ACK number, window field, flags (PSH aside) and timestamps, and is no longer than the
//    first segment (the peer's MSS);
//  - a PSH, or a segment shorter than the first, joins and then ends the merged segment;
//  - SYN, FIN, RST, URG, ECE, CWR, any option but timestamps, an out-of-order segment, or a
//    connection with a gap in its receive queue: never held, and any held segment goes first.
// Out-of-order data therefore still reaches the engine segment by segment, and each gets its
// duplicate ACK at once (RFC 5681 §4.2); a gap filled gets its immediate ACK too.
//
// Sans-IO: the owner calls offer() per segment, flush() at the end of each receive batch, and
// gets merged segments through `deliver`. Bytes held are copied into one reusable buffer.

import { TcpFlags, type TcpSegment } from './segment.js';

/** Flags a held segment may carry: ACK, and PSH on the last one. */
const MERGEABLE_FLAGS = TcpFlags.ACK | TcpFlags.PSH;
/** IPv4's 16-bit total length less the largest IP and TCP headers: what one segment can carry. */
export const MAX_COALESCED_PAYLOAD = 65535 - 60 - 60;

export interface CoalescerStats {
  /** Segments offered that were held (copied) to be merged. */
  held: number;
  /** Merged segments handed to the engine (each covers one or more held segments). */
  delivered: number;
}

/** What the coalescer needs to know of a connection: its RCV.NXT, or -1 when it must not merge. */
export type NextInOrder<K> = (key: K) => number;

export class SegmentCoalescer<K> {
  readonly stats: CoalescerStats = { held: 0, delivered: 0 };
  private readonly buffer = new Uint8Array(MAX_COALESCED_PAYLOAD);
  private readonly merged: TcpSegment = {
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    window: 0,
    urgent: 0,
    options: {},
    payload: this.buffer.subarray(0, 0),
    segmentCount: 0,
  };
  private readonly timestamp = { value: 0, echo: 0 };
  private key: K | null = null;
  private length = 0;
  /** Segments merged into the held one. */
  private count = 0;
  /** Payload length of the first held segment: the peer's segment size. */
  private segmentSize = 0;
  private hasTimestamp = false;

  constructor(
    private readonly nextInOrder: NextInOrder<K>,
    private readonly deliver: (key: K, seg: TcpSegment) => void,
  ) {}

  /** Segments held right now (0 or one merged segment). */
  get pending(): boolean {
    return this.key !== null;
  }

  /**
   * Hold `seg` (true: copied, the caller must not deliver it) or not (false: the caller delivers
   * it now; anything held was delivered first, so order is kept).
   */
  offer(key: K, seg: TcpSegment): boolean {
    if (this.key !== null) {
      if (this.key === key && this.joins(seg)) {
        this.append(seg);
        if (this.endsRun(seg)) this.flush();
        return true;
      }
      this.flush();
    }
    if (!this.canStart(key, seg)) return false;
    this.start(key, seg);
    return true;
  }

  /** Hand the held segment, if any, to the engine (end of a receive batch). */
  flush(): void {
    const key = this.key;
    if (key === null) return;
    this.key = null;
    this.merged.payload = this.buffer.subarray(0, this.length);
    this.merged.segmentCount = this.count;
    this.merged.options.timestamp = this.hasTimestamp ? this.timestamp : undefined;
    this.stats.delivered++;
    this.deliver(key, this.merged);
  }

  /** Forget what is held without delivering it (the owner is closing). */
  drop(): void {
    this.key = null;
  }

  private canStart(key: K, seg: TcpSegment): boolean {
    const length = seg.payload.length;
    if (length === 0 || length * 2 > MAX_COALESCED_PAYLOAD) return false; // super-frames pass
    if (seg.flags !== TcpFlags.ACK) return false; // a PSH would end the run at once: nothing to merge
    if (!onlyTimestamps(seg)) return false;
    return this.nextInOrder(key) === seg.seq;
  }

  private start(key: K, seg: TcpSegment): void {
    const m = this.merged;
    m.srcPort = seg.srcPort;
    m.dstPort = seg.dstPort;
    m.seq = seg.seq;
    m.ack = seg.ack;
    m.flags = seg.flags;
    m.window = seg.window;
    m.urgent = 0;
    const ts = seg.options.timestamp;
    this.hasTimestamp = ts !== undefined;
    if (ts !== undefined) {
      this.timestamp.value = ts.value;
      this.timestamp.echo = ts.echo;
    }
    this.key = key;
    this.length = 0;
    this.count = 0;
    this.segmentSize = seg.payload.length;
    this.append(seg);
  }

  /** tcp_gro_receive's flush conditions, in the same order. */
  private joins(seg: TcpSegment): boolean {
    const m = this.merged;
    const length = seg.payload.length;
    if (length === 0 || length > this.segmentSize) return false;
    if (this.length + length > MAX_COALESCED_PAYLOAD) return false;
    if ((seg.flags & ~TcpFlags.PSH) !== (m.flags & ~TcpFlags.PSH) || (seg.flags & ~MERGEABLE_FLAGS) !== 0) {
      return false;
    }
    if (seg.ack !== m.ack || seg.window !== m.window) return false;
    if (seg.seq !== (m.seq + this.length) >>> 0) return false;
    if (!onlyTimestamps(seg)) return false;
    const ts = seg.options.timestamp;
    if (ts === undefined) return !this.hasTimestamp;
    return this.hasTimestamp && ts.value === this.timestamp.value && ts.echo === this.timestamp.echo;
  }

  /** A PSH or a short segment is the last of a run (tcp_gro_receive's out_check_final). */
  private endsRun(seg: TcpSegment): boolean {
    return (seg.flags & TcpFlags.PSH) !== 0 || seg.payload.length < this.segmentSize;
  }

  private append(seg: TcpSegment): void {
    this.buffer.set(seg.payload, this.length);
    this.length += seg.payload.length;
    this.merged.flags |= seg.flags & TcpFlags.PSH;
    this.count++;
    this.stats.held++;
  }
}

function onlyTimestamps(seg: TcpSegment): boolean {
  const o = seg.options;
  return (
    o.mss === undefined &&
    o.wscale === undefined &&
    o.sackPermitted === undefined &&
    (o.sackBlocks === undefined || o.sackBlocks.length === 0)
  );
}
