// The out-of-order range set: overlap and duplicate trimming, bounded count, against a naive model.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RangeSet } from '../../../src/tcp/reassembly.js';

test('adjacent and overlapping ranges merge; new pieces are reported once', () => {
  const r = new RangeSet(16);
  const pieces: Array<[number, number]> = [];
  const note = (s: number, e: number) => pieces.push([s, e]);
  r.add(10, 20, note);
  r.add(30, 40, note);
  r.add(15, 35, note);
  assert.deepEqual(r.toArray(), [[10, 40]]);
  assert.deepEqual(pieces, [
    [10, 20],
    [30, 40],
    [20, 30],
  ]);
  r.add(40, 45, note);
  assert.deepEqual(r.toArray(), [[10, 45]]);
  pieces.length = 0;
  r.add(12, 18, note);
  assert.deepEqual(pieces, [], 'a duplicate adds nothing');
});

test('the range count is bounded: a new disjoint range beyond the limit is refused', () => {
  const r = new RangeSet(2);
  assert.ok(r.add(0, 1));
  assert.ok(r.add(10, 11));
  assert.ok(!r.add(20, 21));
  assert.ok(r.add(1, 5), 'extending an existing range is still fine');
  assert.deepEqual(r.toArray(), [
    [0, 5],
    [10, 11],
  ]);
});

test('property: the set equals a naive bitmap model; gaps and removals agree', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 40 })), {
        maxLength: 60,
      }),
      fc.integer({ min: 0, max: 340 }),
      (adds, cut) => {
        const r = new RangeSet(1000);
        const model = new Uint8Array(400);
        for (const [s, len] of adds) {
          let newBytes = 0;
          r.add(s, s + len, (a, b) => {
            for (let i = a; i < b; i++) assert.equal(model[i], 0, 'reported piece was new');
            newBytes += b - a;
          });
          let expectNew = 0;
          for (let i = s; i < s + len; i++) {
            if (!model[i]) expectNew++;
            model[i] = 1;
          }
          assert.equal(newBytes, expectNew);
        }
        const ranges = r.toArray();
        const fromRanges = new Uint8Array(400);
        for (let i = 0; i < ranges.length; i++) {
          const [a, b] = ranges[i];
          assert.ok(b > a);
          if (i > 0) assert.ok(a > ranges[i - 1][1], 'disjoint and not adjacent');
          fromRanges.fill(1, a, b);
        }
        assert.deepEqual(fromRanges, model);
        let gaps = 0;
        for (let i = 0; i < cut; i++) if (!model[i]) gaps++;
        assert.equal(r.gapBytes(0, cut), gaps);
        r.removeBelow(cut);
        model.fill(0, 0, cut);
        assert.equal(
          r.bytes(),
          model.reduce((x, y) => x + y, 0),
        );
      },
    ),
  );
});
