import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/link/clock.js';
import { type Device, type FrameReceiver, rxInfo } from '../../../src/link/device.js';
import { FaultInjector } from '../../../src/link/fault-injector.js';

/** Records what is transmitted (with the time) and can play frames into the receiver. */
class RecordingDevice implements Device {
  readonly name = 'rec0';
  readonly linkType = 'ethernet' as const;
  readonly mtu = 1500;
  sent: { seq: number; at: number; frame: Uint8Array }[] = [];
  flushes = 0;
  closed = false;
  private receiver: FrameReceiver = () => {};
  constructor(private readonly clock: VirtualClock) {}
  transmit(frame: Uint8Array): void {
    this.sent.push({ seq: seqOf(frame), at: this.clock.now(), frame: frame.slice() });
  }
  flush(): void {
    this.flushes++;
  }
  setReceiver(receiver: FrameReceiver): void {
    this.receiver = receiver;
  }
  close(): void {
    this.closed = true;
  }
  inject(frame: Uint8Array): void {
    this.receiver(frame, rxInfo(this.clock.now()));
  }
}

/** Sequence number in the first 4 bytes (inside the Ethernet header, which corruption spares). */
function frame(seq: number, length = 64): Uint8Array {
  const f = new Uint8Array(length);
  new DataView(f.buffer).setUint32(0, seq);
  for (let i = 14; i < length; i++) f[i] = (seq * 31 + i) & 0xff;
  return f;
}
const seqOf = (f: Uint8Array) => new DataView(f.buffer, f.byteOffset).getUint32(0);

function setup(spec: string) {
  const clock = new VirtualClock();
  const dev = new RecordingDevice(clock);
  const inj = new FaultInjector(dev, clock, spec);
  return { clock, dev, inj };
}

/** Send n frames out, one every `gap` ms, then let every timer run. */
function sendOut(s: ReturnType<typeof setup>, n: number, gap = 0.1, length = 64): void {
  for (let i = 0; i < n; i++) {
    s.clock.advanceTo(i * gap);
    s.inj.transmit(frame(i, length));
  }
  s.clock.runUntilIdle();
}

/** Binomial tolerance: 5 standard deviations (a false failure about once in 3.5 million runs). */
function assertBinomial(count: number, n: number, p: number, what: string): void {
  const sd = Math.sqrt(n * p * (1 - p));
  assert.ok(Math.abs(count - n * p) <= 5 * sd, `${what}: ${count} of ${n}, expected ${n * p} +- ${5 * sd}`);
}

const N = 100_000;

test('1% loss drops 1% of 100k frames within binomial tolerance; the rest pass in order', () => {
  const s = setup('loss=1%,dir=out,seed=7');
  sendOut(s, N);
  const st = s.inj.stats.out;
  assertBinomial(st.lost, N, 0.01, 'lost');
  assert.equal(st.seen, N);
  assert.equal(st.dropped, st.lost);
  assert.equal(s.dev.sent.length, N - st.lost);
  assert.equal(st.passed, N - st.lost);
  const seqs = s.dev.sent.map((x) => x.seq);
  assert.ok(seqs.every((v, i) => i === 0 || v > seqs[i - 1]));
  assert.deepEqual(s.inj.stats.in.seen, 0, 'the other direction is untouched');
});

test('the in direction is impaired independently of out', () => {
  const s = setup('loss=50%,dir=in,seed=3');
  let received = 0;
  s.inj.setReceiver(() => received++);
  for (let i = 0; i < N; i++) {
    s.dev.inject(frame(i));
    s.inj.transmit(frame(i));
  }
  assertBinomial(s.inj.stats.in.lost, N, 0.5, 'in lost');
  assert.equal(received, N - s.inj.stats.in.lost);
  assert.equal(s.dev.sent.length, N);
});

test('reordering really reorders: a held frame comes right after the next reorder-gap frames', () => {
  for (const gap of [1, 3]) {
    const s = setup(`reorder=1%,reorder-gap=${gap},seed=11`);
    sendOut(s, N);
    const seqs = s.dev.sent.map((x) => x.seq);
    assert.equal(seqs.length, N, 'nothing lost');
    assert.deepEqual(
      [...seqs].sort((a, b) => a - b),
      Array.from({ length: N }, (_, i) => i),
    );
    let late = 0;
    for (let i = 1; i < seqs.length; i++) if (seqs[i] < seqs[i - 1]) late++;
    const st = s.inj.stats.out;
    assertBinomial(st.reordered, N, 0.01 * 0.99, `reordered (gap ${gap})`);
    // Held frames that are not held back-to-back appear exactly `gap` places late.
    assert.ok(late >= st.reordered * 0.95 && late <= st.reordered, `${late} late vs ${st.reordered}`);
    const firstLate = seqs.findIndex((v, i) => i > 0 && v < seqs[i - 1]);
    assert.equal(seqs[firstLate], seqs[firstLate - gap] - 1);
  }
});

test('a held frame with no later traffic is released after reorder-hold', () => {
  const s = setup('reorder=100%,reorder-hold=30ms');
  s.inj.transmit(frame(1));
  assert.equal(s.dev.sent.length, 0);
  s.clock.runUntilIdle();
  assert.deepEqual(
    s.dev.sent.map((x) => [x.seq, x.at]),
    [[1, 30]],
  );
  assert.equal(s.inj.stats.out.reordered, 0, 'nothing overtook it');
  assert.ok(s.dev.flushes > 0, 'frames sent from a timer are flushed');
});

test('duplication sends exact copies, counted', () => {
  const s = setup('dup=1%,seed=5');
  sendOut(s, N);
  const st = s.inj.stats.out;
  assertBinomial(st.duplicated, N, 0.01, 'duplicated');
  assert.equal(s.dev.sent.length, N + st.duplicated);
  let dups = 0;
  for (let i = 1; i < s.dev.sent.length; i++) {
    if (s.dev.sent[i].seq === s.dev.sent[i - 1].seq) {
      assert.deepEqual(s.dev.sent[i].frame, s.dev.sent[i - 1].frame);
      dups++;
    }
  }
  assert.equal(dups, st.duplicated);
});

test('corruption flips exactly one bit, outside the link header, in a copy', () => {
  const s = setup('corrupt=1%,seed=9');
  const originals: Uint8Array[] = [];
  for (let i = 0; i < N; i++) {
    const f = frame(i, 60 + (i % 40));
    originals.push(f.slice());
    s.inj.transmit(f);
    assert.deepEqual(f, originals[i], "the caller's frame is never modified");
  }
  s.clock.runUntilIdle();
  let changed = 0;
  for (const { seq, frame: got } of s.dev.sent) {
    let bits = 0;
    for (let j = 0; j < got.length; j++) {
      let x = got[j] ^ originals[seq][j];
      if (x !== 0) assert.ok(j >= 14, 'the Ethernet header is left alone');
      for (; x; x &= x - 1) bits++;
    }
    assert.ok(bits === 0 || bits === 1);
    changed += bits;
  }
  assert.equal(changed, s.inj.stats.out.corrupted);
  assertBinomial(changed, N, 0.01, 'corrupted');
});

test('the same seed gives the same run; another seed a different one', () => {
  const spec = 'loss=3%,ge=1%/30%,delay=5ms,jitter=4ms,reorder=2%,dup=2%,corrupt=1%,rate=20mbit';
  const run = (seed: number) => {
    const s = setup(`${spec},seed=${seed}`);
    sendOut(s, 20_000, 0.05, 200);
    return {
      sent: s.dev.sent.map((x) => `${x.seq}@${x.at}:${x.frame.join('.')}`),
      stats: s.inj.stats,
    };
  };
  const a = run(42);
  const b = run(42);
  assert.deepEqual(a, b);
  assert.notDeepEqual(run(43).sent, a.sent);
});

test('delay and jitter: every frame waits delay +- jitter, and order is kept', () => {
  const s = setup('delay=20ms,jitter=5ms,seed=2');
  const sentAt: number[] = [];
  for (let i = 0; i < 5000; i++) {
    s.clock.advanceTo(i * 2);
    sentAt.push(s.clock.now());
    s.inj.transmit(frame(i));
  }
  s.clock.runUntilIdle();
  assert.equal(s.dev.sent.length, 5000);
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  s.dev.sent.forEach(({ seq, at }, i) => {
    assert.equal(seq, i);
    const d = at - sentAt[seq];
    min = Math.min(min, d);
    max = Math.max(max, d);
  });
  assert.ok(min >= 15 && max <= 25 + 2, `delays in [${min}, ${max}]`);
  assert.ok(min < 16 && max > 24, 'jitter actually spreads the delay');
  assert.equal(s.inj.stats.out.delayed, 5000);
});

test('rate limit holds the rate in virtual time (token bucket, tail drop beyond the queue)', () => {
  // Offer 20 Mbit/s of 1000-byte frames to a 10 Mbit/s limit for 10 s.
  const s = setup('rate=10mbit,rate-burst=10k,rate-queue=50ms');
  sendOut(s, 25_000, 0.4, 1000);
  const st = s.inj.stats.out;
  const inWindow = s.dev.sent.filter((x) => x.at >= 1000 && x.at < 9000).length;
  const bytesPerSecond = (inWindow * 1000) / 8;
  assert.ok(Math.abs(bytesPerSecond - 1_250_000) <= 1000 / 8 + 1, `${bytesPerSecond} B/s`);
  assert.ok(st.rateDropped > 11_000 && st.rateDropped < 13_000, `${st.rateDropped} dropped`);
  assert.equal(st.passed + st.rateDropped, 25_000);
  // Queueing delay never exceeds rate-queue.
  const sentAt = (seq: number) => seq * 0.4;
  for (const x of s.dev.sent) assert.ok(x.at - sentAt(x.seq) <= 50 + 1e-9);
});

test('traffic under the rate passes without delay', () => {
  const s = setup('rate=10mbit');
  sendOut(s, 1000, 1, 1000); // 8 Mbit/s
  assert.equal(s.inj.stats.out.rateDropped, 0);
  assert.ok(s.dev.sent.every((x) => x.at === x.seq));
});

test('blackout drops exactly the frames inside the window', () => {
  const s = setup('blackout=2s@5s,blackout=1s@8s');
  sendOut(s, 10_000, 1);
  assert.equal(s.inj.stats.out.blackedOut, 3000);
  assert.ok(s.dev.sent.every((x) => x.seq < 5000 || (x.seq >= 7000 && x.seq < 8000) || x.seq >= 9000));
});

test('Gilbert-Elliott loss comes in bursts of mean length 1/r', () => {
  const s = setup('ge=1%/25%,seed=13');
  sendOut(s, N);
  const delivered = new Set(s.dev.sent.map((x) => x.seq));
  const bursts: number[] = [];
  let run = 0;
  for (let i = 0; i < N; i++) {
    if (!delivered.has(i)) run++;
    else if (run > 0) {
      bursts.push(run);
      run = 0;
    }
  }
  const lossRate = s.inj.stats.out.burstLost / N;
  const meanBurst = bursts.reduce((a, b) => a + b, 0) / bursts.length;
  // Stationary bad-state share p/(p+r) = 1/26; bursts are geometric with mean 1/r = 4.
  assert.ok(Math.abs(lossRate - 1 / 26) < 0.006, `loss rate ${lossRate}`);
  assert.ok(Math.abs(meanBurst - 4) < 0.4, `mean burst ${meanBurst}`);
});

test('close closes the inner device and drops what is still waiting', () => {
  const s = setup('delay=10ms');
  s.inj.transmit(frame(1));
  s.inj.close();
  s.inj.close();
  s.clock.runUntilIdle();
  assert.equal(s.dev.sent.length, 0);
  assert.ok(s.dev.closed);
  assert.equal(s.inj.name, 'rec0');
});
