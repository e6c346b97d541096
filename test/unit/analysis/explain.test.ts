// Explanation texts: the exact phrases and numbered lines a student reads.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  explain,
  formatAnalyzedLine,
  formatExplainedLine,
  TcpAnalyzer,
} from '../../../src/analysis/index.js';
import { c, handshake, s } from './conversation.js';

describe('explain', () => {
  it('gives the numbered, annotated trace of an HTTP/1.0 fetch (fallback line text)', () => {
    const analyzer = new TcpAnalyzer();
    const packets = [
      ...handshake(),
      c({ t: 11, flags: 'PA', seq: 1, ack: 1, len: 20, text: 'GET /a.html HTTP/1.0\r\n' }),
      s({ t: 21, flags: 'PA', seq: 1, ack: 21, len: 466, text: 'HTTP/1.0 200 OK\r\n' }),
      s({ t: 21.1, flags: 'FA', seq: 467, ack: 21 }),
      c({ t: 21.5, flags: 'A', seq: 21, ack: 468 }),
      c({ t: 22, flags: 'FA', seq: 21, ack: 468 }),
      s({ t: 32, flags: 'A', seq: 468, ack: 22 }),
    ].map((p) => formatAnalyzedLine(analyzer.feed(p)));
    assert.deepEqual(packets, [
      '  1  IP 10.77.1.2.40000 > 10.77.2.2.80: Flags [S], seq 0, win 64240, length 0   <- handshake 1/3 (SYN)',
      '  2  IP 10.77.2.2.80 > 10.77.1.2.40000: Flags [S.], seq 0, ack 1, win 65160, length 0   <- handshake 2/3 (SYN-ACK)',
      '  3  IP 10.77.1.2.40000 > 10.77.2.2.80: Flags [.], ack 1, win 502, length 0   <- handshake 3/3 (ACK)',
      '  4  IP 10.77.1.2.40000 > 10.77.2.2.80: Flags [P.], seq 1:21, ack 1, win 65535, length 20   <- request (GET /a.html), data 1:21',
      '  5  IP 10.77.2.2.80 > 10.77.1.2.40000: Flags [P.], seq 1:467, ack 21, win 65535, length 466   <- response (200 OK), data 1:467',
      "  6  IP 10.77.2.2.80 > 10.77.1.2.40000: Flags [F.], seq 467, ack 21, win 65535, length 0   <- close 1/4 (FIN): the server is done sending, the server's FIN after an HTTP/1.0 body: the end of the response",
      "  7  IP 10.77.1.2.40000 > 10.77.2.2.80: Flags [.], ack 468, win 65535, length 0   <- close 2/4: the client got the server's FIN",
      '  8  IP 10.77.1.2.40000 > 10.77.2.2.80: Flags [F.], seq 21, ack 468, win 65535, length 0   <- close 3/4 (FIN): the client is done sending too',
      '  9  IP 10.77.2.2.80 > 10.77.1.2.40000: Flags [.], ack 22, win 65535, length 0   <- close 4/4: last ACK, connection closed',
    ]);
  });

  it('speaks as "we" when packets carry a direction (live tracing)', () => {
    const analyzer = new TcpAnalyzer();
    for (const p of handshake()) analyzer.feed({ ...p, direction: p.sport === 40000 ? 'out' : 'in' });
    analyzer.feed({ ...s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 1072 }), direction: 'in' });
    const ack = analyzer.feed({ ...c({ t: 20.1, flags: 'A', seq: 1, ack: 1073 }), direction: 'out' });
    const line = formatExplainedLine(
      7,
      '10.77.1.2.40000 > 10.77.2.2.80: Flags [.], ack 1073, win 65535, length 0',
      'ACK: we have everything up to 1073',
    );
    assert.equal(
      formatAnalyzedLine(
        {
          ...ack,
          info: {
            ...ack.info,
            line: '10.77.1.2.40000 > 10.77.2.2.80: Flags [.], ack 1073, win 65535, length 0',
          },
        },
        7,
      ),
      line,
    );
    assert.equal(
      line,
      '  7  10.77.1.2.40000 > 10.77.2.2.80: Flags [.], ack 1073, win 65535, length 0   <- ACK: we have everything up to 1073',
    );
  });

  it('has a phrase for every label', () => {
    const fromServer = { fromClient: false };
    const phrases = [
      explain({ kind: 'handshake', step: 2 }, fromServer),
      explain({ kind: 'syn-retransmission', step: 1 }),
      explain({ kind: 'data', start: 1, end: 537 }),
      explain({ kind: 'http-request', method: 'GET', target: '/a.html', version: 'HTTP/1.0' }),
      explain({ kind: 'http-response', version: 'HTTP/1.1', status: 404, reason: 'Not Found' }),
      explain({ kind: 'ack', ack: 1073, segments: 1 }),
      explain({ kind: 'delayed-ack', ack: 2897, segments: 2, waitedMs: 0.2 }),
      explain({ kind: 'delayed-ack', ack: 537, segments: 1, waitedMs: 40.4 }),
      explain({ kind: 'dup-ack', ack: 537, count: 2 }),
      explain({ kind: 'dup-ack', ack: 537, count: 3 }),
      explain({ kind: 'sack', blocks: [[1073, 2145]] }),
      explain({ kind: 'retransmission', start: 537, end: 1073, cause: 'timeout', afterMs: 210 }, fromServer),
      explain({ kind: 'fast-retransmission', start: 537, end: 1073, dupAcks: 3 }, fromServer),
      explain({ kind: 'spurious-retransmission', start: 537, end: 1073 }),
      explain({ kind: 'out-of-order', start: 537, end: 1073 }),
      explain({ kind: 'lost-segment', start: 537, end: 1073 }),
      explain({ kind: 'acked-unseen', ack: 3001 }),
      explain({ kind: 'window-full' }, fromServer),
      explain({ kind: 'zero-window' }),
      explain({ kind: 'zero-window-probe' }, fromServer),
      explain({ kind: 'zero-window-probe-ack' }),
      explain({ kind: 'window-update', window: 65536 }),
      explain({ kind: 'keep-alive' }),
      explain({ kind: 'keep-alive-ack' }, fromServer),
      explain({ kind: 'close', steps: [2, 3] }, fromServer),
      explain({ kind: 'rst', reason: 'refused' }, fromServer),
      explain({ kind: 'rst', reason: 'abort' }),
      explain({ kind: 'dropped' }),
    ];
    assert.deepEqual(phrases, [
      'handshake 2/3 (SYN-ACK)',
      'SYN again (no answer yet: retransmitted)',
      'data 1:537',
      'request (GET /a.html)',
      'response (404 Not Found)',
      'ACK: the client has everything up to 1073',
      'delayed ACK of 2897 (one ACK for 2 segments)',
      'delayed ACK of 537 (waited 40 ms for more data)',
      'duplicate ACK #2 (the client is still missing 537)',
      'duplicate ACK #3 -> fast retransmit',
      'out-of-order: buffered, SACK 1073:2145',
      'retransmission of 537:1073 (timeout: no ACK for 210 ms)',
      'fast retransmission of 537:1073 (after 3 duplicate ACKs)',
      'spurious retransmission of 537:1073 (already acknowledged)',
      'out-of-order: 537:1073 arrives after later data',
      'gap: 537:1073 missing (lost or not captured)',
      'ACK of 3001 covers data not seen here',
      'window full: the server must wait for an ACK',
      "zero window: the client's buffer is full, stop sending",
      'zero window probe: room yet?',
      'zero window probe ACK: still no room',
      'window update: room for 65536 bytes',
      'keep-alive: is the server still there?',
      'keep-alive ACK: still here',
      'close 2/4 + 3/4 (FIN-ACK): the server got the FIN and closes too',
      'RST: connection refused',
      'RST: the client aborts the connection',
      'dropped by the fault injector',
    ]);
  });
});
