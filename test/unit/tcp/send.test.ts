// The sending side: initial window (RFC 6928), Nagle (RFC 1122 §4.2.3.4), RTO (RFC 6298), fast
// retransmit and recovery (RFC 5681, RFC 6582, RFC 6675), persist (RFC 9293 §3.8.6.1).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TcpEvent } from '../../../src/tcp/connection.js';
import type { TcpSegment } from '../../../src/tcp/segment.js';
import { bytes, fixture, L, MSS, pattern, poll, R, recv, recvNothing, type SegSpec, send } from './dsl.js';

function dataSeg(off: number, len: number, total: number, extra: Partial<SegSpec> = {}): SegSpec {
  const psh = off + len === total ? 'P' : '';
  return { seq: L + 1 + off, ack: R + 1, flags: `${psh}A`, payload: pattern(len, off), ...extra };
}

function seqs(segs: TcpSegment[]): number[] {
  return segs.map((x) => x.seq - (L + 1));
}

test('initial window: ten full-size segments, then wait for ACKs (RFC 6928, RFC 5681 §3.1)', () => {
  const s = fixture('ESTABLISHED');
  const total = 20 * MSS;
  assert.equal(s.conn.write(pattern(total)), total);
  const segs = poll(s, 1);
  assert.equal(segs.length, 10);
  assert.deepEqual(
    seqs(segs),
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9].map((i) => i * MSS),
  );
  for (const x of segs) assert.equal(x.payload.length, MSS);
  recvNothing(s, 2);
  // Slow start: an ACK for two segments lets four more go (cwnd + 2 MSS, two left the pipe).
  send(s, 10, { seq: R + 1, ack: L + 1 + 2 * MSS, flags: 'A' });
  assert.deepEqual(
    seqs(poll(s, 10)),
    [10, 11, 12, 13].map((i) => i * MSS),
  );
  assert.ok(s.conn.takeEvents() & TcpEvent.WRITABLE);
});

test("the peer's window limits what is sent (RFC 9293 §3.8.6)", () => {
  const s = fixture('ESTABLISHED', { peerWindow: 3500 });
  s.conn.write(pattern(3400));
  const segs = poll(s, 1);
  assert.deepEqual(
    segs.map((x) => x.payload.length),
    [MSS, MSS, 480],
  );
  s.conn.write(pattern(1000));
  recvNothing(s, 2); // 100 bytes of window left: far below half the largest window (SWS avoidance)
});

test('sender SWS avoidance: no tiny window-limited segment unless it is half the largest window (RFC 9293 §3.8.6.2.1)', () => {
  const s = fixture('ESTABLISHED', { peerWindow: 3000 });
  s.conn.write(pattern(5000));
  poll(s, 1);
  // 80 bytes of window were left: 80 < 3000/2, so they were not sent.
  // The peer acks everything but offers only 100 bytes: 100 < 3000/2, so wait.
  send(s, 10, { seq: R + 1, ack: L + 2921, flags: 'A', window: 100 });
  recvNothing(s, 10);
  // ... until the window is large enough for the rest.
  send(s, 11, { seq: R + 1, ack: L + 2921, flags: 'A', window: 3000 });
  assert.deepEqual(
    poll(s, 11).map((x) => x.payload.length),
    [MSS, 620],
  );
});

test('Nagle: a small segment waits while another small one is unacknowledged (RFC 1122 §4.2.3.4; Linux/Minshall)', () => {
  const s = fixture('ESTABLISHED');
  s.conn.write(bytes('a'));
  recv(s, 1, { seq: L + 1, ack: R + 1, flags: 'PA', payload: 'a' });
  s.conn.write(bytes('b'));
  recvNothing(s, 2);
  s.conn.write(bytes('c'));
  recvNothing(s, 3);
  send(s, 50, { seq: R + 1, ack: L + 2, flags: 'A' });
  recv(s, 50, { seq: L + 2, ack: R + 1, flags: 'PA', payload: 'bc' });
});

test('Nagle never holds a full-size segment', () => {
  const s = fixture('ESTABLISHED');
  s.conn.write(bytes('a'));
  poll(s, 1);
  s.conn.write(pattern(MSS + 10));
  const segs = poll(s, 2);
  assert.deepEqual(
    segs.map((x) => x.payload.length),
    [MSS],
  );
});

test('setNoDelay(true) turns Nagle off', () => {
  const s = fixture('ESTABLISHED');
  s.conn.setNoDelay(true);
  s.conn.write(bytes('a'));
  recv(s, 1, { seq: L + 1, ack: R + 1, flags: 'PA', payload: 'a' });
  s.conn.write(bytes('b'));
  recv(s, 2, { seq: L + 2, ack: R + 1, flags: 'PA', payload: 'b' });
});

test('retransmission timeout: 200 ms minimum, exponential backoff, Karn (RFC 6298 §2.4, §5.5)', () => {
  const s = fixture('ESTABLISHED');
  s.conn.write(bytes('hello'));
  recv(s, 0, { seq: L + 1, ack: R + 1, flags: 'PA', payload: 'hello' });
  assert.equal(s.conn.pollAt(), 200);
  let t = 200;
  for (const gap of [400, 800, 1600]) {
    recvNothing(s, t - 1);
    recv(s, t, { seq: L + 1, ack: R + 1, flags: 'PA', payload: 'hello' });
    t += gap;
  }
  assert.equal(s.conn.stats().rtoCount, 3);
  // The ACK of a retransmitted segment gives no RTT sample (Karn): srtt stays at the handshake's value.
  send(s, 1500, { seq: R + 1, ack: L + 6, flags: 'A' });
  assert.equal(s.conn.stats().srtt, 0);
  assert.deepEqual(s.conn.timerList(), []);
});

test('retransmissions exhausted: the connection times out (RFC 1122 §4.2.3.5 R2)', () => {
  const s = fixture('ESTABLISHED', { config: { maxRetries: 3 } });
  s.conn.write(bytes('x'));
  poll(s, 0);
  let t = 0;
  for (let i = 0; i < 10 && s.conn.state !== 'CLOSED'; i++) {
    t = s.conn.pollAt();
    poll(s, t);
  }
  assert.equal(s.conn.state, 'CLOSED');
  assert.equal(s.conn.error?.code, 'timeout');
  assert.ok(s.conn.takeEvents() & TcpEvent.TIMEOUT);
  assert.equal(t, 200 + 400 + 800 + 1600);
});

test('after an RTO the window restarts at one segment (RFC 5681 §3.1) and grows in slow start', () => {
  const s = fixture('ESTABLISHED');
  s.conn.write(pattern(10 * MSS));
  poll(s, 0);
  const [rtx] = poll(s, 200);
  assert.equal(rtx.seq, L + 1);
  assert.equal(s.conn.stats().cwnd, MSS);
  send(s, 210, { seq: R + 1, ack: L + 1 + MSS, flags: 'A' });
  assert.deepEqual(
    seqs(poll(s, 210)),
    [1, 2].map((i) => i * MSS),
    'go-back-N under slow start',
  );
});

test('SACK recovery: three duplicate ACKs with SACK retransmit the hole at once (RFC 6675 §5)', () => {
  const s = fixture('ESTABLISHED');
  const total = 10 * MSS;
  s.conn.write(pattern(total));
  poll(s, 0);
  for (let i = 2; i <= 4; i++) {
    send(s, 20, {
      seq: R + 1,
      ack: L + 1,
      flags: 'A',
      options: { sackBlocks: [[L + 1 + MSS, L + 1 + i * MSS]] },
    });
    if (i < 4) recvNothing(s, 20);
  }
  recv(s, 20, dataSeg(0, MSS, total));
  const st = s.conn.stats();
  assert.equal(st.fastRetransmits, 1);
  assert.equal(st.ssthresh, Math.floor(10 * MSS * 0.7), 'CUBIC beta 0.7 (RFC 9438 §4.6)');
  // More SACKs open the pipe for further transmissions; the cumulative ACK ends recovery.
  send(s, 40, { seq: R + 1, ack: L + 1 + total, flags: 'A' });
  assert.deepEqual(s.conn.timerList(), []);
});

test('SACK recovery retransmits every lost hole, not just the first (RFC 6675 NextSeg)', () => {
  const s = fixture('ESTABLISHED');
  const total = 10 * MSS;
  s.conn.write(pattern(total));
  poll(s, 0);
  // Segments 0 and 2 lost; 1 and 3..9 SACKed.
  send(s, 20, {
    seq: R + 1,
    ack: L + 1,
    flags: 'A',
    options: {
      sackBlocks: [
        [L + 1 + 3 * MSS, L + 1 + total],
        [L + 1 + MSS, L + 1 + 2 * MSS],
      ],
    },
  });
  assert.deepEqual(seqs(poll(s, 20)), [0, 2 * MSS]);
});

test('NewReno without SACK: fast retransmit on the third duplicate ACK, partial ACK retransmits the next hole (RFC 6582)', () => {
  const s = fixture('ESTABLISHED', {
    peerSynOptions: { mss: MSS },
    config: { congestionControl: 'newreno' },
  });
  const total = 10 * MSS;
  s.conn.write(pattern(total));
  poll(s, 0);
  send(s, 20, { seq: R + 1, ack: L + 1, flags: 'A' });
  send(s, 20, { seq: R + 1, ack: L + 1, flags: 'A' });
  recvNothing(s, 20);
  send(s, 20, { seq: R + 1, ack: L + 1, flags: 'A' });
  recv(s, 20, dataSeg(0, MSS, total));
  let st = s.conn.stats();
  assert.equal(st.ssthresh, 5 * MSS, 'ssthresh = FlightSize / 2 (RFC 5681 eq. 4)');
  assert.equal(st.cwnd, 8 * MSS, 'cwnd = ssthresh + 3 SMSS');
  // Partial ACK (segments 0..2 now acked, 3 lost too): retransmit segment 3 at once.
  send(s, 30, { seq: R + 1, ack: L + 1 + 3 * MSS, flags: 'A' });
  recv(s, 30, dataSeg(3 * MSS, MSS, total));
  // Full ACK ends recovery with cwnd = min(ssthresh, FlightSize + SMSS).
  send(s, 40, { seq: R + 1, ack: L + 1 + total, flags: 'A' });
  st = s.conn.stats();
  assert.equal(st.cwnd, 2 * MSS, 'min(ssthresh, max(FlightSize, SMSS) + SMSS) with nothing in flight');
  assert.equal(st.fastRetransmits, 1);
});

test('a duplicate ACK that changes the window is not a duplicate ACK (RFC 5681 §2)', () => {
  const s = fixture('ESTABLISHED', { peerSynOptions: { mss: MSS } });
  s.conn.write(pattern(10 * MSS));
  poll(s, 0);
  for (let w = 0; w < 5; w++) send(s, 20, { seq: R + 1, ack: L + 1, flags: 'A', window: 60000 + w });
  recvNothing(s, 20);
  assert.equal(s.conn.stats().dupAcksIn, 0);
});

test('zero window: the persist timer probes with SND.UNA - 1 and backs off (RFC 9293 §3.8.6.1, Linux)', () => {
  const s = fixture('ESTABLISHED');
  s.conn.write(pattern(100));
  poll(s, 0);
  send(s, 10, { seq: R + 1, ack: L + 101, flags: 'A', window: 0 });
  s.conn.write(pattern(100, 100));
  recvNothing(s, 10);
  assert.equal(s.conn.pollAt(), 210);
  recv(s, 210, { seq: L + 100, ack: R + 1, flags: 'A' });
  assert.equal(s.conn.pollAt(), 610);
  send(s, 300, { seq: R + 1, ack: L + 101, flags: 'A', window: 0 });
  recv(s, 610, { seq: L + 100, ack: R + 1, flags: 'A' });
  // The window opens: data flows.
  send(s, 700, { seq: R + 1, ack: L + 101, flags: 'A', window: 1000 });
  recv(s, 700, { seq: L + 101, ack: R + 1, flags: 'PA', payload: pattern(100, 100) });
  assert.equal(s.conn.stats().zeroWindowProbes, 2);
});

test('sending across the 2^32 sequence wrap', () => {
  const s = fixture('ESTABLISHED');
  void s;
  const { TcpConnection } = awaitConnection();
  const c = TcpConnection.connect({
    localPort: 49152,
    remotePort: 80,
    isn: 0xfffffff0,
    now: 0,
    mss: MSS,
    config: { timestamps: false },
  });
  const w = { conn: c, now: 0 };
  poll(w, 0);
  send(w, 0, { seq: R, ack: 0xfffffff1, flags: 'SA', options: { mss: MSS, sackPermitted: true } });
  poll(w, 0);
  c.write(pattern(3 * MSS));
  const segs = poll(w, 1);
  assert.deepEqual(
    segs.map((x) => x.seq),
    [0xfffffff1, (0xfffffff1 + MSS) >>> 0, (0xfffffff1 + 2 * MSS) >>> 0],
  );
  send(w, 5, { seq: R + 1, ack: (0xfffffff1 + 3 * MSS) >>> 0, flags: 'A' });
  assert.equal(c.stats().bytesAcked, 3 * MSS);
  assert.deepEqual(c.timerList(), []);
});

import { TcpConnection as TC } from '../../../src/tcp/connection.js';

function awaitConnection() {
  return { TcpConnection: TC };
}

test('a D-SACK for a fast retransmission shows reordering: DupThresh grows (RFC 2883 §4, Linux reordering)', () => {
  const s = fixture('ESTABLISHED');
  const total = 10 * MSS;
  s.conn.write(pattern(total));
  poll(s, 0);
  for (let i = 2; i <= 4; i++) {
    send(s, 20, {
      seq: R + 1,
      ack: L + 1,
      flags: 'A',
      options: { sackBlocks: [[L + 1 + MSS, L + 1 + i * MSS]] },
    });
  }
  assert.equal(poll(s, 20)[0].seq, L + 1, 'fast retransmit');
  // The original arrives late, then the retransmission: the receiver reports it as a duplicate.
  send(s, 30, { seq: R + 1, ack: L + 1 + 4 * MSS, flags: 'A' });
  send(s, 31, {
    seq: R + 1,
    ack: L + 1 + 4 * MSS,
    flags: 'A',
    options: { sackBlocks: [[L + 1, L + 1 + MSS]] },
  });
  const st = s.conn.stats();
  assert.equal(st.spuriousRetransmits, 1);
  assert.equal(st.reordering, 4);
});

test('segmentation offload: new data leaves in segments of whole MSS within cwnd, gsoSize = MSS; retransmissions are one MSS', () => {
  const s = fixture('ESTABLISHED', { config: { maxSegmentBytes: 65535 - 80 } });
  const total = 40 * MSS;
  assert.equal(s.conn.write(pattern(total)), total);
  // The initial window (ten MSS, RFC 6928) as one super-segment the device cuts at the MSS.
  const [first, ...rest] = poll(s, 1);
  assert.deepEqual(rest, []);
  assert.equal(first.payload.length, 10 * MSS);
  assert.equal(first.gsoSize, MSS);
  assert.deepEqual(first.payload, pattern(10 * MSS));
  // An ACK for two MSS: cwnd + 2 MSS, two left the pipe: four MSS more, again in one segment.
  send(s, 10, { seq: R + 1, ack: L + 1 + 2 * MSS, flags: 'A' });
  const next = poll(s, 10);
  assert.deepEqual(
    next.map((x) => [x.seq - (L + 1), x.payload.length]),
    [[10 * MSS, 4 * MSS]],
  );
  // The RTO resends one MSS from SND.UNA, as without offload (RFC 6298 §5.4).
  const rto = poll(s, 1200);
  assert.deepEqual(
    rto.map((x) => [x.seq - (L + 1), x.payload.length, x.gsoSize ?? 0]),
    [[2 * MSS, MSS, 0]],
  );
});

test('without segmentation offload every segment is at most one MSS and carries no gsoSize', () => {
  const s = fixture('ESTABLISHED');
  s.conn.write(pattern(4 * MSS));
  for (const x of poll(s, 1)) {
    assert.equal(x.payload.length, MSS);
    assert.equal(x.gsoSize ?? 0, 0);
  }
});
