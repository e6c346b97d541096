// Wrap-safe sequence arithmetic (RFC 9293 §3.4).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  seq,
  seqAdd,
  seqGe,
  seqGt,
  seqInRange,
  seqLe,
  seqLt,
  seqMax,
  seqMin,
  seqSub,
} from '../../../src/tcp/seq.js';

test('comparisons hold across the 2^32 wrap', () => {
  const a = seq(0xfffffff0);
  const b = seqAdd(a, 0x20);
  assert.equal(b, 0x10);
  assert.ok(seqLt(a, b));
  assert.ok(seqGt(b, a));
  assert.ok(seqLe(a, a) && seqGe(b, b));
  assert.equal(seqSub(b, a), 0x20);
  assert.equal(seqSub(a, b), -0x20);
  assert.equal(seqMax(a, b), b);
  assert.equal(seqMin(a, b), a);
  assert.ok(seqInRange(seq(0), a, b));
  assert.ok(!seqInRange(b, a, b));
});

test('property: for distances below 2^31, comparisons agree with unwrapped arithmetic', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 0, max: 2 ** 32 - 1 }),
      fc.integer({ min: -(2 ** 31) + 1, max: 2 ** 31 - 1 }),
      (base, d) => {
        const a = seq(base);
        const b = seqAdd(a, d);
        assert.equal(seqSub(b, a), d);
        assert.equal(seqLt(a, b), d > 0);
        assert.equal(seqLe(a, b), d >= 0);
        assert.equal(seqGt(a, b), d < 0);
        assert.ok(b >= 0 && b < 2 ** 32);
      },
    ),
  );
});
