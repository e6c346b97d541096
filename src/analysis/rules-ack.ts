// Labels about acknowledgments: duplicate ACKs (RFC 5681 §2), SACK blocks (RFC 2018 §3),
// ACKs of data the capture never saw, and plain / delayed ACKs (RFC 1122 §4.2.3.2, RFC 5681 §4.2).
import type { TcpLabel } from './labels.js';
import { hasLabel, type SegmentContext } from './segment-context.js';

/** A single-segment ACK counts as delayed when it waited at least this long (Linux delays >= 40 ms). */
const DELAYED_ACK_MIN_MS = 30;

const ackScratch = { rtt: -1 };

/** Duplicate ACK: same ACK, same non-zero window, no data, nothing else new. */
export function labelDuplicateAck(ctx: SegmentContext): void {
  const { fwd } = ctx;
  if (ctx.duplicateAck || ctx.keepAlive || ctx.zeroWindowProbe) return;
  if (ctx.len !== 0 || ctx.syn || ctx.fin || ctx.rst || !ctx.hasAck || !fwd.hasAck) return;
  if (ctx.window === 0 || ctx.window !== fwd.window) return;
  if (ctx.seq !== fwd.nextSeq || ctx.ack !== fwd.lastAck) return;
  fwd.dupAcks++;
  ctx.duplicateAck = true;
  ctx.labels.push({ kind: 'dup-ack', ack: ctx.ack, count: fwd.dupAcks });
}

/** The ACK covers bytes the other side was never seen sending. */
export function labelAckedUnseen(ctx: SegmentContext): void {
  const { rev } = ctx;
  if (ctx.hasAck && rev.hasNext && ctx.ack > rev.nextSeq)
    ctx.labels.push({ kind: 'acked-unseen', ack: ctx.ack });
}

/**
 * SACK blocks, relative to the other direction's sequence space. A first block below the ACK
 * number, or inside the second block, is a D-SACK: bytes received twice (RFC 2883 §4).
 */
export function labelSack(ctx: SegmentContext): void {
  const blocks = ctx.info.options?.sackBlocks;
  if (!ctx.hasAck || ctx.rst) return;
  if (!blocks || blocks.length === 0) {
    ctx.fwd.sackedUpTo = 0;
    return;
  }
  const rel: Array<[number, number]> = blocks.map(([l, r]) => [ctx.rev.toRelative(l), ctx.rev.toRelative(r)]);
  const [first, second] = rel;
  const duplicate =
    first[1] <= ctx.ack || (second !== undefined && first[0] >= second[0] && first[1] <= second[1]);
  if (duplicate) ctx.labels.push({ kind: 'dsack', start: first[0], end: first[1] });
  const reported = duplicate ? rel.slice(1) : rel;
  let highest = 0;
  for (const [, right] of reported) if (right > highest) highest = right;
  ctx.fwd.sackedUpTo = highest;
  if (reported.length > 0) ctx.labels.push({ kind: 'sack', blocks: reported });
}

/** Removes acknowledged segments from the peer's in-flight list; yields an RTT sample (Karn's rule). */
export function processAck(ctx: SegmentContext): void {
  if (!ctx.hasAck || ctx.rst) return;
  ctx.ackedSegments = ctx.rev.inFlight.acknowledge(ctx.ack, ctx.info.time, ackScratch);
  ctx.rtt = ackScratch.rtt;
  if (ctx.rtt >= 0 && ctx.conn.firstRtt < 0) ctx.conn.firstRtt = ctx.rtt;
}

const SPECIAL_ACKS: ReadonlyArray<TcpLabel['kind']> = [
  'handshake',
  'dup-ack',
  'window-update',
  'keep-alive',
  'keep-alive-ack',
  'zero-window-probe',
  'zero-window-probe-ack',
  'close',
];

/**
 * A pure ACK that is nothing more: "ACK: we have everything up to N". Delayed when it answers two or
 * more segments that arrived since the receiver's previous ACK, or one segment after a timer's wait.
 */
export function labelPureAck(ctx: SegmentContext): void {
  if (ctx.len !== 0 || !ctx.hasAck || ctx.syn || ctx.fin || ctx.rst) return;
  for (const kind of SPECIAL_ACKS) if (hasLabel(ctx, kind)) return;
  const { fwd } = ctx;
  const segments = fwd.receivedSinceAck;
  const waited = segments > 0 ? ctx.info.time - fwd.firstReceivedSinceAckTime : 0;
  const waitedForTimer = segments === 1 && waited >= DELAYED_ACK_MIN_MS && waited > 2 * ctx.conn.firstRtt;
  if (segments >= 2 || waitedForTimer) {
    ctx.labels.push({ kind: 'delayed-ack', ack: ctx.ack, segments, waitedMs: waited });
  } else {
    ctx.labels.push({ kind: 'ack', ack: ctx.ack, segments });
  }
}
