// The seed article's scenario C, end to end through the simulator: right after the request the
// server sends ten 536-byte segments at once (its initial window, RFC 6928) and the first one is
// lost. Scapy fell apart here; a real TCP receiver must ACK every out-of-order segment at once with
// SACK blocks (RFC 5681 §4.2, RFC 2018 §4), the sender must repair the hole by fast retransmit
// (RFC 6675) rather than by a timeout, and the application must get every byte in order.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { dropNth, type SimSegmentEvent, simulate } from '../../../src/sim/index.js';
import { TcpFlags } from '../../../src/tcp/segment.js';

const MSS = 536;
/** MTU whose MSS leaves 536 payload bytes next to the 12-byte timestamps option (RFC 7323 §3). */
const MTU = MSS + 40 + 12;
const RESPONSE = 10 * MSS;
const RTT = 20;

function runGoogleCase() {
  const events: SimSegmentEvent[] = [];
  const result = simulate({
    request: 120,
    size: RESPONSE,
    direction: 'download',
    mtu: MTU,
    rtt: RTT,
    bandwidth: 10e6,
    seed: 7,
    dropRule: dropNth('server', 1, { dataOnly: true }),
    onSegment: (ev) => events.push(ev),
  });
  return { result, events };
}

test('Google case: first of ten segments lost, repaired by fast retransmit, delivered in order', () => {
  const { result, events } = runGoogleCase();
  assert.equal(result.ok, true, `${result.failure}\n${result.diagnostic}`);
  assert.equal(result.sha256Match, true);
  assert.equal(result.serverToClient.bytesDelivered, RESPONSE);
  assert.equal(result.serverToClient.scriptedDrops, 1);

  const serverData = events.filter(
    (e) => e.side === 'server' && e.direction === 'sent' && e.payloadLength > 0,
  );
  const lost = serverData[0];
  assert.equal(lost.dropped, true);
  assert.equal(lost.payloadLength, MSS);
  // The whole initial window went out at once (same instant, before any ACK could come back).
  const burst = serverData.slice(0, 10);
  assert.equal(burst.length, 10);
  assert.ok(
    burst.every((e) => e.time - lost.time < RTT / 2),
    'ten segments sent back to back within one one-way delay',
  );
  const hole = lost.seq;

  // Every out-of-order segment arriving at the client is answered at once (same virtual instant)
  // with a duplicate ACK for the hole and a SACK block covering what arrived.
  const arrivals = events.filter(
    (e) => e.side === 'client' && e.direction === 'received' && e.payloadLength > 0 && e.seq !== hole,
  );
  const beforeRepair = arrivals.filter((e) => e.time < firstRetransmission(events, hole).time);
  assert.ok(beforeRepair.length >= 3, `at least three segments overtook the hole (${beforeRepair.length})`);
  for (const seg of beforeRepair) {
    const answer = events.find(
      (e) => e.side === 'client' && e.direction === 'sent' && e.time === seg.time && e.ack === hole,
    );
    assert.ok(answer, `an immediate ACK for segment seq ${seg.seq} at ${seg.time} ms`);
    assert.ok(answer.sackBlocks.length > 0, 'the duplicate ACK carries SACK blocks');
    const [left, right] = answer.sackBlocks[0];
    assert.ok(
      left === (hole + MSS) >>> 0 && right === (seg.seq + seg.payloadLength) >>> 0,
      `first SACK block ${left}-${right} covers the received data after the hole`,
    );
  }

  // The retransmission comes after the duplicate ACKs, well before a retransmission timeout.
  const rtx = firstRetransmission(events, hole);
  assert.equal(rtx.payloadLength, MSS);
  const server = result.server.stats;
  assert.ok(server);
  assert.equal(server.rtoCount, 0, 'no retransmission timeout');
  assert.ok(server.fastRetransmits >= 1, 'loss recovery was entered by duplicate ACKs / SACK');
  assert.ok(
    rtx.time - lost.time < 2 * RTT,
    `repaired ${rtx.time - lost.time} ms after the loss (about one RTT)`,
  );
  assert.ok(rtx.time - lost.time < server.rto, 'sooner than one RTO');

  // No stall longer than one RTO anywhere in the exchange.
  const times = events.map((e) => e.time).sort((a, b) => a - b);
  let largestGap = 0;
  for (let i = 1; i < times.length; i++) largestGap = Math.max(largestGap, times[i] - times[i - 1]);
  assert.ok(largestGap < server.rto, `largest silence ${largestGap} ms < RTO ${server.rto} ms`);

  // HTTP/1.0 shape: the server closes first, the client follows; both finish.
  const serverFin = events.find(
    (e) => e.side === 'server' && e.direction === 'sent' && e.flags & TcpFlags.FIN,
  );
  const clientFin = events.find(
    (e) => e.side === 'client' && e.direction === 'sent' && e.flags & TcpFlags.FIN,
  );
  assert.ok(serverFin && clientFin && serverFin.time <= clientFin.time);
  assert.deepEqual([result.client.state, result.server.state].sort(), ['CLOSED', 'TIME-WAIT']);
});

test('Google case without the loss: no retransmission at all (the check above can tell)', () => {
  const result = simulate({ request: 120, size: RESPONSE, mtu: MTU, rtt: RTT, bandwidth: 10e6, seed: 7 });
  assert.equal(result.ok, true, result.failure ?? '');
  assert.equal(result.retransmissions, 0);
  assert.equal(result.fastRetransmits, 0);
});

function firstRetransmission(events: SimSegmentEvent[], hole: number): SimSegmentEvent {
  const rtx = events.filter(
    (e) =>
      e.side === 'server' && e.direction === 'sent' && e.seq === hole && e.payloadLength > 0 && !e.dropped,
  )[0];
  assert.ok(rtx, 'the lost segment was retransmitted');
  return rtx;
}
