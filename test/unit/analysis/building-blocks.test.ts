// The analyzer's building blocks: interval sets, the in-flight list (Karn's rule), HTTP line hints.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { IntervalSet, parseRequestLine, parseStatusLine } from '../../../src/analysis/index.js';
import { SentSegments } from '../../../src/analysis/sent-segments.js';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('IntervalSet', () => {
  it('merges overlapping and adjacent ranges', () => {
    const set = new IntervalSet();
    set.add(10, 20);
    set.add(30, 40);
    set.add(20, 25);
    set.add(0, 5);
    assert.deepEqual(set.ranges(), [
      [0, 5],
      [10, 25],
      [30, 40],
    ]);
    set.add(4, 31);
    assert.deepEqual(set.ranges(), [[0, 40]]);
  });

  it('agrees with a byte-by-byte model while under its cap', () => {
    const range = fc.tuple(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 0, max: 30 }));
    fc.assert(
      fc.property(fc.array(range, { maxLength: 40 }), range, (adds, [qs, ql]) => {
        const set = new IntervalSet(1000);
        const model = new Set<number>();
        for (const [start, len] of adds) {
          set.add(start, start + len);
          for (let b = start; b < start + len; b++) model.add(b);
        }
        const bytes = Array.from({ length: ql }, (_, k) => qs + k);
        assert.equal(set.covers(qs, qs + ql), ql > 0 && bytes.every((b) => model.has(b)));
        assert.equal(
          set.overlaps(qs, qs + ql),
          bytes.some((b) => model.has(b)),
        );
      }),
    );
  });

  it('stays within its cap by coarsening the lowest ranges', () => {
    const set = new IntervalSet(8);
    for (let i = 0; i < 1000; i++) set.add(i * 10, i * 10 + 5);
    assert.equal(set.size, 8);
    assert.ok(set.covers(9990, 9995), 'the newest range is kept exactly');
  });
});

describe('SentSegments', () => {
  it('gives an RTT sample for an ACK that exactly covers a segment sent once', () => {
    const sent = new SentSegments(16);
    sent.push(1, 101, 0);
    sent.push(101, 201, 5);
    const out = { rtt: -1 };
    assert.equal(sent.acknowledge(201, 30, out), 2);
    assert.equal(out.rtt, 25);
  });

  it('gives no sample for a retransmitted segment (Karn, RFC 6298 §3)', () => {
    const sent = new SentSegments(16);
    sent.push(1, 101, 0);
    sent.push(201, 301, 7); // after a gap: 101:201 was never seen
    assert.equal(sent.markRetransmitted(101, 201), -1, 'the lost bytes had no first copy here');
    assert.equal(sent.markRetransmitted(1, 101), 0);
    const out = { rtt: -1 };
    sent.acknowledge(101, 300, out);
    assert.equal(out.rtt, -1);
  });

  it('forgets the oldest entries when full', () => {
    const sent = new SentSegments(4);
    for (let i = 1; i <= 10; i++) sent.push(i * 100 - 100, i * 100, i);
    assert.equal(sent.length, 4);
  });
});

describe('HTTP hints', () => {
  it('reads request and status lines', () => {
    assert.deepEqual(parseRequestLine(ascii('GET /a.html HTTP/1.0\r\nHost: x\r\n')), {
      method: 'GET',
      target: '/a.html',
      version: 'HTTP/1.0',
    });
    assert.deepEqual(parseStatusLine(ascii('HTTP/1.1 404 Not Found\r\n')), {
      version: 'HTTP/1.1',
      status: 404,
      reason: 'Not Found',
    });
  });

  it('ignores payloads that are not HTTP/1.x', () => {
    assert.equal(parseRequestLine(ascii('GETTING /x')), undefined);
    assert.equal(parseStatusLine(ascii('HTTP/2 200')), undefined);
    assert.equal(parseStatusLine(new Uint8Array([0x16, 0x03, 0x01])), undefined);
  });
});
