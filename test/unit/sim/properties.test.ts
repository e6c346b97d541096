// Property: whatever the seed and however bad the network (loss up to 30%, reordering, duplication,
// corruption, both directions of data), the transfer is byte-exact, both ends close cleanly, nothing
// stalls and the engine's invariants hold after every step. A failing case prints its options so it
// replays exactly (`simulate(options)`).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { type SimOptions, simulate } from '../../../src/sim/index.js';

const percent = (max: number) => fc.integer({ min: 0, max: max * 10 }).map((n) => n / 1000);

const networkArb = fc.record({
  seed: fc.integer({ min: 0, max: 0xffffffff }),
  size: fc.integer({ min: 1, max: 120_000 }),
  direction: fc.constantFrom('download' as const, 'upload' as const, 'both' as const),
  rtt: fc.integer({ min: 1, max: 60 }),
  bandwidth: fc.constantFrom(1e6, 20e6, 1e9, 0),
  buffer: fc.constantFrom(undefined, 4096, 16_384, 65_536),
  cc: fc.constantFrom('cubic' as const, 'newreno' as const),
  c2s: fc.record({ loss: percent(30), reorder: percent(10), dup: percent(5), corrupt: percent(5) }),
  s2c: fc.record({ loss: percent(30), reorder: percent(10), dup: percent(5), corrupt: percent(5) }),
});

type Network = typeof networkArb extends fc.Arbitrary<infer T> ? T : never;

function spec(d: Network['c2s'], dir: 'in' | 'out'): string {
  return `loss=${d.loss},reorder=${d.reorder},dup=${d.dup},corrupt=${d.corrupt},reorder-hold=30ms,dir=${dir}`;
}

function optionsFor(n: Network): SimOptions {
  return {
    seed: n.seed,
    size: n.size,
    direction: n.direction,
    rtt: n.rtt,
    bandwidth: n.bandwidth,
    sendBuffer: n.buffer,
    receiveBuffer: n.buffer,
    congestionControl: n.cc,
    impair: `${spec(n.c2s, 'out')};${spec(n.s2c, 'in')}`,
    // At 30% loss each way a retransmission fails about half the time: give up later than the
    // defaults so that giving up (a legitimate outcome) is not mistaken for a bug.
    tcp: { synRetries: 30, synAckRetries: 30, maxRetries: 40 },
    // RTOs at their 120 s cap with tiny windows can take hours of virtual time (seconds of real time).
    maxVirtualTime: 6 * 3_600_000,
  };
}

function assertClean(o: SimOptions): void {
  const r = simulate(o);
  const replay = `replay: simulate(${JSON.stringify(o)})`;
  assert.deepEqual(r.invariantViolations, [], replay);
  assert.equal(r.ok, true, `${r.failure}\n${r.diagnostic}\n${replay}`);
  assert.equal(r.sha256Match, true, replay);
  assert.equal(r.bytesDelivered, r.bytesSent, replay);
  assert.ok(r.client.state === 'CLOSED' || r.client.state === 'TIME-WAIT', replay);
  assert.ok(r.server.state === 'CLOSED' || r.server.state === 'TIME-WAIT', replay);
  assert.equal(r.client.error, null, replay);
  assert.equal(r.server.error, null, replay);
}

test('random networks: byte-exact delivery, clean close, no stall, invariants hold', () => {
  fc.assert(
    fc.property(networkArb, (n) => assertClean(optionsFor(n))),
    { numRuns: 150, seed: 20261127 },
  );
});

test('the property can fail: a connection that is never answered is reported, not hidden', () => {
  const r = simulate({ size: 10_000, rtt: 10, impair: 'loss=100%,dir=in', tcp: { synRetries: 2 } });
  assert.equal(r.ok, false);
  assert.match(r.failure ?? '', /client connection failed: timeout/);
  assert.equal(r.bytesDelivered, 0);
});
