import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ImpairSpecError,
  parseImpairSpec,
  parseProbability,
  parseRate,
  parseSize,
  parseTime,
} from '../../../src/link/impair-spec.js';

test('the full example spec parses into both directions', () => {
  const c = parseImpairSpec(
    'loss=5%,delay=20ms,jitter=5ms,reorder=1%,dup=1%,corrupt=0.1%,rate=10mbit,blackout=2s@5s,dir=both,seed=42',
  );
  const expected = {
    loss: 0.05,
    delay: 20,
    jitter: 5,
    reorder: 0.01,
    duplicate: 0.01,
    corrupt: 0.001,
    rate: 10e6,
    blackouts: [{ duration: 2000, start: 5000 }],
  };
  assert.deepEqual(c.in, expected);
  assert.deepEqual(c.out, expected);
  assert.equal(c.seed, 42);
});

test('dir= picks one direction; ; separates groups for different directions', () => {
  const c = parseImpairSpec('loss=1%,dir=out; delay=50ms, dir=in');
  assert.deepEqual(c.out, { loss: 0.01 });
  assert.deepEqual(c.in, { delay: 50 });
  assert.equal(c.seed, 1);
  const onlyIn = parseImpairSpec('DIR=IN,Loss=2%');
  assert.deepEqual(onlyIn, { in: { loss: 0.02 }, out: {}, seed: 1 });
});

test('Gilbert-Elliott, reorder options, rate options and repeated blackouts', () => {
  const c = parseImpairSpec(
    'ge=1%/25%,reorder=2%,reorder-gap=3,reorder-hold=10ms,rate=1.5gbit,rate-burst=16k,rate-queue=20ms,blackout=1s@2s,blackout=500ms@10s',
  );
  assert.deepEqual(c.out.burst, { p: 0.01, r: 0.25, lossBad: 1, lossGood: 0 });
  assert.equal(c.out.reorderGap, 3);
  assert.equal(c.out.reorderHold, 10);
  assert.equal(c.out.rate, 1.5e9);
  assert.equal(c.out.rateBurst, 16384);
  assert.equal(c.out.rateQueue, 20);
  assert.deepEqual(c.out.blackouts, [
    { duration: 1000, start: 2000 },
    { duration: 500, start: 10000 },
  ]);
  assert.deepEqual(parseImpairSpec('burst=10%/50%/80%/1%').in.burst, {
    p: 0.1,
    r: 0.5,
    lossBad: 0.8,
    lossGood: 0.01,
  });
});

test('unit parsers', () => {
  assert.equal(parseProbability('0.25'), 0.25);
  assert.equal(parseProbability('100%'), 1);
  assert.equal(parseTime('500us'), 0.5);
  assert.equal(parseTime('1.5s'), 1500);
  assert.equal(parseTime('2m'), 120_000);
  assert.equal(parseTime('7'), 7);
  assert.equal(parseRate('500kbit'), 500_000);
  assert.equal(parseRate('10Mbps'), 10_000_000);
  assert.equal(parseRate('64000'), 64000);
  assert.equal(parseSize('1500'), 1500);
  assert.equal(parseSize('1m'), 1 << 20);
});

const BAD: [string, RegExp][] = [
  ['', /empty impairment spec/],
  ['loss', /"loss" is not key=value/],
  ['loss=abc', /bad impairment "loss=abc": expected a probability/],
  ['loss=150%', /between 0% and 100%/],
  ['loss=-1%', /expected a probability/],
  ['delay=20 parsecs', /expected a time like 20ms/],
  ['rate=10mbytes', /expected a rate in bits per second/],
  ['rate=0', /expected a rate/],
  ['blackout=2s', /blackout=DURATION@START/],
  ['ge=1%', /ge=P\/R/],
  ['ge=1%/0%', /never recovers/],
  ['dir=sideways', /dir=in, dir=out or dir=both/],
  ['seed=1.5', /integer seed/],
  ['reorder-gap=0', /whole number of frames/],
  ['wobble=3', /unknown impairment "wobble"/],
  ['loss=1%,loss=2%', /"loss" given twice/],
  ['loss=1%;loss=2%,dir=in', /"loss" set twice for direction in/],
  ['seed=1;seed=2', /seed given twice/],
];

for (const [spec, message] of BAD) {
  test(`bad spec ${JSON.stringify(spec)} is refused with a clear error and a hint`, () => {
    assert.throws(
      () => parseImpairSpec(spec),
      (err: unknown) => {
        assert.ok(err instanceof ImpairSpecError);
        assert.match(err.message, message);
        assert.ok(err.hint.length > 10);
        return true;
      },
    );
  });
}
