// Plain-English phrases for analyzer labels, written for someone learning TCP from a trace.
import type { AnalyzedPacket } from './analyzed-packet.js';
import type { TcpLabel } from './labels.js';

/** Who sent the packet, and whether the capture point is one of the endpoints ("we"). */
export interface ExplainContext {
  fromClient: boolean;
  /** true: we are the client; false: we are the server; undefined: a capture of others. */
  localIsClient?: boolean;
}

/** A subject with its verb forms: "we abort" but "the server aborts". */
interface Party {
  name: string; // "we", "the client", "the server"
  has: string; // "we have" / "the client has"
  is: string; // "we are" / "the client is"
  possessive: string; // "our" / "the client's"
  /** The subject and a present-tense verb given in its plain form: does('abort') = "we abort". */
  does(verb: string): string;
}

const WE: Party = {
  name: 'we',
  has: 'we have',
  is: 'we are',
  possessive: 'our',
  does: (verb) => `we ${verb}`,
};

function thirdPerson(name: string): Party {
  return {
    name,
    has: `${name} has`,
    is: `${name} is`,
    possessive: `${name}'s`,
    does: (verb) => `${name} ${thirdPersonVerb(verb)}`,
  };
}

/** English third-person singular: abort -> aborts, discard -> discards, close -> closes. */
function thirdPersonVerb(verb: string): string {
  const [head, ...rest] = verb.split(' ');
  const inflected = /(s|sh|ch|x|z|o)$/.test(head) ? `${head}es` : `${head}s`;
  return [inflected, ...rest].join(' ');
}

const CLIENT = thirdPerson('the client');
const SERVER = thirdPerson('the server');

function party(isClient: boolean, ctx: ExplainContext): Party {
  if (ctx.localIsClient !== undefined && ctx.localIsClient === isClient) return WE;
  return isClient ? CLIENT : SERVER;
}

const range = (start: number, end: number): string => `${start}:${end}`;

const HANDSHAKE = ['', 'handshake 1/3 (SYN)', 'handshake 2/3 (SYN-ACK)', 'handshake 3/3 (ACK)'];

function explainClose(steps: number[], sender: Party, receiver: Party): string {
  const name = `close ${steps.map((s) => `${s}/4`).join(' + ')}`;
  if (steps.includes(1)) return `${name} (FIN): ${sender.is} done sending`;
  if (steps.includes(2) && steps.includes(3))
    return `${name} (FIN-ACK): ${sender.name} got the FIN and ${sender === WE ? 'close' : 'closes'} too`;
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
    case 'dsack':
      return `duplicate segment reported (D-SACK ${range(label.start, label.end)}): ${sender.name} got these bytes twice`;
    case 'retransmission':
      return `retransmission of ${range(label.start, label.end)}${retransmissionCause(label)}`;
    case 'fast-retransmission':
      return `fast retransmission of ${range(label.start, label.end)} (${fastCause(label.dupAcks, label.sack === true)})`;
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
      return `keep-alive: ${receiver === WE ? 'are we' : `is ${receiver.name}`} still there?`;
    case 'keep-alive-ack':
      return `keep-alive ACK: still here`;
    case 'close':
      return explainClose(label.steps, sender, receiver);
    case 'fin-after-http10':
      return `the server's FIN after an HTTP/1.0 body: the end of the response`;
    case 'rst':
      return explainReset(label.reason, sender);
    case 'dropped':
      return 'dropped by the fault injector';
  }
}

function fastCause(dupAcks: number, sack: boolean): string {
  if (!sack) return `after ${dupAcks} duplicate ACK${dupAcks === 1 ? '' : 's'}`;
  return 'SACK-based: the SACK blocks reported data above this hole, so it was resent before any timeout';
}

function retransmissionCause(label: { cause: 'timeout' | 'unknown'; afterMs?: number }): string {
  if (label.afterMs === undefined) return label.cause === 'timeout' ? ' (timeout)' : '';
  const ms = Math.round(label.afterMs);
  return label.cause === 'timeout' ? ` (timeout: no ACK for ${ms} ms)` : ` (${ms} ms after the first copy)`;
}

function explainReset(reason: 'refused' | 'abort' | 'after-close', sender: Party): string {
  if (reason === 'refused') return 'RST: connection refused';
  if (reason === 'after-close') return `RST: ${sender.does('discard')} the closed connection`;
  return `RST: ${sender.does('abort')} the connection`;
}

/** All labels of a packet as one line of text, most important first. */
export function explainPacket(packet: AnalyzedPacket): string {
  const ctx: ExplainContext = {
    fromClient: packet.fromClient,
    localIsClient: packet.connection.localIsClient,
  };
  return packet.labels.map((label) => explain(label, ctx)).join(', ');
}
