import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/link/clock.js';
import { createMemoryWire } from '../../../src/link/memory-wire.js';

function frame(seq: number, length = 100): Uint8Array {
  const f = new Uint8Array(length);
  new DataView(f.buffer).setUint32(0, seq);
  return f;
}
const seqOf = (f: Uint8Array) => new DataView(f.buffer, f.byteOffset).getUint32(0);

test('delivers in order after serialization plus propagation delay', () => {
  const clock = new VirtualClock();
  // 1 Mbit/s: a 1250-byte frame takes 10 ms to serialize; 5 ms propagation.
  const wire = createMemoryWire(clock, { bandwidth: 1e6, delay: 5, mtu: 1500 });
  const arrivals: [number, number][] = [];
  wire.b.setReceiver((f, info) => arrivals.push([seqOf(f), info.timestamp]));
  for (let i = 0; i < 3; i++) wire.a.transmit(frame(i, 1250));
  clock.runUntilIdle();
  assert.deepEqual(arrivals, [
    [0, 15],
    [1, 25],
    [2, 35],
  ]);
  assert.equal(wire.a.stats.delivered, 3);
  assert.equal(wire.a.stats.bytes, 3750);
});

test('an idle transmitter starts at once; a gap resets the backlog', () => {
  const clock = new VirtualClock();
  const wire = createMemoryWire(clock, { bandwidth: 8e6 }); // 1 byte per microsecond
  const arrivals: number[] = [];
  wire.b.setReceiver((_f, info) => arrivals.push(info.timestamp));
  wire.a.transmit(frame(0, 1000)); // 1 ms
  clock.advanceTo(10);
  wire.a.transmit(frame(1, 500)); // 0.5 ms, starting at 10
  clock.runUntilIdle();
  assert.deepEqual(arrivals, [1, 10.5]);
});

test('both directions are independent and the frame is copied on transmit', () => {
  const clock = new VirtualClock();
  const wire = createMemoryWire(clock, { delay: 1 });
  const atA: number[] = [];
  const atB: number[] = [];
  wire.a.setReceiver((f) => atA.push(seqOf(f)));
  wire.b.setReceiver((f) => atB.push(seqOf(f)));
  const f = frame(7);
  wire.a.transmit(f);
  f.fill(0xff); // the caller reuses its buffer
  wire.b.transmit(frame(9));
  clock.runUntilIdle();
  assert.deepEqual(atB, [7]);
  assert.deepEqual(atA, [9]);
});

test('drop-tail queue: the frame on the wire plus queueFrames fit, the rest are dropped', () => {
  const clock = new VirtualClock();
  const wire = createMemoryWire(clock, { bandwidth: 1e6, queueFrames: 5 });
  const got: number[] = [];
  wire.b.setReceiver((f) => got.push(seqOf(f)));
  for (let i = 0; i < 10; i++) wire.a.transmit(frame(i, 1000));
  assert.equal(wire.a.queueLength, 6); // 1 serializing + 5 waiting
  clock.runUntilIdle();
  assert.deepEqual(got, [0, 1, 2, 3, 4, 5]);
  assert.equal(wire.a.stats.queueDrops, 4);
  // Once the queue drains, frames are accepted again.
  wire.a.transmit(frame(10, 1000));
  clock.runUntilIdle();
  assert.deepEqual(got.at(-1), 10);
});

test('queue space frees as frames finish serializing, not when they arrive', () => {
  const clock = new VirtualClock();
  // 8 ms per 1000-byte frame, 100 ms propagation, room for 1 waiting frame.
  const wire = createMemoryWire(clock, { bandwidth: 1e6, delay: 100, queueFrames: 1 });
  let count = 0;
  wire.b.setReceiver(() => count++);
  wire.a.transmit(frame(0, 1000)); // on the wire until 8
  wire.a.transmit(frame(1, 1000)); // waiting
  wire.a.transmit(frame(2, 1000)); // dropped
  clock.advanceTo(8); // frame 0 fully sent (still propagating), frame 1 now serializing
  wire.a.transmit(frame(3, 1000)); // fits
  clock.runUntilIdle();
  assert.equal(count, 3);
  assert.equal(wire.a.stats.queueDrops, 1);
});

test('a byte bound on the queue drops too', () => {
  const clock = new VirtualClock();
  const wire = createMemoryWire(clock, { bandwidth: 1e6, queueBytes: 2500 });
  for (let i = 0; i < 4; i++) wire.a.transmit(frame(i, 1000));
  clock.runUntilIdle();
  assert.equal(wire.a.stats.delivered, 2);
  assert.equal(wire.a.stats.queueDrops, 2);
});

test('frames larger than MTU + link header are dropped and counted', () => {
  const clock = new VirtualClock();
  const eth = createMemoryWire(clock, { mtu: 1500 });
  eth.a.transmit(new Uint8Array(1514));
  eth.a.transmit(new Uint8Array(1515));
  const ip = createMemoryWire(clock, { mtu: 1500, linkType: 'ip' });
  ip.a.transmit(new Uint8Array(1500));
  ip.a.transmit(new Uint8Array(1501));
  clock.runUntilIdle();
  assert.deepEqual([eth.a.stats.delivered, eth.a.stats.oversize], [1, 1]);
  assert.deepEqual([ip.a.stats.delivered, ip.a.stats.oversize], [1, 1]);
  assert.equal(ip.b.linkType, 'ip');
});

test('close stops delivery and cancels pending timers', () => {
  const clock = new VirtualClock();
  const wire = createMemoryWire(clock, { delay: 10 });
  let count = 0;
  wire.b.setReceiver(() => count++);
  wire.a.transmit(frame(0));
  wire.close();
  wire.close();
  wire.a.transmit(frame(1));
  clock.runUntilIdle();
  assert.equal(count, 0);
  assert.equal(clock.pendingTimers, 0);
});

test('100 MB at 1 Gbit/s takes 0.8 s of virtual time, with nothing lost', () => {
  const clock = new VirtualClock();
  const wire = createMemoryWire(clock, { bandwidth: 1e9, delay: 0.05, queueFrames: 100 });
  let bytes = 0;
  wire.b.setReceiver((f) => {
    bytes += f.length;
  });
  const payload = new Uint8Array(1500);
  const total = 100 * 1000 * 1000;
  let sent = 0;
  // A sender that tops the queue up every 0.5 ms, as a stack with a large window would.
  const pump = () => {
    for (; wire.a.queueLength < 100 && sent < total; sent += 1500) wire.a.transmit(payload);
    if (sent < total) clock.setTimer(clock.now() + 0.5, pump);
  };
  pump();
  clock.runUntilIdle();
  assert.equal(wire.a.stats.queueDrops, 0);
  assert.equal(bytes, Math.ceil(total / 1500) * 1500);
  const expectedMs = (bytes * 8) / 1e6; // 1e9 bit/s = 1e6 bit/ms
  assert.ok(Math.abs(clock.now() - (expectedMs + 0.05)) < 0.5, `finished at ${clock.now()} ms`);
});
