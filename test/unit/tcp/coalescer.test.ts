// SegmentCoalescer on its own: what it holds, when it hands over, and that order is kept.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MAX_COALESCED_PAYLOAD, SegmentCoalescer } from '../../../src/tcp/coalescer.js';
import { emptySegment, TcpFlags, type TcpSegment } from '../../../src/tcp/segment.js';

type Delivered = { key: string; seq: number; flags: number; bytes: number[] };

function make(next: Record<string, number>) {
  const out: Delivered[] = [];
  const c = new SegmentCoalescer<string>(
    (key) => next[key] ?? -1,
    (key, seg) => out.push({ key, seq: seg.seq, flags: seg.flags, bytes: [...seg.payload] }),
  );
  return { c, out };
}

function data(seq: number, bytes: number[], flags: number = TcpFlags.ACK): TcpSegment {
  return { ...emptySegment(), seq, ack: 7, flags, window: 100, payload: Uint8Array.from(bytes) };
}

test('contiguous segments across the 2^32 wrap are merged; the merged payload is their concatenation', () => {
  const start = 2 ** 32 - 2;
  const { c, out } = make({ a: start });
  assert.equal(c.offer('a', data(start, [1, 2])), true);
  assert.equal(c.offer('a', data(0, [3, 4])), true);
  assert.equal(c.offer('a', data(2, [5, 6])), true);
  c.flush();
  assert.deepEqual(out, [{ key: 'a', seq: start, flags: TcpFlags.ACK, bytes: [1, 2, 3, 4, 5, 6] }]);
  assert.equal(c.pending, false);
});

test('a segment for another connection hands the held one over first', () => {
  const { c, out } = make({ a: 10, b: 50 });
  c.offer('a', data(10, [1]));
  assert.equal(c.offer('b', data(50, [2])), true);
  assert.deepEqual(
    out.map((d) => d.key),
    ['a'],
  );
  c.flush();
  assert.deepEqual(
    out.map((d) => d.key),
    ['a', 'b'],
  );
});

test('what is not held is left to the caller, after anything held was delivered', () => {
  const { c, out } = make({ a: 10 });
  c.offer('a', data(10, [1, 1]));
  assert.equal(c.offer('a', data(12, [2, 2], TcpFlags.ACK | TcpFlags.FIN)), false, 'FIN: never held');
  assert.deepEqual(
    out.map((d) => d.bytes),
    [[1, 1]],
    'the held run went first',
  );
  assert.equal(c.offer('a', data(99, [3])), false, 'out of order: never held');
  assert.equal(c.offer('a', data(10, [], TcpFlags.ACK)), false, 'a pure ACK: nothing to merge');
  assert.equal(c.offer('x', data(10, [1])), false, 'a connection that may not merge (-1)');
  const sack = data(10, [1]);
  sack.options.sackBlocks = [[1, 2]];
  assert.equal(c.offer('a', sack), false, 'SACK blocks: never held');
});

test('super-frames pass through, and a run stops at the largest payload one segment can carry', () => {
  const big = new Array(40_000).fill(9);
  const { c, out } = make({ a: 0 });
  assert.equal(c.offer('a', data(0, big)), false, 'a 40 KB segment is already a super-frame');
  const mss = 1448;
  let seq = 0;
  const next: Record<string, number> = { a: 0 };
  const m = make(next);
  while (seq + mss <= MAX_COALESCED_PAYLOAD) {
    assert.equal(m.c.offer('a', data(seq, new Array(mss).fill(1))), true);
    seq += mss;
  }
  assert.equal(m.out.length, 0);
  m.c.offer('a', data(seq, new Array(mss).fill(1)));
  assert.equal(m.out.length, 1, 'the next segment would not fit: the run went to the engine');
  assert.equal(m.out[0].bytes.length, seq);
  assert.equal(out.length, 0);
});

test('drop() forgets what is held', () => {
  const { c, out } = make({ a: 0 });
  c.offer('a', data(0, [1]));
  c.drop();
  c.flush();
  assert.deepEqual(out, []);
});
