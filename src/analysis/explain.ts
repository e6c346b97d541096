// Plain-English phrases for analyzer labels, written for someone learning TCP from a trace.
import type { AnalyzedPacket } from './analyzed-packet.js';
import type { TcpLabel } from './labels.js';

/** Who sent the packet, and whether the capture point is one of the endpoints ("we"). */
export interface ExplainContext {
  fromClient: boolean;
  /** true: we are the client; false: we are the server; undefined: a capture of others. */
  localIsClient?: boolean;
}

interface Party {
  name: string; // "we", "client", "server"
  has: string; // "we have" / "client has"
  is: string; // "we are" / "client is"
  possessive: string; // "our" / "client's"
}

function party(isClient: boolean, ctx: ExplainContext): Party {
  if (ctx.localIsClient !== undefined && ctx.localIsClient === isClient) {
    return { name: 'we', has: 'we have', is: 'we are', possessive: 'our' };
  }
  const name = isClient ? 'client' : 'server';
  return { name, has: `${name} has`, is: `${name} is`, possessive: `${name}'s` };
}

const range = (start: number, end: number): string => `${start}:${end}`;

const HANDSHAKE = ['', 'handshake 1/3 (SYN)', 'handshake 2/3 (SYN-ACK)', 'handshake 3/3 (ACK)'];

function explainClose(steps: number[], sender: Party, receiver: Party): string {
  const name = `close ${steps.map((s) => `${s}/4`).join(' + ')}`;
  if (steps.includes(1)) return `${name} (FIN): ${sender.is} done sending`;
  if (steps.includes(2) && steps.includes(3))
    return `${name} (FIN-ACK): ${sender.name} got the FIN and closes too`;
  if (steps.includes(3)) return `${name} (FIN): ${sender.is} done sending too`;
  if (steps.includes(2)) return `${name}: ${sender.name} got ${receiver.possessive} FIN`;
  return `${name}: last ACK, connection closed`;
}

/** One short phrase for one label. */
export function explain(label: TcpLabel, ctx: ExplainContext = { fromClient: true }): string {
  const sender = party(ctx.fromClient, ctx);
  const receiver = party(!ctx.fromClient, ctx);
  switch (label.kind) {
    case 'handshake':
      return HANDSHAKE[label.step];
    case 'syn-retransmission':
      return `${label.step === 1 ? 'SYN' : 'SYN-ACK'} again (no answer yet: retransmitted)`;
    case 'data':
      return `data ${range(label.start, label.end)}`;
    case 'http-request':
      return `request (${label.method} ${label.target})`;
    case 'http-response':
      return `response (${label.status}${label.reason ? ` ${label.reason}` : ''})`;
    case 'ack':
      return `ACK: ${sender.has} everything up to ${label.ack}`;
    case 'delayed-ack':
      return label.segments >= 2
        ? `delayed ACK of ${label.ack} (one ACK for ${label.segments} segments)`
        : `delayed ACK of ${label.ack} (waited ${Math.round(label.waitedMs)} ms for more data)`;
    case 'dup-ack':
      return label.count === 3
        ? `duplicate ACK #3 -> fast retransmit`
        : `duplicate ACK #${label.count} (${sender.is} still missing ${label.ack})`;
    case 'sack':
      return `out-of-order: buffered, SACK ${label.blocks.map(([l, r]) => range(l, r)).join(' ')}`;
    case 'retransmission':
      return `retransmission of ${range(label.start, label.end)}${retransmissionCause(label)}`;
    case 'fast-retransmission':
      return `fast retransmission of ${range(label.start, label.end)} (after ${label.dupAcks} duplicate ACKs)`;
    case 'spurious-retransmission':
      return `spurious retransmission of ${range(label.start, label.end)} (already acknowledged)`;
    case 'out-of-order':
      return `out-of-order: ${range(label.start, label.end)} arrives after later data`;
    case 'lost-segment':
      return `gap: ${range(label.start, label.end)} missing (lost or not captured)`;
    case 'acked-unseen':
      return `ACK of ${label.ack} covers data not seen here`;
    case 'window-full':
      return `window full: ${sender.name} must wait for an ACK`;
    case 'zero-window':
      return `zero window: ${sender.possessive} buffer is full, stop sending`;
    case 'zero-window-probe':
      return `zero window probe: room yet?`;
    case 'zero-window-probe-ack':
      return `zero window probe ACK: still no room`;
    case 'window-update':
      return `window update: room for ${label.window} bytes`;
    case 'keep-alive':
      return `keep-alive: ${receiver.name === 'we' ? 'are we' : `is ${receiver.name}`} still there?`;
    case 'keep-alive-ack':
      return `keep-alive ACK: still here`;
    case 'close':
      return explainClose(label.steps, sender, receiver);
    case 'fin-after-http10':
      return `server's FIN after an HTTP/1.0 body: the end of the response`;
    case 'rst':
      return explainReset(label.reason, sender);
    case 'dropped':
      return 'dropped by the fault injector';
  }
}

function retransmissionCause(label: { cause: 'timeout' | 'unknown'; afterMs?: number }): string {
  if (label.afterMs === undefined) return label.cause === 'timeout' ? ' (timeout)' : '';
  const ms = Math.round(label.afterMs);
  return label.cause === 'timeout' ? ` (timeout: no ACK for ${ms} ms)` : ` (${ms} ms after the first copy)`;
}

function explainReset(reason: 'refused' | 'abort' | 'after-close', sender: Party): string {
  if (reason === 'refused') return 'RST: connection refused';
  if (reason === 'after-close') return `RST: ${sender.name} discards the closed connection`;
  return `RST: ${sender.name} aborts the connection`;
}

/** All labels of a packet as one line of text, most important first. */
export function explainPacket(packet: AnalyzedPacket): string {
  const ctx: ExplainContext = {
    fromClient: packet.fromClient,
    localIsClient: packet.connection.localIsClient,
  };
  return packet.labels.map((label) => explain(label, ctx)).join(', ');
}
