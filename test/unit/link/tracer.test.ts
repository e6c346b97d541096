import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/link/clock.js';
import { createMemoryWire } from '../../../src/link/memory-wire.js';
import { elapsed, hexSummary, Tracer, timeOfDay } from '../../../src/link/tracer.js';

test('numbers every frame in and out, with the injected formatter', () => {
  const clock = new VirtualClock();
  const wire = createMemoryWire(clock, { delay: 1 });
  const lines: string[] = [];
  const calls: string[] = [];
  const traced = new Tracer(wire.a, {
    clock,
    write: (l) => lines.push(l),
    format: (frame, linkType, direction, ts) => {
      calls.push(`${linkType}/${direction}/${ts}`);
      return `frame ${frame[0]}`;
    },
  });
  const got: number[] = [];
  traced.setReceiver((f) => got.push(f[0]));
  wire.b.setReceiver((f) => wire.b.transmit(Uint8Array.of(f[0] + 100)));
  for (let i = 1; i <= 5; i++) traced.transmit(Uint8Array.of(i));
  clock.runUntilIdle();
  assert.deepEqual(got, [101, 102, 103, 104, 105], 'frames still pass through');
  assert.deepEqual(lines.slice(0, 3), [' 1: frame 1', ' 2: frame 2', ' 3: frame 3']);
  assert.equal(lines.length, 10);
  assert.equal(lines[9], '10: frame 105');
  assert.deepEqual(calls.slice(4, 6), ['ethernet/out/0', 'ethernet/in/2']);
  assert.equal(traced.count, 10);
});

test('relative timestamps count from the first frame; absolute ones print the time of day', () => {
  const clock = new VirtualClock(5000);
  const wire = createMemoryWire(clock);
  const lines: string[] = [];
  const rel = new Tracer(wire.a, { clock, timestamps: 'relative', write: (l) => lines.push(l) });
  rel.transmit(Uint8Array.of(0xab, 0xcd));
  clock.advance(1234.5678);
  rel.transmit(Uint8Array.of(1));
  assert.equal(lines[0], ' 1: 00:00:00.000000 > ethernet 2 bytes: abcd');
  assert.equal(lines[1], ' 2: 00:00:01.234568 > ethernet 1 bytes: 01');
  const epoch = new Date(2024, 0, 2, 13, 4, 5, 6).getTime();
  const abs: string[] = [];
  const t = new Tracer(createMemoryWire(clock).a, {
    clock,
    epochAt0: epoch - clock.now(),
    timestamps: 'absolute',
    write: (l) => abs.push(l),
  });
  t.transmit(Uint8Array.of(1));
  assert.equal(abs[0], ' 1: 13:04:05.006000 > ethernet 1 bytes: 01');
});

test('directions filter, formatter errors fall back to hex', () => {
  const clock = new VirtualClock();
  const wire = createMemoryWire(clock);
  const lines: string[] = [];
  const t = new Tracer(wire.a, {
    clock,
    directions: 'in',
    write: (l) => lines.push(l),
    format: () => {
      throw new Error('boom');
    },
  });
  t.transmit(Uint8Array.of(1)); // not traced
  wire.b.transmit(Uint8Array.of(2));
  clock.runUntilIdle();
  assert.deepEqual(lines, [' 1: < ethernet 1 bytes: 02 [format error: boom]']);
});

test('helpers: hex summary truncates, elapsed and timeOfDay format', () => {
  const long = new Uint8Array(40).map((_, i) => i);
  assert.match(hexSummary(long, 'ip', 'out'), /^> ip 40 bytes: 0001 0203 .* 1e1f \.\.\.$/);
  assert.equal(elapsed(3_723_004.5), '01:02:03.004500');
  assert.equal(timeOfDay(new Date(2020, 5, 6, 7, 8, 9, 10).getTime() + 0.011), '07:08:09.010011');
});
