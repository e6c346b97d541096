// Resets for segments that match no connection (RFC 9293 §3.10.7.1 "If the state is CLOSED"), for the
// demultiplexer above the engine.

import { EMPTY_PAYLOAD, segmentLength, TcpFlags, type TcpSegment } from './segment.js';

/**
 * The RST that answers `seg` when no connection exists, or null if none must be sent (an arriving RST is
 * discarded). If the ACK bit is off: <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>; if on: <SEQ=SEG.ACK><CTL=RST>.
 */
export function rstForUnmatched(seg: TcpSegment): TcpSegment | null {
  if (seg.flags & TcpFlags.RST) return null;
  const hasAck = (seg.flags & TcpFlags.ACK) !== 0;
  return {
    srcPort: seg.dstPort,
    dstPort: seg.srcPort,
    seq: hasAck ? seg.ack >>> 0 : 0,
    ack: hasAck ? 0 : (seg.seq + segmentLength(seg)) >>> 0,
    flags: hasAck ? TcpFlags.RST : TcpFlags.RST | TcpFlags.ACK,
    window: 0,
    urgent: 0,
    options: {},
    payload: EMPTY_PAYLOAD,
  };
}
