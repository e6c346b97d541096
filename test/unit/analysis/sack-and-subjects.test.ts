// Follow-up labels: D-SACK (RFC 2883), SACK-based fast retransmission (RFC 6675 / RACK) and the
// grammar of the subjects ("we abort", "the server aborts").
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { explain, explainPacket, TcpAnalyzer, type TcpLabel } from '../../../src/analysis/index.js';
import { c, handshake, s } from './conversation.js';

function feedAll(specs: ReturnType<typeof c>[]) {
  const analyzer = new TcpAnalyzer();
  return specs.map((p) => analyzer.feed(p));
}

const kinds = (labels: readonly TcpLabel[]) => labels.map((l) => l.kind);

describe('D-SACK (RFC 2883)', () => {
  it('labels a SACK block below the ACK number as a duplicate segment, not out-of-order data', () => {
    const packets = feedAll([
      ...handshake(),
      s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 536 }),
      c({ t: 20.1, flags: 'A', seq: 1, ack: 537, win: 502 }),
      // The server resends 1:537 (its ACK got lost); we already had it and say so with a D-SACK.
      s({ t: 400, flags: 'A', seq: 1, ack: 1, len: 536 }),
      c({ t: 400.1, flags: 'A', seq: 1, ack: 537, win: 502, sack: [[1, 537]] }),
    ]);
    const dsackAck = packets[6];
    assert.deepEqual(
      dsackAck.labels.find((l) => l.kind === 'dsack'),
      { kind: 'dsack', start: 1, end: 537 },
    );
    assert.ok(!kinds(dsackAck.labels).includes('sack'), 'no ordinary SACK block left');
    const text = explainPacket(dsackAck);
    assert.match(text, /duplicate segment reported \(D-SACK 1:537\): the client got these bytes twice/);
    assert.doesNotMatch(text, /out-of-order/);
  });

  it('labels a first block inside the second as D-SACK and keeps the second as a SACK block', () => {
    const packets = feedAll([
      ...handshake(),
      s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 536 }),
      s({ t: 20, flags: 'A', seq: 537, ack: 1, len: 536 }),
      s({ t: 20, flags: 'A', seq: 1073, ack: 1, len: 536 }),
      c({
        t: 20.2,
        flags: 'A',
        seq: 1,
        ack: 1,
        win: 502,
        sack: [
          [1073, 1609],
          [537, 1609],
        ],
      }),
    ]);
    const ack = packets[6];
    assert.deepEqual(
      ack.labels.find((l) => l.kind === 'dsack'),
      { kind: 'dsack', start: 1073, end: 1609 },
    );
    assert.deepEqual(
      ack.labels.find((l) => l.kind === 'sack'),
      { kind: 'sack', blocks: [[537, 1609]] },
    );
  });

  it('keeps an ordinary SACK block above the ACK as out-of-order data buffered', () => {
    const packets = feedAll([
      ...handshake(),
      s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 536 }),
      s({ t: 20, flags: 'A', seq: 1073, ack: 1, len: 536 }),
      c({ t: 20.2, flags: 'A', seq: 1, ack: 537, win: 502, sack: [[1073, 1609]] }),
    ]);
    assert.ok(!kinds(packets[5].labels).includes('dsack'));
    assert.match(explainPacket(packets[5]), /out-of-order: buffered, SACK 1073:1609/);
  });
});

describe('SACK-based fast retransmission (RFC 6675 §5, RACK)', () => {
  // The server sends three segments; the client's first ACK stops at the hole 537:1073 and SACKs
  // 1073:1609. No duplicate ACK at all: the ACK number advanced.
  const flight = () => [
    ...handshake(),
    s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 536 }),
    s({ t: 20, flags: 'A', seq: 537, ack: 1, len: 536 }),
    s({ t: 20, flags: 'A', seq: 1073, ack: 1, len: 536 }),
    c({ t: 30, flags: 'A', seq: 1, ack: 537, win: 502, sack: [[1073, 1609]] }),
  ];

  it('labels the hole resent right after one SACK-carrying ACK as a fast retransmission', () => {
    const packets = feedAll([...flight(), s({ t: 30.5, flags: 'A', seq: 537, ack: 1, len: 536 })]);
    const resent = packets[7];
    assert.deepEqual(resent.labels, [
      { kind: 'fast-retransmission', start: 537, end: 1073, dupAcks: 0, sack: true },
    ]);
    assert.match(
      explainPacket(resent),
      /^fast retransmission of 537:1073 \(SACK-based: .*before any timeout\)$/,
    );
    assert.doesNotMatch(explainPacket(resent), /timeout:/);
  });

  it('still calls a resend after an RTO could have fired a timeout', () => {
    const packets = feedAll([...flight(), s({ t: 1020, flags: 'A', seq: 537, ack: 1, len: 536 })]);
    const label = packets[7].labels[0];
    assert.equal(label.kind, 'retransmission');
    assert.equal(label.kind === 'retransmission' && label.cause, 'timeout');
  });

  it('does not call an early resend with no SACK above it a timeout', () => {
    const packets = feedAll([
      ...handshake(),
      s({ t: 20, flags: 'A', seq: 1, ack: 1, len: 536 }),
      s({ t: 20, flags: 'A', seq: 537, ack: 1, len: 536 }),
      c({ t: 30, flags: 'A', seq: 1, ack: 537, win: 502 }),
      s({ t: 50, flags: 'A', seq: 537, ack: 1, len: 536 }),
    ]);
    const label = packets[6].labels[0];
    assert.equal(label.kind, 'retransmission');
    assert.equal(label.kind === 'retransmission' && label.cause, 'unknown');
  });
});

describe('subjects and verbs', () => {
  const ours = { fromClient: true, localIsClient: true };
  const theirs = { fromClient: false, localIsClient: true };

  it('conjugates for "we" and for "the server"/"the client"', () => {
    assert.equal(explain({ kind: 'rst', reason: 'abort' }, ours), 'RST: we abort the connection');
    assert.equal(explain({ kind: 'rst', reason: 'abort' }, theirs), 'RST: the server aborts the connection');
    assert.equal(
      explain({ kind: 'rst', reason: 'after-close' }, ours),
      'RST: we discard the closed connection',
    );
    assert.equal(
      explain({ kind: 'rst', reason: 'after-close' }, { fromClient: true }),
      'RST: the client discards the closed connection',
    );
    assert.equal(
      explain({ kind: 'close', steps: [2, 3] }, ours),
      'close 2/4 + 3/4 (FIN-ACK): we got the FIN and close too',
    );
    assert.equal(explain({ kind: 'close', steps: [1] }, ours), 'close 1/4 (FIN): we are done sending');
    assert.equal(explain({ kind: 'ack', ack: 5, segments: 1 }, ours), 'ACK: we have everything up to 5');
    assert.equal(explain({ kind: 'keep-alive' }, theirs), 'keep-alive: are we still there?');
    assert.equal(
      explain({ kind: 'zero-window' }, theirs),
      "zero window: the server's buffer is full, stop sending",
    );
  });

  it('never pairs "we" with a third-person verb in any phrase', () => {
    const labels: TcpLabel[] = [
      { kind: 'rst', reason: 'abort' },
      { kind: 'rst', reason: 'after-close' },
      { kind: 'close', steps: [1] },
      { kind: 'close', steps: [2] },
      { kind: 'close', steps: [2, 3] },
      { kind: 'close', steps: [3] },
      { kind: 'ack', ack: 1, segments: 1 },
      { kind: 'dup-ack', ack: 1, count: 1 },
      { kind: 'window-full' },
      { kind: 'zero-window' },
      { kind: 'dsack', start: 1, end: 2 },
    ];
    for (const label of labels) {
      for (const ctx of [ours, theirs]) {
        const text = explain(label, ctx);
        assert.doesNotMatch(text, /\bwe (has|is|aborts|discards|closes|gets)\b/, text);
        assert.doesNotMatch(text, /\bthe (server|client) (have|are|abort|discard|close)\b/, text);
      }
    }
  });
});
