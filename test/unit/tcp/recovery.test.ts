// Window reduction in fast recovery: Proportional Rate Reduction (RFC 6937), and undoing a reduction
// that a spurious retransmission caused (D-SACK, RFC 2883 / RFC 3708; Eifel timestamps, RFC 3522).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TcpConfig } from '../../../src/tcp/config.js';
import type { TcpSegment } from '../../../src/tcp/segment.js';
import { connecting, L, MSS, pattern, poll, R, recvNothing, type Sim, send } from './dsl.js';

const RTT = 20;

/** ESTABLISHED after a handshake with a 20 ms RTT; extra config on top of the test defaults. */
function established(extra: Partial<TcpConfig> = {}, timestamps = false): Sim {
  const s = connecting({ config: { timestamps, ...extra } });
  poll(s, 0);
  const ts = timestamps ? { timestamp: { value: 7, echo: 0 } } : {};
  send(s, RTT, { seq: R, ack: L + 1, flags: 'SA', options: { mss: MSS, sackPermitted: true, ...ts } });
  poll(s, RTT);
  return s;
}

const at = (segs: TcpSegment[], mss = MSS): number[] => segs.map((x) => Math.round((x.seq - (L + 1)) / mss));
const ackOf = (n: number, mss = MSS) => L + 1 + n * mss;
const sackTo = (k: number): [number, number] => [ackOf(1), ackOf(k + 1)];

/** Segment 0 lost; SACKs for 1..k (k = from..upTo) arrive one per ms. Returns what each ACK let out. */
function sackOneByOne(s: Sim, from: number, upTo: number): number[][] {
  const sent: number[][] = [];
  for (let k = from; k <= upTo; k++) {
    send(s, 120 + k, { seq: R + 1, ack: ackOf(0), flags: 'A', options: { sackBlocks: [sackTo(k)] } });
    sent.push(at(poll(s, 120 + k)));
  }
  return sent;
}

test('PRR: the reduction is spread over the recovery round trip, ssthresh/RecoverFS per delivered byte (RFC 6937 §3.1)', () => {
  const s = established({ initialCwnd: 20, congestionControl: 'newreno' });
  s.conn.write(pattern(40 * MSS));
  assert.equal(poll(s, 100).length, 20);
  const sent = sackOneByOne(s, 1, 3);
  // SACKs 1-2: below DupThresh, each SACKed segment lets a new one go (RFC 6675 pipe). At SACK 3 fast
  // recovery starts: ssthresh = 22/2 = 11 segments, RecoverFS = 22; the retransmission goes at once.
  assert.deepEqual(sent.slice(0, 3), [[20], [21], [0]]);
  const st = s.conn.stats();
  assert.equal(st.ssthresh, 11 * MSS);
  // cwnd = pipe + sndcnt = (22 - 3 SACKed - 1 lost) + ceil(1 * 11/22) segments, not ssthresh.
  assert.equal(st.cwnd, 18 * MSS + MSS / 2);
  const later = sackOneByOne(s, 4, 19);
  // While pipe > ssthresh: one new segment per two delivered (11/22), not a burst, not a silence.
  assert.deepEqual(later.slice(0, 12), [[], [], [22], [], [23], [], [24], [], [25], [], [26], []]);
  // pipe <= ssthresh: PRR-SSRB, slow start back up to ssthresh at most one segment more than delivered.
  assert.deepEqual(later.slice(12), [[], [27], [28], [29]]);
  send(s, 150, { seq: R + 1, ack: ackOf(22), flags: 'A' });
  assert.equal(s.conn.stats().cwnd, 11 * MSS, 'recovery ends with cwnd = ssthresh (RFC 6937 §3.1)');
});

test('without PRR (RFC 6675 alone) cwnd drops to ssthresh at once: silence for half the ACKs, then one per ACK', () => {
  const s = established({ initialCwnd: 20, congestionControl: 'newreno', proportionalRateReduction: false });
  s.conn.write(pattern(40 * MSS));
  poll(s, 100);
  const sent = sackOneByOne(s, 1, 19);
  assert.equal(s.conn.stats().cwnd, 11 * MSS);
  assert.deepEqual(sent.slice(3, 11), [[], [], [], [], [], [], [], []]);
  assert.deepEqual(sent.slice(11), [[22], [23], [24], [25], [26], [27], [28], [29]]);
});

/** 10 segments at 100; SACKs for 1..3 make segment 0 look lost: fast retransmit at 122. */
function spuriousFastRetransmit(extra: Partial<TcpConfig> = {}): Sim {
  const s = established(extra);
  s.conn.write(pattern(10 * MSS));
  poll(s, 100);
  for (let k = 1; k <= 3; k++)
    send(s, 120 + k - 1, { seq: R + 1, ack: ackOf(0), flags: 'A', options: { sackBlocks: [sackTo(k)] } });
  assert.deepEqual(at(poll(s, 122)), [0]);
  // Segment 0 was only reordered: it arrives, the cumulative ACK ends recovery with cwnd = ssthresh.
  send(s, 123, { seq: R + 1, ack: ackOf(10), flags: 'A' });
  assert.equal(s.conn.stats().cwnd, Math.floor(10 * MSS * 0.7));
  return s;
}

test('undo: a D-SACK for the only retransmission restores the window (RFC 2883 §4, RFC 3708; Linux tcp_try_undo_dsack)', () => {
  const s = spuriousFastRetransmit();
  // The retransmission arrives as a duplicate: the receiver reports it with a D-SACK below the ACK.
  send(s, 142, { seq: R + 1, ack: ackOf(10), flags: 'A', options: { sackBlocks: [[ackOf(0), ackOf(1)]] } });
  const st = s.conn.stats();
  assert.equal(st.undoneReductions, 1);
  assert.equal(st.cwnd, 10 * MSS, 'cwnd from before the reduction');
  assert.ok(st.ssthresh > 10 * MSS, 'ssthresh from before (still in slow start)');
  assert.equal(st.spuriousRetransmits, 1);
});

test('no undo without the D-SACK, or with undo turned off', () => {
  const s = spuriousFastRetransmit();
  send(s, 142, { seq: R + 1, ack: ackOf(10), flags: 'A' });
  assert.equal(s.conn.stats().undoneReductions, 0);
  assert.equal(s.conn.stats().cwnd, Math.floor(10 * MSS * 0.7));
  const t = spuriousFastRetransmit({ undoSpuriousReductions: false });
  send(t, 142, { seq: R + 1, ack: ackOf(10), flags: 'A', options: { sackBlocks: [[ackOf(0), ackOf(1)]] } });
  assert.equal(t.conn.stats().undoneReductions, 0);
  assert.equal(t.conn.stats().cwnd, Math.floor(10 * MSS * 0.7));
});

test('undo needs every retransmission D-SACKed: one real loss keeps the reduction (Linux undo_retrans)', () => {
  const s = established();
  s.conn.write(pattern(10 * MSS));
  poll(s, 100);
  // Segments 0 and 1 look lost (SACKs for 2..4): both retransmitted.
  for (let k = 2; k <= 4; k++)
    send(s, 120 + k, {
      seq: R + 1,
      ack: ackOf(0),
      flags: 'A',
      options: { sackBlocks: [[ackOf(2), ackOf(k + 1)]] },
    });
  poll(s, 124);
  send(s, 125, { seq: R + 1, ack: ackOf(0), flags: 'A', options: { sackBlocks: [[ackOf(2), ackOf(6)]] } });
  poll(s, 125);
  assert.equal(s.conn.stats().retransmits, 2);
  // Only segment 0's retransmission was a duplicate.
  send(s, 145, { seq: R + 1, ack: ackOf(10), flags: 'A', options: { sackBlocks: [[ackOf(0), ackOf(1)]] } });
  assert.equal(s.conn.stats().undoneReductions, 0);
});

test('Eifel: after an RTO, an ACK echoing the original timestamp undoes the reduction and stops go-back-N (RFC 3522 §3.2)', () => {
  for (const undo of [true, false]) {
    const s = established({ undoSpuriousReductions: undo }, true);
    const mss = s.conn.stats().mss; // 1448: the timestamps option takes 12 bytes
    s.conn.write(pattern(10 * mss));
    poll(s, 100); // TSval 100
    assert.deepEqual(at(poll(s, 300), mss), [0], 'RTO (200 ms minimum)'); // TSval 300
    assert.equal(s.conn.stats().cwnd, mss);
    // The originals' ACK was only late: it echoes TSval 100, older than the retransmission.
    const echo100 = { timestamp: { value: 9, echo: 100 } };
    send(s, 310, { seq: R + 1, ack: ackOf(5, mss), flags: 'A', options: echo100 });
    const st = s.conn.stats();
    if (undo) {
      assert.equal(st.undoneReductions, 1);
      assert.equal(st.spuriousRtos, 1);
      // The window from before the RTO (10), then slow start for the 5 segments this ACK covers.
      assert.equal(st.cwnd, 15 * mss);
      recvNothing(s, 310); // 5..9 are in flight, not lost: nothing is resent
    } else {
      assert.equal(st.undoneReductions, 0);
      assert.deepEqual(at(poll(s, 310), mss), [5, 6, 7, 8, 9], 'go-back-N: all of it is sent again');
    }
  }
});

test('Eifel: an ACK echoing the retransmission shows the RTO was needed: no undo (RFC 3522)', () => {
  const s = established({}, true);
  const mss = s.conn.stats().mss;
  s.conn.write(pattern(10 * mss));
  poll(s, 100);
  poll(s, 300);
  send(s, 320, {
    seq: R + 1,
    ack: ackOf(1, mss),
    flags: 'A',
    options: { timestamp: { value: 9, echo: 300 } },
  });
  assert.equal(s.conn.stats().undoneReductions, 0);
  assert.equal(s.conn.stats().cwnd, 2 * mss);
});
