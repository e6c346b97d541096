// Everything the labeling rules need to know about the packet being analyzed, computed once.
import type { Connection } from './connection.js';
import type { HalfState } from './half-state.js';
import type { TcpLabel } from './labels.js';
import { TCP_ACK, TCP_FIN, TCP_RST, TCP_SYN, type TcpPacketInfo } from './packet-info.js';

export interface SegmentContext {
  readonly info: TcpPacketInfo;
  readonly conn: Connection;
  readonly fromClient: boolean;
  /** State of the sender's direction and of the receiver's. */
  readonly fwd: HalfState;
  readonly rev: HalfState;
  readonly syn: boolean;
  readonly fin: boolean;
  readonly rst: boolean;
  readonly hasAck: boolean;
  /** Relative sequence number, payload end (seq + length), and the relative ACK (in rev's space). */
  readonly seq: number;
  readonly end: number;
  readonly len: number;
  readonly ack: number;
  /** Advertised window in bytes (scaled when the scale is known). */
  readonly window: number;
  /** Set by the rules as they go. */
  keepAlive: boolean;
  zeroWindowProbe: boolean;
  retransmission: boolean;
  duplicateAck: boolean;
  /** Segments this ACK acknowledged (first transmissions), and an RTT sample (-1: none). */
  ackedSegments: number;
  rtt: number;
  readonly labels: TcpLabel[];
}

export function makeContext(info: TcpPacketInfo, conn: Connection, fromClient: boolean): SegmentContext {
  const fwd = fromClient ? conn.client : conn.server;
  const rev = fromClient ? conn.server : conn.client;
  const syn = (info.flags & TCP_SYN) !== 0;
  const hasAck = (info.flags & TCP_ACK) !== 0;
  const seq = fwd.toRelative(info.seq);
  return {
    info,
    conn,
    fromClient,
    fwd,
    rev,
    syn,
    fin: (info.flags & TCP_FIN) !== 0,
    rst: (info.flags & TCP_RST) !== 0,
    hasAck,
    seq,
    end: seq + info.payloadLength,
    len: info.payloadLength,
    ack: hasAck ? rev.toRelative(info.ack) : 0,
    window: scaledWindow(info, conn, fwd, syn),
    keepAlive: false,
    zeroWindowProbe: false,
    retransmission: false,
    duplicateAck: false,
    ackedSegments: 0,
    rtt: -1,
    labels: [],
  };
}

/**
 * The window in bytes. RFC 7323 §2.2: the window field of a SYN is never scaled; scaling is in
 * effect only when both SYNs carried the option, each side shifting by the value it sent (§2.3).
 */
function scaledWindow(info: TcpPacketInfo, conn: Connection, fwd: HalfState, syn: boolean): number {
  if (syn) return info.window;
  if (info.windowShift !== undefined) return info.window * 2 ** info.windowShift;
  const bothOffered = conn.client.offeredShift >= 0 && conn.server.offeredShift >= 0;
  return bothOffered ? info.window * 2 ** fwd.offeredShift : info.window;
}

/** True when `kind` is already among the labels. */
export function hasLabel(ctx: SegmentContext, kind: TcpLabel['kind']): boolean {
  for (const label of ctx.labels) if (label.kind === kind) return true;
  return false;
}
