// Two engines through a lossy, reordering, duplicating network in virtual time (fast-check property).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { runSim, type SimParams } from './sim.js';

function data(n: number, seed: number): Uint8Array {
  const b = new Uint8Array(n);
  let x = seed | 1;
  for (let i = 0; i < n; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    b[i] = x & 0xff;
  }
  return b;
}

function baseParams(over: Partial<SimParams> = {}): SimParams {
  const link = { delay: 5, jitter: 0, loss: 0, duplicate: 0 };
  return {
    seed: 1,
    aToB: link,
    bToA: link,
    clientConfig: { timeWait: 2000 },
    serverConfig: { timeWait: 2000 },
    clientData: data(3000, 1),
    serverData: data(200_000, 2),
    clientReadRate: Number.POSITIVE_INFINITY,
    serverReadRate: Number.POSITIVE_INFINITY,
    mss: 1460,
    limit: 3_600_000,
    ...over,
  };
}

function assertClean(p: SimParams) {
  const r = runSim(p);
  assert.ok(r.server, 'the server side was created');
  assert.equal(r.serverReceived.length, p.clientData.length, 'server got every byte');
  assert.deepEqual(r.serverReceived, p.clientData);
  assert.equal(r.clientReceived.length, p.serverData.length, 'client got every byte');
  assert.deepEqual(r.clientReceived, p.serverData);
  assert.equal(r.client.state, 'CLOSED', `client closed (at ${r.now})`);
  assert.equal(r.server.state, 'CLOSED', `server closed (at ${r.now})`);
  assert.equal(r.client.error, null, `client error ${r.client.error?.message}`);
  assert.equal(r.server.error, null, `server error ${r.server.error?.message}`);
  return r;
}

test('clean network: 200 KB down, 3 KB up, clean close', () => {
  const r = assertClean(baseParams());
  assert.equal(r.client.stats().retransmits, 0);
  assert.equal(r.server?.stats().retransmits, 0);
});

test('2 MB download over a clean 1 ms link is not window-bound and finishes fast in virtual time', () => {
  const p = baseParams({
    serverData: data(2_000_000, 3),
    aToB: { delay: 0.5, jitter: 0, loss: 0, duplicate: 0 },
    bToA: { delay: 0.5, jitter: 0, loss: 0, duplicate: 0 },
  });
  const r = assertClean(p);
  // 2 MB at 1 ms RTT with slow start from 10 segments: a few dozen RTTs, not seconds.
  assert.ok(r.now < 2000 + 200, `took ${r.now} ms of virtual time`);
});

test('slow readers and small buffers: zero windows, persist probes, everything delivered', () => {
  assertClean(
    baseParams({
      clientConfig: { timeWait: 2000, receiveBufferSize: 8192 },
      serverConfig: { timeWait: 2000, receiveBufferSize: 4096 },
      clientReadRate: 500,
      serverReadRate: 300,
      clientData: data(20_000, 5),
      serverData: data(60_000, 6),
    }),
  );
});

test('both sequence spaces wrap mid-transfer, with loss and reordering', () => {
  const link = { delay: 5, jitter: 10, loss: 0.05, duplicate: 0.02 };
  assertClean(
    baseParams({
      aToB: link,
      bToA: link,
      clientIsn: 2 ** 32 - 20_000,
      serverIsn: 2 ** 32 - 50_000,
      clientData: data(60_000, 7),
      serverData: data(150_000, 8),
    }),
  );
});

const linkArb = fc.record({
  delay: fc.integer({ min: 1, max: 40 }),
  jitter: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })),
  loss: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.3, noNaN: true })),
  duplicate: fc.oneof(fc.constant(0), fc.double({ min: 0, max: 0.1, noNaN: true })),
});

const configArb = fc.record({
  sack: fc.boolean(),
  timestamps: fc.boolean(),
  windowScaling: fc.boolean(),
  congestionControl: fc.constantFrom('cubic' as const, 'newreno' as const),
  delayedAck: fc.boolean(),
  noDelay: fc.boolean(),
  receiveBufferSize: fc.constantFrom(4096, 65535, 262144, 6 * 1024 * 1024),
  sendBufferSize: fc.constantFrom(8192, 1 << 20),
  maxOooSegments: fc.constantFrom(4, 4096),
  initialCwnd: fc.constantFrom(1, 10, 40),
  quickAcks: fc.constantFrom(0, 16),
});

test('property: random loss (0-30%), reordering, duplication both ways -> byte-exact delivery, clean close', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 2 ** 31 - 1 }),
      linkArb,
      linkArb,
      configArb,
      configArb,
      fc.integer({ min: 0, max: 40_000 }),
      fc.integer({ min: 0, max: 120_000 }),
      fc.constantFrom(Number.POSITIVE_INFINITY, 2000),
      fc.constantFrom(536, 1460),
      (seed, aToB, bToA, cc, sc, upLen, downLen, readRate, mss) => {
        // The give-up policy is not under test here: allow many retries so 30% loss cannot exhaust them.
        const robust = { timeWait: 2000, synRetries: 30, synAckRetries: 30, maxRetries: 40, maxRto: 10_000 };
        assertClean(
          baseParams({
            seed,
            aToB,
            bToA,
            clientConfig: { ...cc, ...robust },
            serverConfig: { ...sc, ...robust },
            clientData: data(upLen, seed),
            serverData: data(downLen, seed + 1),
            clientReadRate: readRate,
            serverReadRate: readRate,
            mss,
            limit: 24 * 3_600_000,
          }),
        );
      },
    ),
    { numRuns: 60 },
  );
});
