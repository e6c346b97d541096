// The analyzer on synthetic conversations: exact labels for each TCP situation.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AnalyzedPacket, TcpAnalyzer, type TcpPacketInfo } from '../../../src/analysis/index.js';
import { c, handshake, s } from './conversation.js';

function analyze(packets: TcpPacketInfo[]): AnalyzedPacket[] {
  const analyzer = new TcpAnalyzer();
  return packets.map((p) => analyzer.feed(p));
}

/** Each packet's labels as compact strings, e.g. "handshake:1", "data:1:537", "dup-ack:537#3". */
function labelsOf(packets: TcpPacketInfo[]): string[][] {
  return analyze(packets).map((p) =>
    p.labels.map((l) => {
      switch (l.kind) {
        case 'handshake':
          return `handshake:${l.step}`;
        case 'syn-retransmission':
          return `syn-retransmission:${l.step}`;
        case 'data':
        case 'out-of-order':
        case 'lost-segment':
        case 'spurious-retransmission':
          return `${l.kind}:${l.start}:${l.end}`;
        case 'retransmission':
          return `retransmission:${l.start}:${l.end}:${l.cause}`;
        case 'fast-retransmission':
          return `fast-retransmission:${l.start}:${l.end}`;
        case 'ack':
          return `ack:${l.ack}`;
        case 'delayed-ack':
          return `delayed-ack:${l.ack}x${l.segments}`;
        case 'dup-ack':
          return `dup-ack:${l.ack}#${l.count}`;
        case 'sack':
          return `sack:${l.blocks.map((b) => b.join(':')).join(',')}`;
        case 'close':
          return `close:${l.steps.join('+')}`;
        case 'rst':
          return `rst:${l.reason}`;
        case 'http-request':
          return `request:${l.method} ${l.target}`;
        case 'http-response':
          return `response:${l.status}`;
        case 'window-update':
          return `window-update:${l.window}`;
        case 'acked-unseen':
          return `acked-unseen:${l.ack}`;
        default:
          return l.kind;
      }
    }),
  );
}

describe('TcpAnalyzer', () => {
  it('labels a handshake, an HTTP/1.0 exchange and the server closing first', () => {
    const labels = labelsOf([
      ...handshake(),
      c({ t: 11, flags: 'PA', seq: 1, ack: 1, len: 78, text: 'GET /a.html HTTP/1.0\r\nHost: x\r\n\r\n' }),
      s({ t: 21, flags: 'A', seq: 1, ack: 79 }),
      s({ t: 22, flags: 'PA', seq: 1, ack: 79, len: 466, text: 'HTTP/1.0 200 OK\r\nServer: x\r\n' }),
      s({ t: 22.1, flags: 'FA', seq: 467, ack: 79 }),
      c({ t: 22.5, flags: 'A', seq: 79, ack: 468 }),
      c({ t: 23, flags: 'FA', seq: 79, ack: 468 }),
      s({ t: 33, flags: 'A', seq: 468, ack: 80 }),
    ]);
    assert.deepEqual(labels, [
      ['handshake:1'],
      ['handshake:2'],
      ['handshake:3'],
      ['request:GET /a.html', 'data:1:79'],
      ['ack:79'],
      ['response:200', 'data:1:467'],
      ['close:1', 'fin-after-http10'],
      ['close:2'],
      ['close:3'],
      ['close:4'],
    ]);
  });

  it('labels ACKs that cover two segments (or come late) as delayed ACKs', () => {
    const labels = labelsOf([
      ...handshake(),
      s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 1448 }),
      s({ t: 20.1, flags: 'A', seq: 1449, ack: 1, len: 1448 }),
      c({ t: 20.2, flags: 'A', seq: 1, ack: 2897 }),
      s({ t: 20.3, flags: 'PA', seq: 2897, ack: 1, len: 100 }),
      c({ t: 60.3, flags: 'A', seq: 1, ack: 2997 }),
      s({ t: 61, flags: 'PA', seq: 2997, ack: 1, len: 100 }),
      c({ t: 61.2, flags: 'A', seq: 1, ack: 3097 }),
    ]);
    assert.deepEqual(labels.slice(3), [
      ['data:1:1449'],
      ['data:1449:2897'],
      ['delayed-ack:2897x2'],
      ['data:2897:2997'],
      ['delayed-ack:2997x1'],
      ['data:2997:3097'],
      ['ack:3097'],
    ]);
  });

  it('follows a lost segment: gap, three duplicate ACKs with SACK, fast retransmission', () => {
    const labels = labelsOf([
      ...handshake(),
      s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 536 }),
      c({ t: 20.1, flags: 'A', seq: 1, ack: 537 }),
      // 537:1073 is lost before the capture point
      s({ t: 20.2, flags: 'A', seq: 1073, ack: 1, len: 536 }),
      c({ t: 20.3, flags: 'A', seq: 1, ack: 537, sack: [[1073, 1609]] }),
      s({ t: 20.4, flags: 'A', seq: 1609, ack: 1, len: 536 }),
      c({ t: 20.5, flags: 'A', seq: 1, ack: 537, sack: [[1073, 2145]] }),
      s({ t: 20.6, flags: 'A', seq: 2145, ack: 1, len: 536 }),
      c({ t: 20.7, flags: 'A', seq: 1, ack: 537, sack: [[1073, 2681]] }),
      s({ t: 31, flags: 'A', seq: 537, ack: 1, len: 536 }),
      c({ t: 31.1, flags: 'A', seq: 1, ack: 2681 }),
    ]);
    assert.deepEqual(labels.slice(3), [
      ['data:1:537'],
      ['ack:537'],
      ['lost-segment:537:1073', 'data:1073:1609'],
      ['dup-ack:537#1', 'sack:1073:1609'],
      ['data:1609:2145'],
      ['dup-ack:537#2', 'sack:1073:2145'],
      ['data:2145:2681'],
      ['dup-ack:537#3', 'sack:1073:2681'],
      ['fast-retransmission:537:1073'],
      ['ack:2681'],
    ]);
  });

  it('labels a retransmission after a timeout, and takes no RTT sample from it (Karn)', () => {
    const packets = analyze([
      ...handshake(),
      c({ t: 20, flags: 'PA', seq: 1, ack: 1, len: 100 }),
      c({ t: 230, flags: 'PA', seq: 1, ack: 1, len: 100 }),
      s({ t: 240, flags: 'A', seq: 1, ack: 101 }),
    ]);
    const retransmission = packets[4].labels[0];
    assert.deepEqual(retransmission, {
      kind: 'retransmission',
      start: 1,
      end: 101,
      cause: 'timeout',
      afterMs: 210,
    });
    assert.equal(packets[5].rtt, -1);
    assert.equal(packets[1].rtt, 10, 'the SYN -> SYN-ACK sample');
  });

  it('tells out-of-order arrival from a retransmission by time since the highest segment', () => {
    const labels = labelsOf([
      ...handshake(),
      s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 536 }),
      s({ t: 20.1, flags: 'A', seq: 1073, ack: 1, len: 536 }),
      s({ t: 21, flags: 'A', seq: 537, ack: 1, len: 536 }),
      c({ t: 21.1, flags: 'A', seq: 1, ack: 1609 }),
    ]);
    assert.deepEqual(labels.slice(3), [
      ['data:1:537'],
      ['lost-segment:537:1073', 'data:1073:1609'],
      ['out-of-order:537:1073'],
      ['delayed-ack:1609x3'],
    ]);
  });

  it('labels a zero window, a zero window probe, its answer and the window update', () => {
    const labels = labelsOf([
      ...handshake(),
      s({ t: 20, flags: 'PA', seq: 1, ack: 1, len: 1000 }),
      c({ t: 20.1, flags: 'A', seq: 1, ack: 1001, win: 0 }),
      s({ t: 220, flags: 'A', seq: 1000, ack: 1 }),
      c({ t: 220.1, flags: 'A', seq: 1, ack: 1001, win: 0 }),
      c({ t: 300, flags: 'A', seq: 1, ack: 1001, win: 512 }),
    ]);
    assert.deepEqual(labels.slice(3), [
      ['data:1:1001'],
      ['zero-window', 'ack:1001'],
      ['zero-window-probe'],
      ['zero-window', 'zero-window-probe-ack'],
      ['window-update:65536'],
    ]);
  });

  it('labels keep-alives and their answers', () => {
    const labels = labelsOf([
      ...handshake(),
      c({ t: 7200_000, flags: 'A', seq: 0, ack: 1, win: 502 }),
      s({ t: 7200_010, flags: 'A', seq: 1, ack: 1, win: 509 }),
      c({ t: 7200_020, flags: 'A', seq: 0, ack: 1, win: 502 }),
      s({ t: 7200_030, flags: 'A', seq: 1, ack: 1, win: 509 }),
    ]);
    assert.deepEqual(labels.slice(3), [
      ['keep-alive'],
      ['keep-alive-ack'],
      ['keep-alive'],
      ['keep-alive-ack'],
    ]);
  });

  it('labels a RST answering a SYN as connection refused', () => {
    const labels = labelsOf([
      c({ t: 0, flags: 'S', seq: 0 }),
      s({ t: 0.1, flags: 'RA', seq: 0, ack: 1, win: 0 }),
    ]);
    assert.deepEqual(labels, [['handshake:1'], ['rst:refused']]);
  });

  it('labels an abort in the middle and a RST after both FINs', () => {
    const abort = labelsOf([...handshake(), c({ t: 20, flags: 'RA', seq: 1, ack: 1, win: 0 })]);
    assert.deepEqual(abort[3], ['rst:abort']);
    const late = labelsOf([
      ...handshake(),
      c({ t: 20, flags: 'FA', seq: 1, ack: 1 }),
      s({ t: 30, flags: 'FA', seq: 1, ack: 2 }),
      c({ t: 30.1, flags: 'R', seq: 2, win: 0 }),
    ]);
    assert.deepEqual(late.slice(3), [['close:1'], ['close:2+3'], ['rst:after-close']]);
  });

  it('labels the client closing first, in four separate steps', () => {
    const labels = labelsOf([
      ...handshake(),
      c({ t: 20, flags: 'FA', seq: 1, ack: 1 }),
      s({ t: 30, flags: 'A', seq: 1, ack: 2 }),
      s({ t: 31, flags: 'FA', seq: 1, ack: 2 }),
      c({ t: 31.1, flags: 'A', seq: 2, ack: 2 }),
    ]);
    assert.deepEqual(labels.slice(3), [['close:1'], ['close:2'], ['close:3'], ['close:4']]);
  });

  it('labels a retransmitted FIN and a repeated SYN', () => {
    const labels = labelsOf([
      c({ t: 0, flags: 'S', seq: 0 }),
      c({ t: 1000, flags: 'S', seq: 0 }),
      s({ t: 1010, flags: 'SA', seq: 0, ack: 1 }),
      c({ t: 1010.1, flags: 'A', seq: 1, ack: 1 }),
      s({ t: 1020, flags: 'FA', seq: 1, ack: 1 }),
      s({ t: 1220, flags: 'FA', seq: 1, ack: 1 }),
      c({ t: 1220.1, flags: 'A', seq: 1, ack: 2 }),
    ]);
    assert.deepEqual(labels, [
      ['handshake:1'],
      ['syn-retransmission:1'],
      ['handshake:2'],
      ['handshake:3'],
      ['close:1'],
      ['retransmission:1:1:timeout'],
      ['close:2'],
    ]);
  });

  it('labels window full, spurious retransmission and an ACK of data never seen', () => {
    const labels = labelsOf([
      c({ t: 0, flags: 'S', seq: 0 }),
      s({ t: 10, flags: 'SA', seq: 0, ack: 1 }),
      c({ t: 10.1, flags: 'A', seq: 1, ack: 1, win: 2000 }),
      s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 1000 }),
      s({ t: 20.1, flags: 'A', seq: 1001, ack: 1, len: 1000 }),
      c({ t: 20.2, flags: 'A', seq: 1, ack: 2001, win: 2000 }),
      s({ t: 300, flags: 'A', seq: 1001, ack: 1, len: 1000 }),
      c({ t: 300.1, flags: 'A', seq: 1, ack: 3001, win: 2000 }),
    ]);
    assert.deepEqual(labels.slice(3), [
      ['data:1:1001'],
      ['window-full', 'data:1001:2001'],
      ['delayed-ack:2001x2'],
      ['spurious-retransmission:1001:2001'],
      ['acked-unseen:3001', 'ack:3001'],
    ]);
  });

  it('keeps relative numbers counting across the 2^32 wrap and scales windows from the handshake', () => {
    const packets = analyze([
      ...handshake(),
      s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 1448, win: 100 }),
      s({ t: 20.1, flags: 'A', seq: 1449, ack: 1, len: 1448, win: 100 }),
    ]);
    assert.equal(packets[4].seq, 1449);
    assert.equal(packets[4].window, 12800, 'wscale 7: 100 << 7');
    assert.equal(packets[1].window, 65160, 'a SYN window is never scaled (RFC 7323 §2.2)');
    assert.equal(packets[4].inFlight, 2896);
  });

  it('marks segments dropped by a fault injector', () => {
    const packet = { ...c({ t: 0, flags: 'S', seq: 0 }), dropped: true };
    assert.deepEqual(labelsOf([packet]), [['dropped', 'handshake:1']]);
  });

  it('works on a capture that starts in the middle of a transfer', () => {
    const packets = analyze([
      s({ t: 0, flags: 'A', seq: 5001, ack: 301, len: 100 }),
      c({ t: 0.1, flags: 'A', seq: 301, ack: 5101 }),
    ]);
    assert.equal(packets[0].seq, 1);
    assert.equal(packets[1].ack, 101);
    assert.equal(packets[1].seq, 1);
    assert.equal(packets[0].connection.server.port, 80, 'port 80 is the server');
  });

  it('bounds memory: old connections are forgotten', () => {
    const analyzer = new TcpAnalyzer({ maxConnections: 100 });
    for (let i = 0; i < 5000; i++) {
      analyzer.feed({ ...c({ t: i, flags: 'S', seq: 0 }), sport: 1024 + i });
    }
    assert.equal(analyzer.connections, 100);
  });
});
