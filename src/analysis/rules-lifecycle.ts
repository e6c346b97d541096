// Labels for opening, closing and resetting a connection.
// RFC 9293 §3.5 (three-way handshake), §3.6 (closing), §3.5.2 (reset generation).
import type { SegmentContext } from './segment-context.js';

/** Handshake steps 1/3 (SYN), 2/3 (SYN-ACK), 3/3 (the client's first ACK of the server's SYN). */
export function labelHandshake(ctx: SegmentContext): void {
  const { conn, fwd, info } = ctx;
  if (ctx.syn) {
    const step = ctx.hasAck ? 2 : 1;
    const again = fwd.synSeen && fwd.base === info.seq;
    ctx.labels.push(again ? { kind: 'syn-retransmission', step } : { kind: 'handshake', step });
    if (again) ctx.retransmission = true;
    conn.handshake = step === 1 ? 'syn' : 'syn-ack';
    return;
  }
  const completes =
    conn.handshake === 'syn-ack' &&
    ctx.fromClient &&
    ctx.hasAck &&
    !ctx.rst &&
    ctx.ack === 1 &&
    ctx.seq === 1;
  if (completes) {
    ctx.labels.push({ kind: 'handshake', step: 3 });
    conn.handshake = 'open';
  }
}

/** Records what a SYN announces (RFC 7323 §2.2 window scale, RFC 9293 §3.7.1 MSS, RFC 2018 SACK-permitted). */
export function recordSynOptions(ctx: SegmentContext): void {
  if (!ctx.syn) return;
  const options = ctx.info.options;
  ctx.fwd.synSeen = true;
  ctx.fwd.offeredShift = options?.wscale ?? -1;
  ctx.fwd.mss = options?.mss ?? 0;
  ctx.fwd.sackPermitted = options?.sackPermitted ?? false;
}

/**
 * Teardown steps: 1/4 the first FIN, 2/4 its ACK, 3/4 the other side's FIN, 4/4 the last ACK.
 * A FIN that also acknowledges the first FIN is steps 2 and 3 together.
 */
export function labelClose(ctx: SegmentContext): void {
  const { conn, fwd, rev } = ctx;
  const steps: number[] = [];
  const revFinAcked = ctx.fromClient ? conn.serverFinAcked : conn.clientFinAcked;
  if (ctx.hasAck && rev.finAt >= 0 && !revFinAcked && ctx.ack >= rev.finAt + 1) {
    if (ctx.fromClient) conn.serverFinAcked = true;
    else conn.clientFinAcked = true;
    steps.push(conn.firstFinByClient === !ctx.fromClient ? 2 : 4);
  }
  if (ctx.fin && fwd.finAt < 0 && !ctx.retransmission) {
    fwd.finAt = ctx.end;
    if (conn.firstFinByClient === undefined) {
      conn.firstFinByClient = ctx.fromClient;
      steps.push(1);
    } else {
      steps.push(3);
    }
  }
  if (steps.length > 0) ctx.labels.push({ kind: 'close', steps });
  if (steps[0] === 1 && !ctx.fromClient && fwd.httpResponseVersion === 'HTTP/1.0') {
    ctx.labels.push({ kind: 'fin-after-http10' });
  }
}

/** Why a reset was sent: refusing a SYN, after the close, or aborting an open connection. */
export function labelReset(ctx: SegmentContext): void {
  if (!ctx.rst) return;
  const { conn } = ctx;
  let reason: 'refused' | 'abort' | 'after-close' = 'abort';
  if (!ctx.fromClient && conn.handshake === 'syn') reason = 'refused';
  else if (conn.firstFinByClient !== undefined && conn.client.finAt >= 0 && conn.server.finAt >= 0)
    reason = 'after-close';
  ctx.labels.push({ kind: 'rst', reason });
  conn.resetSeen = true;
}
