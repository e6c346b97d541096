// RTT sampling under loss (RFC 6298 §3 Karn, RFC 7323 §4.1 RTTM, §4.3 which timestamp to echo): regression
// tests for the simulator finding "srtt 1146 ms and RTO 10 s on a 1 ms path at 30% loss", caused by
// timestamp echoes of old transmissions being taken as RTT samples.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulate } from '../../../src/sim/simulate.js';
import { TcpConnection } from '../../../src/tcp/connection.js';
import { fixture, L, LOCAL_PORT, MSS, pattern, poll, R, REMOTE_PORT, seg, send } from './dsl.js';

const TS_SYN = { mss: MSS, sackPermitted: true, timestamp: { value: 1, echo: 0 } };
const ts = (value: number, echo: number) => ({ timestamp: { value, echo } });

/** ESTABLISHED with timestamps on; our TS clock is the virtual time (tsOffset 0), the peer's is ours + 0. */
function withTimestamps() {
  return fixture('ESTABLISHED', { config: { timestamps: true }, peerSynOptions: TS_SYN });
}

test('regression: a duplicate arriving after our ACK was lost updates TS.Recent, so the ACK echoes it (RFC 7323 §4.3)', () => {
  const s = withTimestamps();
  send(s, 10, { seq: R + 1, ack: L + 1, flags: 'PA', payload: 'hello', options: ts(10, 0) });
  const [first] = poll(s, 10);
  assert.equal(first.ack, R + 6);
  assert.equal(first.options.timestamp?.echo, 10);
  // That ACK is lost; the peer's RTO retransmits the segment with a fresh TSval. SEG.SEQ <= Last.ACK.sent
  // and SEG.TSval >= TS.Recent, so TS.Recent takes 300 and the duplicate ACK echoes the retransmission.
  send(s, 300, { seq: R + 1, ack: L + 1, flags: 'PA', payload: 'hello', options: ts(300, 0) });
  const [dup] = poll(s, 300);
  assert.equal(dup.ack, R + 6);
  assert.equal(dup.options.timestamp?.echo, 300, 'echo of the retransmission, not of the original');
});

test('regression: a retransmitted SYN-ACK arriving in ESTABLISHED updates TS.Recent (RFC 7323 §4.3)', () => {
  const s = withTimestamps();
  // Our ACK of the SYN-ACK was lost: the peer retransmits its SYN-ACK (SEG.SEQ = IRS <= Last.ACK.sent).
  send(s, 1000, {
    seq: R,
    ack: L + 1,
    flags: 'SA',
    options: { ...TS_SYN, timestamp: { value: 1000, echo: 0 } },
  });
  const out = poll(s, 1000);
  assert.equal(out.length, 1);
  assert.equal(out[0].options.timestamp?.echo, 1000);
});

test('regression: the ACK of retransmitted data with a stale timestamp echo gives no RTT sample (Karn, RFC 7323 §4.1)', () => {
  const s = withTimestamps();
  const before = s.conn.stats().srtt;
  s.conn.write(pattern(100));
  poll(s, 100); // TSval 100
  const [rtx] = poll(s, 300); // RTO: retransmission with TSval 300
  assert.equal(rtx.seq, L + 1);
  // The receiver did not update TS.Recent on the duplicate: the ACK echoes the original transmission.
  send(s, 301, { seq: R + 1, ack: L + 101, flags: 'A', options: ts(301, 100) });
  const st = s.conn.stats();
  assert.equal(st.srtt, before, 'no sample of 201 ms from an echo older than the retransmission');
  assert.equal(
    st.rto,
    400,
    "Karn: the backed-off RTO stays until a valid sample (RFC 6298 §5.7's note, Linux)",
  );
  // A later clean ACK (new data, echo of that transmission) is a valid sample again.
  s.conn.write(pattern(100));
  poll(s, 310);
  send(s, 315, { seq: R + 1, ack: L + 201, flags: 'A', options: ts(315, 310) });
  assert.equal(s.conn.stats().srtt, before * 0.875 + 5 * 0.125);
  assert.equal(s.conn.stats().rto, 200, 'a valid sample ends the backoff');
});

test('the ACK of retransmitted data echoing the retransmission is a valid timestamp sample (RFC 7323 §4.1)', () => {
  const s = withTimestamps();
  s.conn.write(pattern(100));
  poll(s, 100);
  poll(s, 300);
  send(s, 303, { seq: R + 1, ack: L + 101, flags: 'A', options: ts(303, 300) });
  assert.equal(s.conn.stats().srtt, 0.875 * 0 + 0.125 * 3);
});

test('a clean sequence sample is preferred over the timestamp sample (Linux tcp_ack_update_rtt order)', () => {
  const s = withTimestamps();
  poll(s, 100);
  s.conn.write(pattern(100));
  poll(s, 1000); // timed segment, TSval 1000
  // A delayed ACK may echo an earlier TSval (RFC 7323 §4.3 case A): timestamp RTT 30, sequence RTT 20.
  send(s, 1020, { seq: R + 1, ack: L + 101, flags: 'A', options: ts(1020, 990) });
  assert.equal(s.conn.stats().srtt, 0.125 * 20);
});

/** A passive opener with timestamps whose SYN-ACK went out at 100 and again at 1100 (RTO). */
function passiveWithRetransmittedSynAck(): { conn: TcpConnection; now: number } {
  const syn = seg({ seq: R, flags: 'S', options: TS_SYN });
  const conn = TcpConnection.accept(
    {
      localPort: LOCAL_PORT,
      remotePort: REMOTE_PORT,
      isn: L,
      now: 100,
      mss: MSS,
      config: { timestamps: true },
    },
    syn,
  );
  const s = { conn, now: 100 };
  assert.equal(poll(s, 100)[0].options.timestamp?.value, 100);
  assert.equal(poll(s, 1100)[0].options.timestamp?.value, 1100);
  return s;
}

test('regression: a retransmitted SYN-ACK acknowledged with the echo of the first one gives no RTT sample (Karn)', () => {
  const s = passiveWithRetransmittedSynAck();
  send(s, 1101, { seq: R + 1, ack: L + 1, flags: 'A', options: ts(1101, 100) });
  assert.equal(s.conn.state, 'ESTABLISHED');
  assert.equal(s.conn.internals().sender.rtt.hasMeasurement, false, 'no 1001 ms sample');
  assert.equal(s.conn.stats().rto, 1000, 'back to the initial RTO, no backoff (RFC 6298 §5.7)');
});

test('regression: a retransmitted SYN-ACK gives no RTT sample even when the ACK echoes the retransmission (Karn)', () => {
  // The echo proves which of our SYN-ACKs was answered, not that the peer answered at once.
  const s = passiveWithRetransmittedSynAck();
  send(s, 1102, { seq: R + 1, ack: L + 1, flags: 'A', options: ts(1102, 1100) });
  assert.equal(s.conn.internals().sender.rtt.hasMeasurement, false);
});

test('regression (simulator seed 34): a SYN-ACK that the server retransmitted, echoing our retransmitted SYN, gives no 1 s sample', () => {
  let first = -1;
  simulate({
    size: 123969,
    rtt: 24,
    loss: 0.13834,
    seed: 34,
    direction: 'both',
    impair: 'delay=1ms,jitter=7ms,dup=1%',
    tcp: { timestamps: true, sack: true },
    maxVirtualTime: 30_000,
    onStep: (_now, c) => {
      const rtt = c?.internals().sender.rtt;
      if (first < 0 && rtt?.hasMeasurement) first = rtt.srtt;
    },
  });
  assert.ok(first >= 0 && first < 100, `first client sample ${first} ms on a 24 ms path`);
});

test('regression: a retransmitted SYN answered with the echo of the first SYN gives no RTT sample (Karn)', () => {
  const conn = TcpConnection.connect({
    localPort: LOCAL_PORT,
    remotePort: REMOTE_PORT,
    isn: L,
    now: 100,
    mss: MSS,
    config: { timestamps: true },
  });
  const s = { conn, now: 100 };
  poll(s, 100);
  poll(s, 1100);
  poll(s, 3100);
  send(s, 3101, {
    seq: R,
    ack: L + 1,
    flags: 'SA',
    options: { ...TS_SYN, timestamp: { value: 5, echo: 100 } },
  });
  assert.equal(conn.state, 'ESTABLISHED');
  assert.equal(conn.internals().sender.rtt.hasMeasurement, false);
});

test('regression: stats().maxCwnd keeps the initial window as the peak after an RTO cut it', () => {
  const s = fixture('ESTABLISHED');
  s.conn.write(pattern(20 * MSS));
  poll(s, 0); // IW: 10 segments (RFC 6928)
  poll(s, 200); // RTO: cwnd 1 MSS
  const st = s.conn.stats();
  assert.equal(st.cwnd, MSS);
  assert.equal(st.maxCwnd, 10 * MSS);
});

test('regression: stats().maxCwnd sees the window inflated by duplicate ACKs in NewReno recovery (RFC 6582)', () => {
  const s = fixture('ESTABLISHED', {
    peerSynOptions: { mss: MSS },
    config: { congestionControl: 'newreno' },
  }); // no SACK
  s.conn.write(pattern(10 * MSS));
  poll(s, 0);
  for (let i = 0; i < 9; i++) send(s, 10 + i, { seq: R + 1, ack: L + 1, flags: 'A' });
  // ssthresh = 5 MSS, cwnd = 5 + 3 MSS at the third duplicate, + 1 MSS for each of the 6 more: 14 MSS.
  const peak = s.conn.internals().sender.cc.cwnd;
  assert.equal(peak, 14 * MSS);
  send(s, 30, { seq: R + 1, ack: L + 1 + 10 * MSS, flags: 'A' }); // full ACK deflates
  assert.ok(s.conn.stats().cwnd < peak);
  assert.equal(s.conn.stats().maxCwnd, 14 * MSS);
});

test('regression (simulator, seed 2): 30% loss on a 1 ms path keeps srtt near the path RTT', () => {
  let maxSrtt = 0;
  const r = simulate({
    size: 1260 * 1024,
    rtt: 1,
    bandwidth: 100e6,
    loss: 0.3,
    congestionControl: 'newreno',
    seed: 2,
    tcp: { synRetries: 30, synAckRetries: 30, maxRetries: 40 },
    maxVirtualTime: 86_400_000,
    onStep: (_now, c, sv) => {
      for (const x of [c, sv]) {
        const srtt = x?.internals().sender.rtt.srtt ?? 0;
        if (srtt > maxSrtt) maxSrtt = srtt;
      }
    },
  });
  assert.ok(r.ok, r.failure ?? '');
  const server = r.server.stats;
  assert.ok(server);
  // The wire RTT is 1-1.5 ms; delayed ACKs (40-200 ms, RFC 1122 §4.2.3.2) are all a valid sample may add.
  assert.ok(maxSrtt < 250, `srtt peaked at ${maxSrtt.toFixed(1)} ms`);
  assert.ok(server.rto < 1000, `server RTO ${server.rto} ms`);
});
