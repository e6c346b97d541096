// The streaming TCP conversation analyzer: feed packets one at a time, get labels for each.
// Per-connection state for both directions in the spirit of Wireshark's tcp.analysis
// (epan/dissectors/packet-tcp.c): relative sequence numbers, next expected seq, last ACK,
// duplicate ACK counts, window scale from the handshake, bytes in flight, RTT samples.
import type { AnalyzedPacket } from './analyzed-packet.js';
import { type AnalyzerLimits, type Connection, ConnectionTable } from './connection.js';
import { parseRequestLine, parseStatusLine } from './http-hints.js';
import type { TcpPacketInfo } from './packet-info.js';
import { labelAckedUnseen, labelDuplicateAck, labelPureAck, labelSack, processAck } from './rules-ack.js';
import { labelClose, labelHandshake, labelReset, recordSynOptions } from './rules-lifecycle.js';
import { labelData, labelGap, labelRetransmission } from './rules-sequence.js';
import {
  labelProbeAnswers,
  labelProbes,
  labelWindowFull,
  labelWindowUpdate,
  labelZeroWindow,
} from './rules-window.js';
import { makeContext, type SegmentContext } from './segment-context.js';

export const DEFAULT_ANALYZER_LIMITS: Readonly<AnalyzerLimits> = Object.freeze({
  maxConnections: 4096,
  maxRanges: 64,
  maxSegments: 2048,
});

export class TcpAnalyzer {
  private readonly table: ConnectionTable;
  private count = 0;

  constructor(limits: Partial<AnalyzerLimits> = {}) {
    this.table = new ConnectionTable({ ...DEFAULT_ANALYZER_LIMITS, ...limits });
  }

  /** Connections currently remembered. */
  get connections(): number {
    return this.table.size;
  }

  /** Analyzes one packet; packets must come in capture order. */
  feed(info: TcpPacketInfo): AnalyzedPacket {
    const conn = this.table.lookup(info);
    const fromClient = conn.isFromClient(info);
    establishBases(conn, info, fromClient);
    const ctx = makeContext(info, conn, fromClient);
    applyRules(ctx);
    updateState(ctx);
    return {
      index: ++this.count,
      info,
      connection: conn.info,
      fromClient,
      seq: ctx.seq,
      ack: ctx.ack,
      window: ctx.window,
      sack: sackOf(ctx),
      inFlight: bytesInFlight(ctx),
      rtt: ctx.rtt,
      labels: ctx.labels,
    };
  }
}

/**
 * Relative numbering: a SYN's seq is offset 0; without a SYN, the first seq seen is offset 1
 * (and the first ACK seen for a direction is offset 1 of that direction), as if the SYN were just before.
 */
function establishBases(conn: Connection, info: TcpPacketInfo, fromClient: boolean): void {
  const fwd = fromClient ? conn.client : conn.server;
  const rev = fromClient ? conn.server : conn.client;
  const syn = (info.flags & 0x02) !== 0;
  if (syn && (!fwd.synSeen || fwd.base !== info.seq)) {
    if (fwd.synSeen) fwd.hasNext = false; // a new ISN: numbering starts over
    fwd.synSeen = false;
    fwd.setBase(info.seq, 0);
  } else if (!fwd.hasBase) {
    fwd.setBase(info.seq, 1);
  }
  if ((info.flags & 0x10) !== 0 && !rev.hasBase) rev.setBase(info.ack, 1);
}

function applyRules(ctx: SegmentContext): void {
  if (ctx.info.dropped) ctx.labels.push({ kind: 'dropped' });
  labelHandshake(ctx);
  recordSynOptions(ctx);
  labelReset(ctx);
  if (!ctx.syn) {
    labelProbes(ctx);
    labelZeroWindow(ctx);
    labelGap(ctx);
    labelRetransmission(ctx);
    labelProbeAnswers(ctx);
    labelWindowUpdate(ctx);
    labelWindowFull(ctx);
    labelDuplicateAck(ctx);
    labelAckedUnseen(ctx);
  }
  processAck(ctx);
  labelHttp(ctx);
  labelData(ctx);
  labelSack(ctx);
  labelClose(ctx);
  labelPureAck(ctx);
}

/** HTTP/1.x request and status lines at the start of new data (RFC 9112 §3, §4). */
function labelHttp(ctx: SegmentContext): void {
  const head = ctx.info.payloadHead;
  if (ctx.len === 0 || ctx.retransmission || !head || head.length === 0) return;
  const request = parseRequestLine(head);
  if (request) {
    ctx.labels.push({ kind: 'http-request', ...request });
    return;
  }
  const status = parseStatusLine(head);
  if (!status) return;
  ctx.labels.push({ kind: 'http-response', ...status });
  if (!ctx.fwd.httpResponseVersion) ctx.fwd.httpResponseVersion = status.version;
}

function updateState(ctx: SegmentContext): void {
  const { fwd, info } = ctx;
  fwd.lastSendTime = info.time;
  if (ctx.rst) return;
  const seqEnd = ctx.end + (ctx.syn ? 1 : 0) + (ctx.fin ? 1 : 0);
  if (ctx.len > 0) fwd.sent.add(ctx.seq, ctx.end);
  if (!fwd.hasNext || seqEnd > fwd.nextSeq) {
    const firstTransmission = !ctx.retransmission && (!fwd.hasNext || ctx.seq >= fwd.nextSeq);
    if (firstTransmission && seqEnd > ctx.seq) fwd.inFlight.push(ctx.seq, seqEnd, info.time);
    fwd.nextSeq = seqEnd;
    fwd.hasNext = true;
    fwd.nextSeqTime = info.time;
  }
  if (ctx.hasAck && (!fwd.hasAck || ctx.ack > fwd.lastAck)) {
    fwd.lastAck = ctx.ack;
    fwd.lastAckTime = info.time;
    fwd.hasAck = true;
    fwd.dupAcks = 0;
  }
  if (!ctx.syn) fwd.window = ctx.window;
  countArrivals(ctx);
  fwd.lastWasKeepAlive = ctx.keepAlive;
  fwd.lastWasZeroWindowProbe = ctx.zeroWindowProbe;
}

/** Data segments waiting for an ACK at the receiver: what a delayed ACK covers (RFC 5681 §4.2). */
function countArrivals(ctx: SegmentContext): void {
  if (ctx.hasAck) ctx.fwd.receivedSinceAck = 0;
  if (ctx.len === 0) return;
  if (ctx.rev.receivedSinceAck === 0) ctx.rev.firstReceivedSinceAckTime = ctx.info.time;
  ctx.rev.receivedSinceAck++;
}

function sackOf(ctx: SegmentContext): ReadonlyArray<readonly [number, number]> | undefined {
  for (const label of ctx.labels) if (label.kind === 'sack') return label.blocks;
  return undefined;
}

/** Wireshark's tcp.analysis.bytes_in_flight: sent by this side, not yet acknowledged by the other. */
function bytesInFlight(ctx: SegmentContext): number {
  if (ctx.len === 0 && !ctx.fin) return -1;
  const acked = ctx.rev.hasAck ? ctx.rev.lastAck : 1;
  return Math.max(0, ctx.fwd.nextSeq - acked);
}
