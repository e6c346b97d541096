// RACK-TLP (RFC 8985): the tail loss probe (§7) and RACK's time-based loss detection (§6).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { simulate } from '../../../src/sim/simulate.js';
import type { TcpConfig } from '../../../src/tcp/config.js';
import type { TcpSegment } from '../../../src/tcp/segment.js';
import { connecting, L, MSS, pattern, poll, R, recvNothing, type Sim, send } from './dsl.js';

const RTT = 20;

/** ESTABLISHED with RACK-TLP on and a 20 ms RTT measured on the handshake (SRTT = min_RTT = 20 ms). */
function established(extra: Partial<TcpConfig> = {}): Sim {
  const s = connecting({ config: { tailLossProbe: true, rack: true, ...extra } });
  poll(s, 0);
  send(s, RTT, { seq: R, ack: L + 1, flags: 'SA', options: { mss: MSS, sackPermitted: true } });
  poll(s, RTT);
  assert.equal(s.conn.stats().srtt, RTT);
  return s;
}

const at = (segs: TcpSegment[]): number[] => segs.map((x) => (x.seq - (L + 1)) / MSS);
const ackOf = (n: number) => L + 1 + n * MSS;
const sack = (from: number, to: number): [number, number] => [ackOf(from), ackOf(to)];

test('TLP: the last two segments are lost; a probe at 2*SRTT resends the last, RACK marks the other lost: no RTO (RFC 8985 §7.3, §6.2)', () => {
  const s = established();
  s.conn.write(pattern(10 * MSS));
  assert.deepEqual(at(poll(s, 100)), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  send(s, 120, { seq: R + 1, ack: ackOf(8), flags: 'A' }); // segments 8 and 9 are lost
  recvNothing(s, 120);
  // PTO = 2*SRTT + 2 ms (two segments in flight) after the ACK: 162, well before the RTO (320).
  assert.equal(s.conn.pollAt(), 162);
  assert.ok(s.conn.timerList().some((t) => t.kind === 'loss-probe' && t.expiresAt === 162));
  recvNothing(s, 161);
  assert.deepEqual(at(poll(s, 162)), [9], 'probe: the highest segment again (no new data queued)');
  assert.equal(s.conn.stats().tailLossProbes, 1);
  // The probe's SACK: segment 9 delivered, sent at 162; segment 8 was sent at 100, more than RTT + reo_wnd
  // (20 + min_RTT/4) before the ACK: lost, fast recovery retransmits it at once.
  send(s, 182, { seq: R + 1, ack: ackOf(8), flags: 'A', options: { sackBlocks: [sack(9, 10)] } });
  assert.deepEqual(at(poll(s, 182)), [8]);
  send(s, 202, { seq: R + 1, ack: ackOf(10), flags: 'A' });
  const st = s.conn.stats();
  assert.equal(st.rtoCount, 0);
  assert.equal(st.fastRetransmits, 1);
  assert.deepEqual(s.conn.timerList(), []);
});

test('TLP: with new data queued the probe sends new data, ignoring cwnd (RFC 8985 §7.3)', () => {
  const s = established({ initialCwnd: 2 });
  s.conn.write(pattern(4 * MSS));
  assert.deepEqual(at(poll(s, 100)), [0, 1]);
  // No ACK comes back: at 2*SRTT + 2 the probe is segment 2, new data beyond cwnd.
  recvNothing(s, 141);
  assert.deepEqual(at(poll(s, 142)), [2]);
  assert.equal(s.conn.internals().sender.tlp.isRetrans, false);
  // Only one probe per episode: the next event is the RTO (re-armed after the probe).
  assert.equal(s.conn.pollAt(), 342);
});

test('TLP: one segment in flight adds the delayed-ACK allowance, capped by the RTO; the probe replaces the RTO (RFC 8985 §7.2)', () => {
  const s = established();
  s.conn.write(pattern(100));
  poll(s, 100);
  // 2*20 + 200 ms (worst-case delayed ACK) = 340 > RTO at 300: the PTO fires at 300 instead of the RTO.
  assert.equal(s.conn.pollAt(), 300);
  const [probe] = poll(s, 300);
  assert.equal(probe.seq, L + 1);
  const st = s.conn.stats();
  assert.equal(st.tailLossProbes, 1);
  assert.equal(st.rtoCount, 0, 'a probe, not a timeout: cwnd is not collapsed');
  assert.equal(st.cwnd, 10 * MSS);
});

test('TLP: a D-SACK for the probe means the original arrived: the episode ends without a window cut (RFC 8985 §7.4.1)', () => {
  const s = established();
  s.conn.write(pattern(10 * MSS));
  poll(s, 100);
  send(s, 120, { seq: R + 1, ack: ackOf(8), flags: 'A' });
  poll(s, 162); // probe: segment 9
  const cwnd = s.conn.stats().cwnd;
  send(s, 170, { seq: R + 1, ack: ackOf(10), flags: 'A' }); // the originals' ACK was just slow
  send(s, 182, { seq: R + 1, ack: ackOf(10), flags: 'A', options: { sackBlocks: [sack(9, 10)] } });
  assert.equal(s.conn.internals().sender.tlp.inProgress, false);
  assert.equal(s.conn.stats().tailLossProbeRecoveries, 0);
  assert.equal(s.conn.stats().cwnd, cwnd);
});

test('TLP: the probe repaired a loss (no D-SACK, ACK beyond the episode): one congestion response (RFC 8985 §7.4.2)', () => {
  const s = established({ congestionControl: 'newreno' });
  s.conn.write(pattern(10 * MSS));
  poll(s, 100);
  send(s, 120, { seq: R + 1, ack: ackOf(9), flags: 'A' }); // only segment 9 lost
  assert.deepEqual(at(poll(s, 320)), [9], 'the probe (at the RTO time, one segment in flight)');
  send(s, 340, { seq: R + 1, ack: ackOf(10), flags: 'A' }); // the probe plugged the hole
  const before = s.conn.stats().cwnd;
  s.conn.write(pattern(2 * MSS, 10 * MSS));
  poll(s, 341);
  send(s, 361, { seq: R + 1, ack: ackOf(12), flags: 'A' }); // beyond TLP.end_seq, no TLP dupack seen
  const st = s.conn.stats();
  assert.equal(st.tailLossProbeRecoveries, 1);
  assert.ok(st.cwnd < before, `cwnd ${st.cwnd} reduced from ${before}`);
  assert.equal(st.rtoCount, 0);
});

test('RACK: a single SACK above a hole marks it lost once RTT + reo_wnd passed, before three duplicate ACKs (RFC 8985 §6.2)', () => {
  const s = established();
  s.conn.write(pattern(MSS));
  poll(s, 100); // 0 at 100
  s.conn.write(pattern(MSS, MSS));
  poll(s, 110); // 1 at 110
  // Segment 0 lost; the SACK for segment 1 (sent 10 ms later) arrives: 0 was sent before a delivered
  // segment and is overdue by more than reo_wnd = min_RTT/4 = 5 ms. One SACKed segment is far from
  // RFC 6675's DupThresh of three.
  send(s, 130, { seq: R + 1, ack: ackOf(0), flags: 'A', options: { sackBlocks: [sack(1, 2)] } });
  assert.deepEqual(at(poll(s, 130)), [0]);
  assert.equal(s.conn.stats().fastRetransmits, 1);
  assert.equal(s.conn.stats().rtoCount, 0);
});

test('RACK: segments sent just before the delivered one wait for the reordering window (RFC 8985 §6.2 step 5)', () => {
  const s = established();
  s.conn.write(pattern(MSS));
  poll(s, 100); // 0 at 100
  s.conn.write(pattern(MSS, MSS));
  poll(s, 103); // 1 at 103
  // Segment 1 SACKed at 123 (its RTT 20): segment 0 was sent 3 ms earlier, within reo_wnd = 5 ms: not lost.
  send(s, 123, { seq: R + 1, ack: ackOf(0), flags: 'A', options: { sackBlocks: [sack(1, 2)] } });
  recvNothing(s, 123);
  assert.equal(s.conn.stats().fastRetransmits, 0);
  // It arrives: no spurious retransmission.
  send(s, 124, { seq: R + 1, ack: ackOf(2), flags: 'A' });
  assert.equal(s.conn.stats().retransmits, 0);
});

test('without RACK-TLP (config off) a tail loss waits for the RTO (RFC 6298), as before', () => {
  const s = established({ tailLossProbe: false, rack: false });
  s.conn.write(pattern(10 * MSS));
  poll(s, 100);
  send(s, 120, { seq: R + 1, ack: ackOf(8), flags: 'A' });
  recvNothing(s, 120);
  assert.equal(s.conn.pollAt(), 320);
  assert.deepEqual(at(poll(s, 320)), [8]);
  assert.equal(s.conn.stats().rtoCount, 1);
});

test('simulator: losing the last two segments of a 46-segment response costs a probe, not an RTO (RFC 8985)', () => {
  const run = (rackTlp: boolean) =>
    simulate({
      size: 46 * 1448,
      rtt: 30,
      seed: 7,
      tcp: { tailLossProbe: rackTlp, rack: rackTlp },
      // The server's first transmissions of data segments 45 and 46 are lost.
      dropRule: (ev) => ev.side === 'server' && (ev.dataIndex === 45 || ev.dataIndex === 46),
    });
  const withTlp = run(true);
  const without = run(false);
  assert.ok(withTlp.ok && without.ok);
  assert.equal(without.rtoCount, 1);
  assert.equal(withTlp.rtoCount, 0);
  assert.equal(withTlp.server.stats?.tailLossProbes, 1);
  assert.ok(
    withTlp.transferSeconds < without.transferSeconds - 0.1,
    `${withTlp.transferSeconds} s with RACK-TLP, ${without.transferSeconds} s without`,
  );
});
