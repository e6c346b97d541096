// Labels from sequence numbers: gaps, retransmissions, out-of-order segments, new data.
// The rules follow Wireshark's tcp_analyze_sequence_number (epan/dissectors/packet-tcp.c).
import type { SegmentContext } from './segment-context.js';

/** Default out-of-order threshold when no RTT is known yet (Wireshark uses 3 ms too). */
const OOO_THRESHOLD_MS = 3;

/**
 * No retransmission timer fires sooner: RFC 6298 §2.4 rounds the RTO up to 1 s, Linux to 200 ms
 * (TCP_RTO_MIN). A resend sooner than this after the original was asked for, not timed out.
 */
const MIN_RTO_MS = 200;

/** Bytes skipped: this segment starts beyond everything seen so far in its direction. */
export function labelGap(ctx: SegmentContext): void {
  const { fwd } = ctx;
  if (ctx.rst || ctx.syn || !fwd.hasNext || ctx.seq <= fwd.nextSeq) return;
  ctx.labels.push({ kind: 'lost-segment', start: fwd.nextSeq, end: ctx.seq });
}

/**
 * A segment that starts below the highest sequence number seen: a fast retransmission (after
 * duplicate ACKs for exactly this byte, RFC 5681 §3.2, or sooner than any RTO after an ACK whose
 * SACK blocks report data above this hole, RFC 6675 §5 / RACK RFC 8985), an out-of-order arrival (never seen,
 * arriving shortly after later data), a spurious retransmission (already acknowledged), or a
 * retransmission (RFC 6298 §5: after a timeout when no duplicate ACKs asked for it).
 */
export function labelRetransmission(ctx: SegmentContext): void {
  const { fwd, rev, info } = ctx;
  if (ctx.syn || ctx.rst || ctx.keepAlive || ctx.zeroWindowProbe) return;
  if (ctx.len === 0 && !ctx.fin) return;
  if (!fwd.hasNext || ctx.seq >= fwd.nextSeq) return;
  if (ctx.fin && ctx.len === 0 && fwd.finAt < 0) return; // a FIN at a lower seq after a gap: not a copy
  const start = ctx.seq;
  const end = ctx.end + (ctx.fin ? 1 : 0);
  ctx.retransmission = true;
  const sentBefore = ctx.len > 0 ? fwd.sent.overlaps(start, ctx.end) : fwd.finAt >= 0;
  const originalTime = fwd.inFlight.markRetransmitted(start, end);
  const afterMs = originalTime >= 0 ? info.time - originalTime : -1;
  const beforeAnyRto = afterMs >= 0 && afterMs < MIN_RTO_MS;
  if (rev.dupAcks >= 2 && rev.lastAck === start) {
    ctx.labels.push({ kind: 'fast-retransmission', start, end: ctx.end, dupAcks: rev.dupAcks });
  } else if (sentBefore && beforeAnyRto && rev.lastAck <= start && rev.sackedUpTo > start) {
    ctx.labels.push({ kind: 'fast-retransmission', start, end: ctx.end, dupAcks: rev.dupAcks, sack: true });
  } else if (!sentBefore && info.time - fwd.nextSeqTime < outOfOrderThreshold(ctx)) {
    ctx.retransmission = false;
    ctx.labels.push({ kind: 'out-of-order', start, end: ctx.end });
  } else if (rev.hasAck && end <= rev.lastAck) {
    ctx.labels.push({ kind: 'spurious-retransmission', start, end: ctx.end });
  } else {
    const label: {
      kind: 'retransmission';
      start: number;
      end: number;
      cause: 'timeout' | 'unknown';
      afterMs?: number;
    } = {
      kind: 'retransmission',
      start,
      end: ctx.end,
      cause: rev.dupAcks === 0 && !beforeAnyRto ? 'timeout' : 'unknown',
    };
    if (afterMs >= 0) label.afterMs = afterMs;
    ctx.labels.push(label);
  }
}

function outOfOrderThreshold(ctx: SegmentContext): number {
  return ctx.conn.firstRtt > 0 ? Math.max(ctx.conn.firstRtt, OOO_THRESHOLD_MS) : OOO_THRESHOLD_MS;
}

/** New payload: "data a:b" (only for first transmissions). */
export function labelData(ctx: SegmentContext): void {
  if (ctx.len === 0 || ctx.retransmission) return;
  for (const label of ctx.labels) if (label.kind === 'out-of-order') return;
  ctx.labels.push({ kind: 'data', start: ctx.seq, end: ctx.end });
}
