// A small packetdrill-style script runner over the scenario DSL, so that Linux packetdrill tests can be
// translated nearly line by line. Supported subset:
//
//   0      connect()                       active open (ISN L); a first "< S" line means passive open
//   +0     > S 0:0(0) win 65535 <mss 1460,sackOK,wscale 7>
//   +.1    < S. 0:0(0) ack 1 win 5792 <mss 1460,sackOK,nop,wscale 2>
//   +0     write(2000) | read(100) | close() | abort() | setNoDelay()
//   +0     state ESTABLISHED | error refused
//
// Times are seconds, absolute or "+" relative. Sequence numbers are relative to the sender's ISN and
// acknowledgments to the receiver's, as in packetdrill. Outbound lines must match the next segment the
// engine emits, at exactly that virtual time; any segment the script does not expect is an error.

import assert from 'node:assert/strict';
import type { TcpConfig } from '../../../src/tcp/config.js';
import { TcpConnection } from '../../../src/tcp/connection.js';
import { assertInvariants } from '../../../src/tcp/invariants.js';
import {
  cloneSegment,
  flagsToString,
  TcpFlags,
  type TcpSegment,
  type TcpSegmentOptions,
} from '../../../src/tcp/segment.js';
import { L, LOCAL_PORT, MSS, pattern, R, REMOTE_PORT } from './dsl.js';

interface Emitted {
  t: number;
  seg: TcpSegment;
}

const FLAG_CHARS: Record<string, number> = {
  S: TcpFlags.SYN,
  F: TcpFlags.FIN,
  R: TcpFlags.RST,
  P: TcpFlags.PSH,
  '.': TcpFlags.ACK,
  E: TcpFlags.ECE,
  W: TcpFlags.CWR,
};

function parseFlags(s: string): number {
  let f = 0;
  for (const ch of s) {
    const bit = FLAG_CHARS[ch];
    if (bit === undefined) throw new Error(`bad flags ${s}`);
    f |= bit;
  }
  return f;
}

function parseOptions(text: string, sackBase: number): TcpSegmentOptions & { tsAny?: boolean } {
  const o: TcpSegmentOptions & { tsAny?: boolean } = {};
  for (const raw of text.split(',')) {
    const parts = raw.trim().split(/\s+/);
    switch (parts[0]) {
      case 'mss':
        o.mss = Number(parts[1]);
        break;
      case 'sackOK':
        o.sackPermitted = true;
        break;
      case 'wscale':
        o.wscale = Number(parts[1]);
        break;
      case 'nop':
      case 'eol':
      case '':
        break;
      case 'TS':
        if (parts[2] === '*') o.tsAny = true;
        o.timestamp = { value: parts[2] === '*' ? 0 : Number(parts[2]), echo: Number(parts[4]) };
        break;
      case 'sack':
        o.sackBlocks = parts.slice(1).map((b) => {
          const [a, z] = b.split(':').map(Number);
          return [(sackBase + a) >>> 0, (sackBase + z) >>> 0];
        });
        break;
      default:
        throw new Error(`unknown option ${raw}`);
    }
  }
  return o;
}

interface PacketLine {
  inbound: boolean;
  flags: number;
  seq: number;
  len: number;
  ack?: number;
  win?: number;
  options?: TcpSegmentOptions & { tsAny?: boolean };
}

function parsePacket(dir: string, rest: string): PacketLine {
  const m = /^(\S+)\s+(\d+):(\d+)\((\d+)\)(.*)$/.exec(rest);
  if (!m) throw new Error(`bad packet line: ${rest}`);
  const inbound = dir === '<';
  const tail = m[5];
  const ack = /\back (\d+)/.exec(tail);
  const win = /\bwin (\d+)/.exec(tail);
  const opts = /<([^>]*)>/.exec(tail);
  const line: PacketLine = { inbound, flags: parseFlags(m[1]), seq: Number(m[2]), len: Number(m[4]) };
  if (ack) line.ack = Number(ack[1]);
  if (win) line.win = Number(win[1]);
  // SACK blocks acknowledge the other side's data: inbound blocks are in our space, outbound in the peer's.
  if (opts) line.options = parseOptions(opts[1], inbound ? L : R);
  return line;
}

export interface ScriptOptions {
  config?: Partial<TcpConfig>;
  mss?: number;
}

/** Run a packetdrill-style script; throws (assert) on the first mismatch, naming the line. */
export function runScript(script: string, opts: ScriptOptions = {}): TcpConnection {
  let conn = null as TcpConnection | null;
  const pending: Emitted[] = [];
  let now = 0;
  let lastTime = 0;
  let written = 0;
  const config: Partial<TcpConfig> = { timestamps: false, ...opts.config };
  const make = (t: number) => ({
    localPort: LOCAL_PORT,
    remotePort: REMOTE_PORT,
    isn: L,
    now: t,
    mss: opts.mss ?? MSS,
    config,
  });
  const pollAt = (t: number) => {
    if (!conn) return;
    conn.poll(t, (s) => pending.push({ t, seg: cloneSegment(s) }));
    assertInvariants(conn);
  };
  const advanceBefore = (t: number) => {
    while (conn && conn.pollAt() < t) pollAt(Math.max(conn.pollAt(), now));
  };
  const lines = script.split('\n').map((l) => l.replace(/\/\/.*$/, '').trim());
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    if (text === '') continue;
    const where = `line ${i + 1}: ${text}`;
    const tm = /^(\+?)([\d.]+)\s+(.*)$/.exec(text);
    if (!tm) throw new Error(`bad line ${where}`);
    const t = (tm[1] === '+' ? lastTime + Number(tm[2]) : Number(tm[2])) * 1000;
    const tms = Math.round(t * 1000) / 1000;
    lastTime = tms / 1000;
    const body = tm[3];
    advanceBefore(tms);
    const early = pending.find((p) => p.t < tms);
    assert.equal(early, undefined, `${where}: unexpected earlier segment ${early ? describeSeg(early) : ''}`);
    now = tms;
    const pkt = /^([<>])\s+(.*)$/.exec(body);
    if (pkt) {
      const line = parsePacket(pkt[1], pkt[2]);
      if (line.inbound) {
        const seg = inboundSegment(line);
        if (!conn) {
          assert.ok(
            seg.flags & TcpFlags.SYN,
            `${where}: the first inbound segment of a passive open is a SYN`,
          );
          conn = TcpConnection.accept(make(tms), seg);
        } else conn.onSegment(tms, seg);
        assertInvariants(conn);
      } else {
        if (conn && conn.pollAt() <= tms) pollAt(tms);
        const got = pending.shift();
        assert.ok(got, `${where}: expected a segment, got none`);
        assert.equal(got.t, tms, `${where}: segment at ${got.t} ms, expected ${tms} ms: ${describeSeg(got)}`);
        matchOutbound(line, got.seg, where);
      }
      continue;
    }
    const call = /^(\w+)\(([^)]*)\)$/.exec(body);
    if (call) {
      const arg = call[2];
      switch (call[1]) {
        case 'connect':
          conn = TcpConnection.connect(make(tms));
          break;
        case 'write': {
          const n = Number(arg);
          const took = conn!.write(pattern(n, written));
          written += took;
          assert.equal(took, n, `${where}: write took ${took}`);
          break;
        }
        case 'read': {
          const buf = new Uint8Array(Number(arg));
          assert.equal(conn!.read(buf), Number(arg), `${where}: read`);
          break;
        }
        case 'close':
          conn!.end();
          break;
        case 'abort':
          conn!.abort();
          break;
        case 'setNoDelay':
          conn!.setNoDelay(arg !== 'false');
          break;
        default:
          throw new Error(`unknown call ${where}`);
      }
      continue;
    }
    const st = /^state\s+(\S+)$/.exec(body);
    // Assertions see everything due up to and including their time.
    if (conn && (st || /^error\s/.test(body)) && conn.pollAt() <= tms) pollAt(tms);
    if (st) {
      assert.equal(conn?.state, st[1], where);
      continue;
    }
    const er = /^error\s+(\S+)$/.exec(body);
    if (er) {
      assert.equal(conn?.error?.code ?? 'none', er[1], where);
      continue;
    }
    throw new Error(`cannot parse ${where}`);
  }
  if (conn && conn.pollAt() <= now) pollAt(now);
  assert.equal(pending.length, 0, `unexpected segments at the end: ${pending.map(describeSeg).join('; ')}`);
  assert.ok(conn, 'the script opened a connection');
  return conn;
}

function inboundSegment(line: PacketLine): TcpSegment {
  const o: TcpSegmentOptions = { ...(line.options ?? {}) };
  delete (o as { tsAny?: boolean }).tsAny;
  return {
    srcPort: REMOTE_PORT,
    dstPort: LOCAL_PORT,
    seq: (R + line.seq) >>> 0,
    ack: line.ack === undefined ? 0 : (L + line.ack) >>> 0,
    flags: line.flags,
    window: line.win ?? 65535,
    urgent: 0,
    options: o,
    payload: pattern(line.len, line.seq),
  };
}

function matchOutbound(line: PacketLine, seg: TcpSegment, where: string): void {
  const rel = (x: number, base: number) => (x - base) >>> 0;
  assert.equal(flagsToString(seg.flags), flagsToString(line.flags), `${where}: flags`);
  assert.equal(rel(seg.seq, L), line.seq >>> 0, `${where}: seq`);
  assert.equal(seg.payload.length, line.len, `${where}: length`);
  if (line.ack !== undefined) assert.equal(rel(seg.ack, R), line.ack >>> 0, `${where}: ack`);
  if (line.win !== undefined) assert.equal(seg.window, line.win, `${where}: win`);
  if (line.options) {
    const want = line.options;
    const got = seg.options;
    assert.equal(got.mss, want.mss, `${where}: mss`);
    assert.equal(got.wscale, want.wscale, `${where}: wscale`);
    assert.equal(!!got.sackPermitted, !!want.sackPermitted, `${where}: sackOK`);
    assert.deepEqual(got.sackBlocks ?? [], want.sackBlocks ?? [], `${where}: sack blocks`);
    if (want.timestamp) {
      assert.ok(got.timestamp, `${where}: timestamps`);
      if (!want.tsAny) assert.equal(got.timestamp.value, want.timestamp.value, `${where}: TS val`);
      assert.equal(got.timestamp.echo, want.timestamp.echo, `${where}: TS ecr`);
    } else assert.equal(got.timestamp, undefined, `${where}: no timestamps`);
  }
}

function describeSeg(e: Emitted): string {
  const s = e.seg;
  return `${e.t} ms ${flagsToString(s.flags)} ${(s.seq - L) >>> 0}(${s.payload.length}) ack ${(s.ack - R) >>> 0} win ${s.window}`;
}
