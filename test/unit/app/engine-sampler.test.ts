// The engine sampler keeps a sample only when RTT/cwnd/ssthresh changed, and the --stats line.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EngineSampler } from '../../../src/app/engine-sampler.js';
import { transferStats } from '../../../src/app/transfer-stats.js';
import { emptyStats, type TcpStats } from '../../../src/tcp/stats.js';

function source(seq: Array<Partial<TcpStats>>) {
  let i = 0;
  return { tcpStats: () => ({ ...emptyStats(), ...seq[Math.min(i++, seq.length - 1)] }) };
}

test('samples only on change; rtt min/avg/max over distinct smoothed values and the measured min', () => {
  let t = 1000;
  const s = new EngineSampler(
    source([
      { srtt: 0, cwnd: 14600 },
      { srtt: 10, cwnd: 14600, minRtt: 8 },
      { srtt: 10, cwnd: 14600, minRtt: 8 },
      { srtt: 20, cwnd: 29200, minRtt: 8 },
      { srtt: 20, cwnd: 29200, minRtt: 8, maxCwnd: 29200, segmentsIn: 9 },
    ]),
    () => t++,
  );
  for (let k = 0; k < 5; k++) s.sample();
  assert.deepEqual(
    s.samples.map((x) => [x.time, x.rtt, x.cwnd]),
    [
      [1000, undefined, 14600],
      [1001, 10, 14600],
      [1002, 20, 29200],
    ],
  );
  assert.deepEqual(s.rttSummary(), { min: 8, avg: 15, max: 20 });
  assert.equal(s.last?.segmentsIn, 9);
});

test('no RTT sample: null', () => {
  const s = new EngineSampler(source([{ cwnd: 1 }]));
  s.sample();
  assert.equal(s.rttSummary(), null);
});

test('--stats JSON carries the transfer and TCP fields', () => {
  const tcp = {
    ...emptyStats(),
    segmentsIn: 80,
    segmentsOut: 40,
    retransmits: 2,
    retransmissionsIn: 3,
    maxCwnd: 64000,
    mss: 1448,
  };
  const line = transferStats({
    url: 'http://h/',
    status: 200,
    bytes: 102400,
    seconds: 0.5,
    mode: 'tap',
    tcp,
    rtt: { min: 1, avg: 2, max: 3 },
  });
  assert.equal(line.throughput, 204800);
  assert.equal(line.segmentsIn, 80);
  assert.equal(line.segmentsOut, 40);
  assert.equal(line.retransmissionsIn, 3);
  assert.equal(line.retransmissionsOut, 2);
  assert.equal(line.maxCwnd, 64000);
  assert.deepEqual(line.rtt, { min: 1, avg: 2, max: 3 });
  assert.deepEqual(JSON.parse(JSON.stringify(line)), line);
});

test('the progress bar only on a TTY and for bodies over 1 MB', async () => {
  const { shouldShowProgress } = await import('../../../src/app/progress.js');
  assert.equal(shouldShowProgress(10 * 1024 * 1024, true), true);
  assert.equal(shouldShowProgress(10 * 1024 * 1024, false), false);
  assert.equal(shouldShowProgress(1024 * 1024, true), false);
  assert.equal(shouldShowProgress(Number.NaN, true), false);
});
