// The simulator's own parts: trace bounding, the wire RTT sampler (Karn), impairment assembly,
// scripted drops and the stall detector.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ImpairSpecError } from '../../../src/link/impair-spec.js';
import { impairmentFor } from '../../../src/sim/impairments.js';
import { dropNth, simulate } from '../../../src/sim/index.js';
import { RttSampler } from '../../../src/sim/rtt-sampler.js';
import type { SimSegmentEvent } from '../../../src/sim/segment-view.js';
import { TraceBuffer } from '../../../src/sim/trace-buffer.js';

test('TraceBuffer keeps the first and last N lines and says how many it left out', () => {
  const t = new TraceBuffer(2);
  for (let i = 1; i <= 7; i++) t.add(`l${i}`);
  assert.deepEqual(t.lines(), ['l1', 'l2', '... 3 lines not shown (use --trace-all) ...', 'l6', 'l7']);
  assert.equal(t.total, 7);
  const small = new TraceBuffer(5);
  for (let i = 1; i <= 3; i++) small.add(`l${i}`);
  assert.deepEqual(small.lines(), ['l1', 'l2', 'l3']);
});

test('RttSampler times one segment at a time and never across a retransmission (Karn)', () => {
  const r = new RttSampler();
  r.onSent(0, 1000, 100); // timed: ends at 1100
  r.onSent(1, 1100, 100);
  r.onAck(10, 1100);
  assert.deepEqual(r.summary(), { samples: 1, min: 10, avg: 10, max: 10 });
  r.onSent(20, 1200, 100); // timed: ends at 1300
  r.onSent(220, 1200, 100); // retransmitted: no sample from it
  r.onAck(230, 1300);
  assert.equal(r.summary().samples, 1);
  r.onSent(240, 1300, 100); // new data is timed again
  r.onAck(244, 1400);
  assert.deepEqual(r.summary(), { samples: 2, min: 4, avg: 7, max: 10 });
});

test('RttSampler compares sequence numbers across the 2^32 wrap', () => {
  const r = new RttSampler();
  r.onSent(0, 0xffffff00, 0x200); // ends at 0x100 after the wrap
  r.onAck(5, 0x80);
  assert.equal(r.summary().samples, 0, 'an ACK short of the end gives no sample');
  r.onAck(6, 0x100);
  assert.equal(r.summary().samples, 1);
});

test('impairmentFor: loss shorthand, the simulation seed, and loss given twice', () => {
  assert.equal(impairmentFor(undefined, undefined, 9), null);
  assert.equal(impairmentFor(undefined, 0, 9), null);
  const both = impairmentFor(undefined, 0.02, 9);
  assert.deepEqual(both, { in: { loss: 0.02 }, out: { loss: 0.02 }, seed: 9 });
  assert.equal(impairmentFor('delay=1ms', undefined, 9)?.seed, 9);
  assert.equal(impairmentFor('delay=1ms,seed=3', undefined, 9)?.seed, 3);
  assert.throws(() => impairmentFor('loss=1%,dir=in', 0.02, 9), ImpairSpecError);
});

test('dropNth drops exactly the chosen segments of one side', () => {
  const dropped: number[] = [];
  const result = simulate({
    size: 50_000,
    rtt: 10,
    seed: 3,
    dropRule: dropNth('server', [2, 5], { dataOnly: true }),
    onSegment: (ev: SimSegmentEvent) => {
      if (ev.dropped) dropped.push(ev.dataIndex);
    },
  });
  assert.equal(result.ok, true, result.failure ?? '');
  assert.deepEqual(dropped, [2, 5]);
  assert.equal(result.serverToClient.scriptedDrops, 2);
  assert.equal(result.clientToServer.scriptedDrops, 0);
  assert.ok(result.retransmissions >= 2);
});

test('the stall detector fails a run that goes quiet and dumps both engines', () => {
  // Everything the server sends after its SYN-ACK is lost; with the limit below one RTO, the silence
  // before the first retransmission timeout already counts as a stall.
  const result = simulate({
    size: 20_000,
    rtt: 10,
    dropRule: (ev) => ev.side === 'server' && ev.payloadLength > 0,
    stallRtos: 0.5,
  });
  assert.equal(result.ok, false);
  assert.match(result.failure ?? '', /^stalled: no progress and no frame sent for/);
  assert.match(result.diagnostic ?? '', /server: app wrote 20000\/20000/);
  assert.match(result.diagnostic ?? '', /timers retransmit@/);
  assert.match(result.diagnostic ?? '', /last frames at the server:[\s\S]*server DROP \[\.\]/);
});

test('the same lossy run with the default limit is not a stall (retransmissions are activity)', () => {
  const result = simulate({
    size: 20_000,
    rtt: 10,
    dropRule: dropNth('server', [1, 2, 3], { dataOnly: true }),
  });
  assert.equal(result.ok, true, result.failure ?? '');
});
