// Labels about windows and liveness: zero window and its probes (RFC 9293 §3.8.6.1),
// keep-alives (RFC 1122 §4.2.3.6), window updates, a full window.
// Conditions follow Wireshark's tcp_analyze_sequence_number (packet-tcp.c).
import type { SegmentContext } from './segment-context.js';

function isControl(ctx: SegmentContext): boolean {
  return ctx.syn || ctx.fin || ctx.rst;
}

/**
 * Keep-alive: zero or one byte at seq = next - 1 (already acknowledged), so the peer must ACK.
 * The same shape sent into a zero window is a zero window probe, as is one new byte (Linux and BSD).
 */
export function labelProbes(ctx: SegmentContext): void {
  const { fwd, rev } = ctx;
  if (isControl(ctx) || !fwd.hasNext || ctx.len > 1) return;
  const keepAliveShape = ctx.seq === fwd.nextSeq - 1;
  const oneNewByte = ctx.len === 1 && ctx.seq === fwd.nextSeq;
  if (rev.window === 0 && (keepAliveShape || oneNewByte)) {
    ctx.zeroWindowProbe = true;
    ctx.labels.push({ kind: 'zero-window-probe' });
  } else if (keepAliveShape) {
    ctx.keepAlive = true;
    ctx.labels.push({ kind: 'keep-alive' });
  }
}

/** The receiver advertises no room at all. */
export function labelZeroWindow(ctx: SegmentContext): void {
  if (ctx.window === 0 && !isControl(ctx)) ctx.labels.push({ kind: 'zero-window' });
}

/** True for an empty segment that repeats the sender's previous seq and ACK. */
function repeatsLastAck(ctx: SegmentContext): boolean {
  const { fwd } = ctx;
  return (
    ctx.len === 0 &&
    !isControl(ctx) &&
    ctx.hasAck &&
    fwd.hasAck &&
    ctx.seq === fwd.nextSeq &&
    ctx.ack === fwd.lastAck
  );
}

/** Answers to probes: same seq and ACK, right after a keep-alive or zero window probe. */
export function labelProbeAnswers(ctx: SegmentContext): void {
  const { rev } = ctx;
  if (!repeatsLastAck(ctx)) return;
  if (rev.lastWasKeepAlive) ctx.labels.push({ kind: 'keep-alive-ack' });
  else if (rev.lastWasZeroWindowProbe && ctx.window === 0) ctx.labels.push({ kind: 'zero-window-probe-ack' });
  else return;
  ctx.duplicateAck = true; // not counted as a duplicate ACK below
}

/** Window update: nothing new but the window changed (and is not zero). */
export function labelWindowUpdate(ctx: SegmentContext): void {
  const { fwd } = ctx;
  if (ctx.duplicateAck || !repeatsLastAck(ctx) || fwd.window < 0) return;
  if (ctx.window !== fwd.window && ctx.window !== 0) {
    ctx.labels.push({ kind: 'window-update', window: ctx.window });
    ctx.duplicateAck = true; // handled: not a duplicate ACK
  }
}

/** Window full: this segment fills the receiver's advertised window exactly. */
export function labelWindowFull(ctx: SegmentContext): void {
  const { rev } = ctx;
  if (ctx.len === 0 || isControl(ctx) || rev.window < 0 || !rev.hasAck) return;
  if (ctx.end === rev.lastAck + rev.window) ctx.labels.push({ kind: 'window-full' });
}
