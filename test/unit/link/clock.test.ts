import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { RealClock, VirtualClock } from '../../../src/link/clock.js';

test('virtual clock fires timers in time order, equal times in insertion order', () => {
  const clock = new VirtualClock();
  const fired: string[] = [];
  clock.setTimer(30, () => fired.push('c'));
  clock.setTimer(10, () => fired.push('a1'));
  clock.setTimer(10, () => fired.push('a2'));
  clock.setTimer(20, () => fired.push('b'));
  clock.setTimer(10, () => fired.push('a3'));
  clock.runUntilIdle();
  assert.deepEqual(fired, ['a1', 'a2', 'a3', 'b', 'c']);
  assert.equal(clock.now(), 30);
});

test('advance fires only what is due and moves time exactly', () => {
  const clock = new VirtualClock(100);
  const at: number[] = [];
  clock.setTimer(105, () => at.push(clock.now()));
  clock.setTimer(120, () => at.push(clock.now()));
  clock.advance(10);
  assert.deepEqual(at, [105]);
  assert.equal(clock.now(), 110);
  assert.equal(clock.pendingTimers, 1);
  assert.equal(clock.nextTimerAt(), 120);
  clock.advanceTo(120);
  assert.deepEqual(at, [105, 120]);
  assert.throws(() => clock.advanceTo(50), RangeError);
});

test('timers set from timers run in the same advance when due', () => {
  const clock = new VirtualClock();
  const at: number[] = [];
  const tick = () => {
    at.push(clock.now());
    if (clock.now() < 50) clock.setTimer(clock.now() + 10, tick);
  };
  clock.setTimer(0, tick);
  clock.advance(35);
  assert.deepEqual(at, [0, 10, 20, 30]);
  clock.runUntilIdle();
  assert.deepEqual(at, [0, 10, 20, 30, 40, 50]);
});

test('a timer in the past fires at the current time, not before it', () => {
  const clock = new VirtualClock(1000);
  let firedAt = -1;
  clock.setTimer(10, () => {
    firedAt = clock.now();
  });
  clock.runUntilIdle();
  assert.equal(firedAt, 1000);
});

test('clearTimer cancels; unknown and repeated clears are harmless', () => {
  const clock = new VirtualClock();
  let fired = 0;
  const id = clock.setTimer(5, () => fired++);
  clock.setTimer(6, () => fired++);
  clock.clearTimer(id);
  clock.clearTimer(id);
  clock.clearTimer(12345);
  assert.equal(clock.pendingTimers, 1);
  assert.equal(clock.runUntilIdle(), 1);
  assert.equal(fired, 1);
});

test('runUntil stops when the predicate holds, or reports false when idle', () => {
  const clock = new VirtualClock();
  let count = 0;
  for (let i = 1; i <= 10; i++) clock.setTimer(i * 10, () => count++);
  assert.equal(
    clock.runUntil(() => count >= 3),
    true,
  );
  assert.equal(clock.now(), 30);
  assert.equal(
    clock.runUntil(() => count >= 99),
    false,
  );
  assert.equal(count, 10);
  assert.equal(clock.runUntil(500), true);
  assert.equal(clock.now(), 500);
});

test('runUntilIdle throws on a timer that re-arms forever', () => {
  const clock = new VirtualClock();
  const forever = () => clock.setTimer(clock.now() + 1, forever);
  clock.setTimer(0, forever);
  assert.throws(() => clock.runUntilIdle(1000), /still busy after 1000/);
});

test('property: any set of timers fires sorted by (time, insertion), cleared ones never', () => {
  fc.assert(
    fc.property(
      fc.array(fc.record({ at: fc.integer({ min: 0, max: 50 }), clear: fc.boolean() }), { maxLength: 200 }),
      (specs) => {
        const clock = new VirtualClock();
        const fired: number[] = [];
        const ids = specs.map((s, i) => clock.setTimer(s.at, () => fired.push(i)));
        specs.forEach((s, i) => {
          if (s.clear) clock.clearTimer(ids[i]);
        });
        clock.runUntilIdle();
        const expected = specs
          .map((s, i) => ({ ...s, i }))
          .filter((s) => !s.clear)
          .sort((x, y) => x.at - y.at || x.i - y.i)
          .map((s) => s.i);
        assert.deepEqual(fired, expected);
      },
    ),
  );
});

test('real clock fires timers in order and honours clearTimer', async () => {
  const clock = new RealClock();
  const fired: string[] = [];
  const t0 = clock.now();
  await new Promise<void>((resolve) => {
    const cancelled = clock.setTimer(t0 + 1, () => fired.push('cancelled'));
    clock.setTimer(t0 + 2, () => fired.push('first'));
    clock.setTimer(t0 + 15, () => {
      fired.push('second');
      resolve();
    });
    clock.clearTimer(cancelled);
  });
  assert.deepEqual(fired, ['first', 'second']);
  assert.ok(clock.now() >= t0 + 15 - 1, 'the timer did not fire before its time');
});
