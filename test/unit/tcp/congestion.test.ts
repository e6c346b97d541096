// Congestion control: RFC 5681 (NewReno growth), RFC 9438 (CUBIC), RFC 6298 (RTT estimator).
import assert from 'node:assert/strict';
import { test } from 'node:test';
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
