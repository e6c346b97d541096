// Scenario DSL for the TCP engine (after smoltcp's send!/recv!): whole segments in, whole segments out,
// explicit time. `send` hands a segment from the peer to the connection; `recv` polls the connection and
// compares everything it emits with the expected segments.

import assert from 'node:assert/strict';
import type { TcpConfig } from '../../../src/tcp/config.js';
import { TcpConnection, type TcpStateName } from '../../../src/tcp/connection.js';
import { assertInvariants } from '../../../src/tcp/invariants.js';
import {
  cloneSegment,
  flagsToString,
  TcpFlags,
  type TcpSegment,
  type TcpSegmentOptions,
} from '../../../src/tcp/segment.js';

/** Our ISN and the peer's ISN; tests write sequence numbers as L + n and R + n. */
export const L = 10_000;
export const R = 50_000;
export const LOCAL_PORT = 49152;
export const REMOTE_PORT = 80;
export const MSS = 1460;
/** Our window as the peer sees it (no window scaling in the default fixtures). */
export const WIN = 65535;

export interface SegSpec {
  seq: number;
  ack?: number;
  /** tcpdump/Scapy letters: S F R P A U E C, e.g. 'SA', 'PA', 'FA', 'R'. */
  flags: string;
  window?: number;
  payload?: string | Uint8Array;
  options?: TcpSegmentOptions;
}

const FLAG_LETTERS: Record<string, number> = {
  F: TcpFlags.FIN,
  S: TcpFlags.SYN,
  R: TcpFlags.RST,
  P: TcpFlags.PSH,
  A: TcpFlags.ACK,
  U: TcpFlags.URG,
  E: TcpFlags.ECE,
  C: TcpFlags.CWR,
};

export function flagsOf(letters: string): number {
  let f = 0;
  for (const ch of letters) {
    const bit = FLAG_LETTERS[ch];
    if (bit === undefined) throw new Error(`unknown flag letter ${ch}`);
    f |= bit;
  }
  return f;
}

export function bytes(p: string | Uint8Array | undefined): Uint8Array {
  if (p === undefined) return new Uint8Array(0);
  return typeof p === 'string' ? new TextEncoder().encode(p) : p;
}

/** A segment from the peer to us. */
export function seg(spec: SegSpec): TcpSegment {
  return {
    srcPort: REMOTE_PORT,
    dstPort: LOCAL_PORT,
    seq: spec.seq >>> 0,
    ack: (spec.ack ?? 0) >>> 0,
    flags: flagsOf(spec.flags),
    window: spec.window ?? WIN,
    urgent: 0,
    options: spec.options ?? {},
    payload: bytes(spec.payload),
  };
}

export interface Sim {
  conn: TcpConnection;
  now: number;
}

/** Deliver a segment from the peer at time `now`; checks invariants afterwards. */
export function send(s: Sim, now: number, segment: TcpSegment | SegSpec): void {
  s.now = now;
  const sg = 'srcPort' in segment ? segment : seg(segment);
  s.conn.onSegment(now, sg);
  assertInvariants(s.conn);
}

/** Poll at `now` and return copies of everything emitted. */
export function poll(s: Sim, now: number): TcpSegment[] {
  s.now = now;
  const out: TcpSegment[] = [];
  s.conn.poll(now, (x) => out.push(cloneSegment(x)));
  assertInvariants(s.conn, true);
  return out;
}

/** A comparable, readable form of a segment (options without undefined fields, payload as text). */
export function describe(x: TcpSegment): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  const op = x.options;
  if (op.mss !== undefined) o.mss = op.mss;
  if (op.wscale !== undefined) o.wscale = op.wscale;
  if (op.sackPermitted) o.sackPermitted = true;
  if (op.sackBlocks && op.sackBlocks.length > 0)
    o.sackBlocks = op.sackBlocks.map(([a, b]) => [a >>> 0, b >>> 0]);
  if (op.timestamp) o.timestamp = { value: op.timestamp.value >>> 0, echo: op.timestamp.echo >>> 0 };
  return {
    ports: `${x.srcPort}>${x.dstPort}`,
    flags: flagsToString(x.flags),
    seq: x.seq >>> 0,
    ack: x.flags & TcpFlags.ACK || x.ack !== 0 ? x.ack >>> 0 : 0,
    window: x.window,
    options: o,
    payload: new TextDecoder('latin1').decode(x.payload),
  };
}

/** An expected segment from us to the peer (window defaults to WIN). */
export function out(spec: SegSpec): TcpSegment {
  const s = seg({ window: WIN, ...spec });
  s.srcPort = LOCAL_PORT;
  s.dstPort = REMOTE_PORT;
  return s;
}

/** Poll at `now`; the connection must emit exactly `expected` (in order). */
export function recv(s: Sim, now: number, ...expected: Array<SegSpec | TcpSegment>): void {
  const got = poll(s, now).map(describe);
  assert.deepStrictEqual(
    got,
    expected.map((e) => describe(out('srcPort' in e ? specOf(e) : e))),
  );
}

/** A segment built with seg() used as an expectation (ports are implied by the direction). */
function specOf(x: TcpSegment): SegSpec {
  const letters = flagsToString(x.flags).replace('.', 'A').replace('none', '');
  return { seq: x.seq, ack: x.ack, flags: letters, window: x.window, payload: x.payload, options: x.options };
}

/** Poll at `now`; nothing may be emitted. */
export function recvNothing(s: Sim, now: number): void {
  recv(s, now);
}

export interface FixtureOptions {
  config?: Partial<TcpConfig>;
  mss?: number;
  /** Options the peer puts on its SYN / SYN-ACK (default: MSS 1460 and SACK-permitted). */
  peerSynOptions?: TcpSegmentOptions;
  peerWindow?: number;
}

/**
 * Test defaults: Linux-like, but deterministic segment shapes (no timestamps unless asked for), and the
 * classic loss detection of RFC 5681/6675/6298 alone unless a test asks for RACK-TLP: the fixtures complete
 * the handshake at time 0, so SRTT and min_RTT are 0, a PTO of 2*SRTT would fire at the first poll of every
 * scenario written for the RTO, and RACK's reordering window would be 0 (loss-detection.test.ts enables
 * both, with a real RTT).
 */
export function testConfig(extra?: Partial<TcpConfig>): Partial<TcpConfig> {
  return { timestamps: false, tailLossProbe: false, rack: false, ...extra };
}

/** A fresh active opener that has sent nothing yet. */
export function connecting(opts: FixtureOptions = {}): Sim {
  const conn = TcpConnection.connect({
    localPort: LOCAL_PORT,
    remotePort: REMOTE_PORT,
    isn: L,
    now: 0,
    mss: opts.mss ?? MSS,
    config: testConfig(opts.config),
  });
  return { conn, now: 0 };
}

const DEFAULT_PEER_SYN: TcpSegmentOptions = { mss: MSS, sackPermitted: true };

/**
 * A connection in the given state at time 0, with every segment of the way there already consumed.
 * LISTEN is not a connection state here: the listener lives in the stack above.
 */
export function fixture(state: Exclude<TcpStateName, 'LISTEN'>, opts: FixtureOptions = {}): Sim {
  const peerOpts = opts.peerSynOptions ?? DEFAULT_PEER_SYN;
  const wnd = opts.peerWindow ?? WIN;
  if (state === 'SYN-RECEIVED') {
    const syn = seg({ seq: R, flags: 'S', window: wnd, options: peerOpts });
    const conn = TcpConnection.accept(
      {
        localPort: LOCAL_PORT,
        remotePort: REMOTE_PORT,
        isn: L,
        now: 0,
        mss: opts.mss ?? MSS,
        config: testConfig(opts.config),
      },
      syn,
    );
    const s = { conn, now: 0 };
    poll(s, 0);
    conn.takeEvents();
    return s;
  }
  const s = connecting(opts);
  poll(s, 0); // SYN
  if (state === 'SYN-SENT') return s;
  send(s, 0, { seq: R, ack: L + 1, flags: 'SA', window: wnd, options: peerOpts });
  poll(s, 0); // ACK
  s.conn.takeEvents();
  if (state === 'ESTABLISHED') return s;
  if (state === 'CLOSE-WAIT' || state === 'LAST-ACK') {
    send(s, 0, { seq: R + 1, ack: L + 1, flags: 'FA', window: wnd });
    poll(s, 0);
    if (state === 'LAST-ACK') {
      s.conn.end();
      poll(s, 0);
    }
    s.conn.takeEvents();
    return s;
  }
  if (state === 'CLOSED') {
    s.conn.abort();
    poll(s, 0);
    s.conn.takeEvents();
    return s;
  }
  s.conn.end();
  poll(s, 0); // FIN
  if (state === 'FIN-WAIT-1') return s;
  if (state === 'CLOSING') {
    send(s, 0, { seq: R + 1, ack: L + 1, flags: 'FA', window: wnd });
    poll(s, 0);
    s.conn.takeEvents();
    return s;
  }
  send(s, 0, { seq: R + 1, ack: L + 2, flags: 'A', window: wnd });
  poll(s, 0);
  if (state === 'FIN-WAIT-2') return s;
  send(s, 0, { seq: R + 1, ack: L + 2, flags: 'FA', window: wnd });
  poll(s, 0);
  s.conn.takeEvents();
  return s; // TIME-WAIT
}

/** Read everything readable as text. */
export function readAll(s: Sim): string {
  const buf = new Uint8Array(s.conn.readableLength());
  const n = s.conn.read(buf);
  return new TextDecoder('latin1').decode(buf.subarray(0, n));
}

/** `n` bytes of a repeating recognisable pattern starting at stream offset `from`. */
export function pattern(n: number, from = 0): Uint8Array {
  const b = new Uint8Array(n);
  for (let i = 0; i < n; i++) b[i] = 97 + ((from + i) % 26);
  return b;
}
