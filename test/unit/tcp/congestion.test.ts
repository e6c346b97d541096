// Congestion control: RFC 5681 (NewReno growth), RFC 9438 (CUBIC), RFC 6298 (RTT estimator).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulate } from '../../../src/sim/simulate.js';
import { CUBIC_BETA, CUBIC_C, Cubic } from '../../../src/tcp/congestion/cubic.js';
import { NewReno } from '../../../src/tcp/congestion/newreno.js';
import { RttEstimator } from '../../../src/tcp/rtt.js';

const MSS = 1000;
const ack = (now: number, ackedBytes: number, srtt = 100) => ({
  now,
  ackedBytes,
  mss: MSS,
  srtt,
  minRtt: srtt,
});

test('NewReno slow start grows by the bytes acknowledged up to ssthresh (RFC 5681 §3.1)', () => {
  const r = new NewReno(10 * MSS);
  r.onAck(ack(0, 10 * MSS));
  assert.equal(r.cwnd, 20 * MSS);
  r.ssthresh = 25 * MSS;
  r.onAck(ack(1, 10 * MSS));
  assert.equal(r.cwnd, 25 * MSS, 'stops at ssthresh; the rest goes to congestion avoidance');
});

test('NewReno congestion avoidance: one SMSS per window of acknowledged bytes (RFC 5681 §3.1)', () => {
  const r = new NewReno(10 * MSS);
  r.ssthresh = 10 * MSS;
  for (let i = 0; i < 10; i++) r.onAck(ack(i, MSS));
  assert.equal(r.cwnd, 11 * MSS);
});

test('NewReno loss: ssthresh = max(FlightSize/2, 2 SMSS); RTO: cwnd = 1 SMSS (RFC 5681 eq. 4)', () => {
  const r = new NewReno(10 * MSS);
  r.onCongestion(0, 3 * MSS, MSS);
  assert.equal(r.ssthresh, 2 * MSS);
  r.onTimeout(0, 40 * MSS, MSS);
  assert.equal(r.ssthresh, 20 * MSS);
  assert.equal(r.cwnd, MSS);
});

test('CUBIC: multiplicative decrease by beta 0.7 and fast convergence (RFC 9438 §4.6, §4.7)', () => {
  const c = new Cubic(100 * MSS);
  c.ssthresh = 0;
  c.onCongestion(0, 100 * MSS, MSS);
  assert.equal(c.cwnd, 70 * MSS);
  assert.equal(c.wMax, 100);
  c.onCongestion(0, 70 * MSS, MSS);
  assert.equal(c.wMax, (70 * (1 + CUBIC_BETA)) / 2, 'W_max shrinks when the window did not recover');
});

test('CUBIC follows W_cubic(t) = C (t - K)^3 + W_max and reaches W_max at t = K (RFC 9438 eq. 1, 2)', () => {
  const c = new Cubic(100 * MSS);
  c.onCongestion(0, 100 * MSS, MSS); // W_max = 100, cwnd = 70
  const k = Math.cbrt((100 - 70) / CUBIC_C);
  // A long RTT, so that the Reno-friendly estimate (alpha 0.53 segments per RTT) stays below W_cubic.
  const rtt = 100;
  // ACK a window every RTT until t = K.
  let t = 0;
  c.onAck(ack(t, MSS, rtt));
  assert.ok(Math.abs(c.k - k) < 1e-9);
  while (t < k * 1000) {
    t += rtt;
    const w = c.cwnd / MSS;
    for (let i = 0; i < Math.floor(w); i++) c.onAck(ack(t, MSS, rtt));
  }
  const w = c.cwnd / MSS;
  assert.ok(w > 97 && w < 103, `cwnd ${w} segments near W_max at t = K`);
  // Beyond K the window probes above W_max (convex region).
  for (let r = 0; r < 40; r++) {
    t += rtt;
    for (let i = 0; i < Math.floor(c.cwnd / MSS); i++) c.onAck(ack(t, MSS, rtt));
  }
  assert.ok(c.cwnd / MSS > 110);
});

test('CUBIC at a short RTT is Reno-friendly: never slower than W_est (RFC 9438 §4.3)', () => {
  const c = new Cubic(100 * MSS);
  c.onCongestion(0, 100 * MSS, MSS);
  let t = 0;
  const rtt = 1;
  for (let r = 0; r < 400; r++) {
    t += rtt;
    for (let i = 0; i < Math.floor(c.cwnd / MSS); i++) c.onAck(ack(t, MSS, rtt));
  }
  // 0.4 s in: W_cubic is still far below W_max, but W_est grew by about 0.53 segments per RTT.
  assert.ok(c.cwnd / MSS > 70 + 0.5 * 400 * 0.9, `cwnd ${c.cwnd / MSS}`);
});

test('CUBIC RTO: cwnd to one segment, ssthresh by beta (RFC 9438 §4.8)', () => {
  const c = new Cubic(50 * MSS);
  c.onTimeout(0, 50 * MSS, MSS);
  assert.equal(c.cwnd, MSS);
  assert.equal(c.ssthresh, 35 * MSS);
});

test('RTT estimator: first sample, smoothing, RTO bounds and backoff (RFC 6298 §2, §5.5)', () => {
  const r = new RttEstimator(1000, 200, 120_000);
  assert.equal(r.rto, 1000, 'initial RTO 1 s (§2.1)');
  r.sample(100);
  assert.equal(r.srtt, 100);
  assert.equal(r.rttvar, 50);
  assert.equal(r.rto, 300);
  r.sample(200);
  assert.equal(r.rttvar, 0.75 * 50 + 0.25 * 100);
  assert.equal(r.srtt, 0.875 * 100 + 0.125 * 200);
  r.sample(1);
  r.sample(1);
  r.sample(1);
  assert.ok(r.rto >= 200, 'lower bound 200 ms (Linux)');
  const base = r.rto;
  r.backOff();
  r.backOff();
  assert.equal(r.rto, base * 4);
  for (let i = 0; i < 20; i++) r.backOff();
  assert.equal(r.rto, 120_000, 'upper bound');
  r.sample(50);
  assert.equal(r.backoff, 0, 'a new sample ends the backoff');
});

/** One round of `n` ACKs of one MSS each with RTT `rtt` (the first ACK starts the round). */
function round(c: Cubic, t: number, rtt: number, n = 8): void {
  for (let i = 0; i < n; i++) c.onAck({ ...ack(t + i, MSS, rtt), rtt, roundStart: i === 0 });
}

test('HyStart++: the RTT growing by max(4 ms, min(minRTT/8, 16 ms)) ends slow start in CSS, a quarter of the growth (RFC 9406 §4.2)', () => {
  const c = new Cubic(10 * MSS, { hystart: true });
  round(c, 0, 100);
  assert.equal(c.cwnd, 18 * MSS, 'slow start: one MSS per MSS acknowledged');
  round(c, 100, 112, 7); // +12 ms < 12.5 ms: still slow start
  assert.equal(c.cwnd, 25 * MSS);
  c.onAck({ ...ack(107, MSS, 113), rtt: 113, roundStart: false }); // 8th sample, min 112 < 112.5: no
  assert.equal(c.hystart?.phase, 0);
  round(c, 200, 113); // this round's minimum 113 >= 112 + 12.5? no: compared with the last round (112)
  assert.equal(c.hystart?.phase, 0);
  round(c, 300, 130); // 130 >= 113 + 14.1: CSS from the 8th ACK
  assert.equal(c.hystart?.phase, 1);
  const before = c.cwnd;
  round(c, 400, 130, 8);
  assert.equal(c.cwnd - before, 2 * MSS, 'CSS: 8 MSS acknowledged grow cwnd by 8/4');
  for (let r = 0; r < 4; r++) round(c, 500 + 100 * r, 131);
  assert.equal(c.hystart?.phase, 2, 'after CSS_ROUNDS rounds');
  // ssthresh = cwnd at that ACK (§4.2); the rest of the round already grows in congestion avoidance.
  assert.ok(c.ssthresh < Number.MAX_SAFE_INTEGER && c.ssthresh <= c.cwnd && c.cwnd - c.ssthresh < MSS);
});

test('HyStart++: the RTT falling back below the CSS baseline resumes slow start (RFC 9406 §4.2)', () => {
  const c = new Cubic(10 * MSS, { hystart: true });
  round(c, 0, 50);
  round(c, 100, 60); // +10 >= max(4, 50/8): CSS
  assert.equal(c.hystart?.phase, 1);
  round(c, 200, 55); // below the baseline of 60: the rise was spurious
  assert.equal(c.hystart?.phase, 0);
  const before = c.cwnd;
  round(c, 300, 55);
  assert.equal(c.cwnd - before, 8 * MSS);
});

test('without HyStart++ a growing RTT does not end slow start (only loss does, RFC 5681)', () => {
  const c = new Cubic(10 * MSS);
  round(c, 0, 50);
  round(c, 100, 200);
  assert.equal(c.cwnd, 26 * MSS);
  assert.equal(c.hystart, null);
});

test('simulator: HyStart++ leaves slow start before a deep bottleneck queue overflows: far fewer losses (RFC 9406 §1)', () => {
  const run = (hystartPlusPlus: boolean) =>
    simulate({
      size: 4 << 20,
      rtt: 40,
      bandwidth: 50e6,
      queueFrames: 500,
      seed: 1,
      tcp: { hystartPlusPlus },
    });
  const on = run(true);
  const off = run(false);
  assert.ok(on.ok && off.ok);
  assert.ok(off.retransmissions > 500, `slow start overshoot without HyStart++: ${off.retransmissions}`);
  assert.ok(on.retransmissions * 4 < off.retransmissions, `${on.retransmissions} vs ${off.retransmissions}`);
  assert.ok(on.transferSeconds < off.transferSeconds);
});
