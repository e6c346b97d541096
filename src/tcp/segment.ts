// A TCP segment as the engine sees it: parsed, checksum-verified, ports and fields as plain numbers.
// RFC 9293 §3.1 (header format). The wire layer (src/wire) converts between this and bytes.

/** TCP header flag bits (RFC 9293 §3.1, RFC 3168 for ECE/CWR). */
export const TcpFlags = { FIN: 1, SYN: 2, RST: 4, PSH: 8, ACK: 16, URG: 32, ECE: 64, CWR: 128 } as const;

export interface TcpSegmentOptions {
  /** Maximum Segment Size (RFC 9293 §3.7.1); only on SYN segments. */
  mss?: number;
  /** Window scale shift count (RFC 7323 §2); only on SYN segments. */
  wscale?: number;
  /** SACK-permitted (RFC 2018 §2); only on SYN segments. */
  sackPermitted?: boolean;
  /** SACK blocks as [left, right) u32 edges (RFC 2018 §3), most recent first. */
  sackBlocks?: Array<[number, number]>;
  /** Timestamps option TSval/TSecr (RFC 7323 §3). */
  timestamp?: { value: number; echo: number };
}

export interface TcpSegment {
  srcPort: number;
  dstPort: number;
  /** u32 as a JS number (0 .. 2^32-1). */
  seq: number;
  /** u32 as a JS number; meaningful only when ACK is set. */
  ack: number;
  /** TcpFlags bitmask. */
  flags: number;
  /** The 16-bit window field as on the wire (unscaled). */
  window: number;
  urgent: number;
  options: TcpSegmentOptions;
  /** A view; valid only during the call that hands it over. */
  payload: Uint8Array;
  /**
   * Segmentation offload (TSO): a payload longer than one segment, to be cut into segments of this
   * many payload bytes by the device, each with this header. 0 or absent: one segment as it is.
   */
  gsoSize?: number;
  /**
   * Receive: how many wire segments this one stands for, when a receive coalescer merged them
   * (Linux's gso_segs after GRO). Counters count wire segments. Absent: 1.
   */
  segmentCount?: number;
}

export const EMPTY_PAYLOAD: Uint8Array = new Uint8Array(0);

/** A fresh, empty segment (all fields zero). */
export function emptySegment(): TcpSegment {
  return {
    srcPort: 0,
    dstPort: 0,
    seq: 0,
    ack: 0,
    flags: 0,
    window: 0,
    urgent: 0,
    options: {},
    payload: EMPTY_PAYLOAD,
  };
}

/** Sequence space a segment occupies: payload length plus one for SYN and one for FIN (RFC 9293 §3.4). */
export function segmentLength(seg: TcpSegment): number {
  return seg.payload.length + (seg.flags & TcpFlags.SYN ? 1 : 0) + (seg.flags & TcpFlags.FIN ? 1 : 0);
}

/** Flags as tcpdump writes them: "S", "S.", "P.", "F.", "R" ... */
export function flagsToString(flags: number): string {
  let s = '';
  if (flags & TcpFlags.SYN) s += 'S';
  if (flags & TcpFlags.FIN) s += 'F';
  if (flags & TcpFlags.RST) s += 'R';
  if (flags & TcpFlags.PSH) s += 'P';
  if (flags & TcpFlags.URG) s += 'U';
  if (flags & TcpFlags.ECE) s += 'E';
  if (flags & TcpFlags.CWR) s += 'W';
  if (flags & TcpFlags.ACK) s += '.';
  return s === '' ? 'none' : s;
}

/** Deep copy of a segment (the payload is copied too): for keeping what emit hands over. */
export function cloneSegment(seg: TcpSegment): TcpSegment {
  const o = seg.options;
  const options: TcpSegmentOptions = {};
  if (o.mss !== undefined) options.mss = o.mss;
  if (o.wscale !== undefined) options.wscale = o.wscale;
  if (o.sackPermitted) options.sackPermitted = true;
  if (o.sackBlocks && o.sackBlocks.length > 0) options.sackBlocks = o.sackBlocks.map(([l, r]) => [l, r]);
  if (o.timestamp) options.timestamp = { value: o.timestamp.value, echo: o.timestamp.echo };
  return { ...seg, options, payload: seg.payload.slice() };
}

/** One-line tcpdump-like summary, for logs and test failure messages. */
export function summarizeSegment(seg: TcpSegment): string {
  const parts = [`${seg.srcPort} > ${seg.dstPort}`, `[${flagsToString(seg.flags)}]`, `seq ${seg.seq}`];
  if (seg.flags & TcpFlags.ACK) parts.push(`ack ${seg.ack}`);
  parts.push(`win ${seg.window}`);
  const o = seg.options;
  const opts: string[] = [];
  if (o.mss !== undefined) opts.push(`mss ${o.mss}`);
  if (o.sackPermitted) opts.push('sackOK');
  if (o.timestamp) opts.push(`TS val ${o.timestamp.value} ecr ${o.timestamp.echo}`);
  if (o.wscale !== undefined) opts.push(`wscale ${o.wscale}`);
  if (o.sackBlocks && o.sackBlocks.length > 0)
    opts.push(`sack ${o.sackBlocks.map(([l, r]) => `{${l}:${r}}`).join('')}`);
  if (opts.length > 0) parts.push(`options [${opts.join(',')}]`);
  parts.push(`length ${seg.payload.length}`);
  return parts.join(' ');
}
