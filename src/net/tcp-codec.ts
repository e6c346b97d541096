// TCP header <-> TcpSegment for the stack's hot path (RFC 9293 §3.1, options RFC 9293 §3.2,
// RFC 7323 §2.2/§3.2, RFC 2018 §2/§3). Reading fills a reusable segment without allocating;
// writing lays the header out in Linux's option order so traces look familiar.
import type { TcpSegment, TcpSegmentOptions } from '../tcp/segment.js';
import { get16, get32, set16, set32 } from '../wire/bytes.js';
import { wireError } from '../wire/errors.js';

export const TCP_HEADER_MIN = 20;
const OPT_EOL = 0;
const OPT_NOP = 1;
const OPT_MSS = 2;
const OPT_WSCALE = 3;
const OPT_SACK_PERMITTED = 4;
const OPT_SACK = 5;
const OPT_TIMESTAMP = 8;

/** Reusable storage behind a segment's options (SACK tuples and the timestamp object). */
export class TcpOptionScratch {
  readonly blocks: Array<[number, number]> = [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  readonly sackList: Array<[number, number]> = [];
  readonly timestamp = { value: 0, echo: 0 };
}

/**
 * Parses the TCP header at buf[off, off+len) into `seg` (payload = a subarray view).
 * Throws WireError for a data offset outside [5, len/4] or a malformed option.
 */
export function readTcpSegment(
  buf: Uint8Array,
  off: number,
  len: number,
  seg: TcpSegment,
  scratch: TcpOptionScratch,
): void {
  if (len < TCP_HEADER_MIN) wireError('truncated', `TCP: ${len} bytes, header needs 20`);
  const headerLength = (buf[off + 12] >> 4) * 4;
  if (headerLength < TCP_HEADER_MIN || headerLength > len) {
    wireError('bad-length', `TCP: data offset ${headerLength} bytes with ${len} available`);
  }
  seg.srcPort = get16(buf, off);
  seg.dstPort = get16(buf, off + 2);
  seg.seq = get32(buf, off + 4);
  seg.ack = get32(buf, off + 8);
  seg.flags = buf[off + 13];
  seg.window = get16(buf, off + 14);
  seg.urgent = get16(buf, off + 18);
  readOptions(buf, off + TCP_HEADER_MIN, off + headerLength, seg.options, scratch);
  seg.payload = buf.subarray(off + headerLength, off + len);
}

function readOptions(
  buf: Uint8Array,
  start: number,
  end: number,
  o: TcpSegmentOptions,
  scratch: TcpOptionScratch,
): void {
  o.mss = undefined;
  o.wscale = undefined;
  o.sackPermitted = undefined;
  o.sackBlocks = undefined;
  o.timestamp = undefined;
  let i = start;
  while (i < end) {
    const kind = buf[i];
    if (kind === OPT_EOL) return;
    if (kind === OPT_NOP) {
      i++;
      continue;
    }
    // RFC 9293 §3.2: every other option has a length octet covering kind and length.
    if (i + 1 >= end) wireError('bad-option', `TCP option ${kind} has no length`);
    const optLen = buf[i + 1];
    if (optLen < 2 || i + optLen > end) wireError('bad-option', `TCP option ${kind} length ${optLen}`);
    readOption(buf, i, kind, optLen, o, scratch);
    i += optLen;
  }
}

function readOption(
  buf: Uint8Array,
  i: number,
  kind: number,
  optLen: number,
  o: TcpSegmentOptions,
  scratch: TcpOptionScratch,
): void {
  // Known options with the wrong length are skipped like unknown ones (RFC 9293 §3.2 robustness).
  if (kind === OPT_MSS && optLen === 4) o.mss = get16(buf, i + 2);
  else if (kind === OPT_WSCALE && optLen === 3) o.wscale = buf[i + 2];
  else if (kind === OPT_SACK_PERMITTED && optLen === 2) o.sackPermitted = true;
  else if (kind === OPT_TIMESTAMP && optLen === 10) {
    scratch.timestamp.value = get32(buf, i + 2);
    scratch.timestamp.echo = get32(buf, i + 6);
    o.timestamp = scratch.timestamp;
  } else if (kind === OPT_SACK && optLen >= 10 && (optLen - 2) % 8 === 0) {
    const list = scratch.sackList;
    const n = Math.min(4, (optLen - 2) / 8);
    list.length = 0;
    for (let b = 0; b < n; b++) {
      const block = scratch.blocks[b];
      block[0] = get32(buf, i + 2 + b * 8);
      block[1] = get32(buf, i + 6 + b * 8);
      list.push(block);
    }
    o.sackBlocks = list;
  }
}

/** Bytes of options `writeTcpSegment` emits for this segment (a multiple of 4, at most 40). */
export function tcpOptionsLength(seg: TcpSegment): number {
  const o = seg.options;
  let n = 0;
  if (o.mss !== undefined) n += 4;
  if (o.sackPermitted && o.timestamp)
    n += 12; // SACK-perm + TS
  else if (o.timestamp)
    n += 12; // NOP NOP TS
  else if (o.sackPermitted) n += 4; // NOP NOP SACK-perm
  if (o.wscale !== undefined) n += 4; // NOP WS
  n += sackBytes(o, n);
  return n;
}

function sackBytes(o: TcpSegmentOptions, used: number): number {
  const blocks = o.sackBlocks;
  if (!blocks || blocks.length === 0) return 0;
  const fit = Math.min(blocks.length, Math.floor((40 - used - 4) / 8));
  return fit > 0 ? 4 + fit * 8 : 0;
}

/**
 * Writes header + options + payload at buf[off..]; the checksum field is left 0 for the caller.
 * Returns the bytes written. Option order as Linux: MSS, SACK-perm, TS, NOP+WS, then SACK blocks.
 */
export function writeTcpSegment(seg: TcpSegment, buf: Uint8Array, off: number): number {
  const optLen = tcpOptionsLength(seg);
  const headerLength = TCP_HEADER_MIN + optLen;
  set16(buf, off, seg.srcPort);
  set16(buf, off + 2, seg.dstPort);
  set32(buf, off + 4, seg.seq);
  set32(buf, off + 8, seg.ack);
  buf[off + 12] = (headerLength / 4) << 4;
  buf[off + 13] = seg.flags & 0xff;
  set16(buf, off + 14, seg.window);
  buf[off + 16] = 0;
  buf[off + 17] = 0;
  set16(buf, off + 18, seg.urgent);
  writeOptions(seg.options, buf, off + TCP_HEADER_MIN);
  buf.set(seg.payload, off + headerLength);
  return headerLength + seg.payload.length;
}

function writeOptions(o: TcpSegmentOptions, buf: Uint8Array, start: number): void {
  let i = start;
  if (o.mss !== undefined) {
    buf[i] = OPT_MSS;
    buf[i + 1] = 4;
    set16(buf, i + 2, o.mss);
    i += 4;
  }
  if (o.sackPermitted && o.timestamp) {
    buf[i] = OPT_SACK_PERMITTED;
    buf[i + 1] = 2;
    i = writeTimestamp(o.timestamp, buf, i + 2);
  } else if (o.timestamp) {
    buf[i] = OPT_NOP;
    buf[i + 1] = OPT_NOP;
    i = writeTimestamp(o.timestamp, buf, i + 2);
  } else if (o.sackPermitted) {
    buf[i] = OPT_NOP;
    buf[i + 1] = OPT_NOP;
    buf[i + 2] = OPT_SACK_PERMITTED;
    buf[i + 3] = 2;
    i += 4;
  }
  if (o.wscale !== undefined) {
    buf[i] = OPT_NOP;
    buf[i + 1] = OPT_WSCALE;
    buf[i + 2] = 3;
    buf[i + 3] = o.wscale;
    i += 4;
  }
  writeSack(o, buf, i, i - start);
}

function writeTimestamp(ts: { value: number; echo: number }, buf: Uint8Array, i: number): number {
  buf[i] = OPT_TIMESTAMP;
  buf[i + 1] = 10;
  set32(buf, i + 2, ts.value);
  set32(buf, i + 6, ts.echo);
  return i + 10;
}

function writeSack(o: TcpSegmentOptions, buf: Uint8Array, i: number, used: number): void {
  const blocks = o.sackBlocks;
  const total = sackBytes(o, used);
  if (!blocks || total === 0) return;
  const n = (total - 4) / 8;
  buf[i] = OPT_NOP;
  buf[i + 1] = OPT_NOP;
  buf[i + 2] = OPT_SACK;
  buf[i + 3] = 2 + n * 8;
  for (let b = 0; b < n; b++) {
    set32(buf, i + 4 + b * 8, blocks[b][0]);
    set32(buf, i + 8 + b * 8, blocks[b][1]);
  }
}
