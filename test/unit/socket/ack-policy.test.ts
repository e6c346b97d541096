// The stack's ACK policy when a burst arrives in one receive batch: out-of-order segments each get
// their duplicate ACK at once (RFC 5681 §4.2); in-order data is ACKed once per batch, as Linux ACKs
// each GRO super-skb once (the batch counts as one coalesced segment for RFC 1122 §4.2.3.2).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/link/clock.js';
import { createSegmentPipe } from '../../../src/socket/segment-pipe.js';
import { Stack } from '../../../src/socket/stack.js';
import { emptySegment, TcpFlags, type TcpSegment } from '../../../src/tcp/segment.js';
import { drive, runFor } from './harness.js';

const MSS = 536;
const PEER_ISN = 1_000_000;

/** Our stack connects to a scripted peer; returns helpers once ESTABLISHED. */
async function established() {
  const clock = new VirtualClock(0);
  const pipe = createSegmentPipe(clock);
  const stack = new Stack({ iface: pipe.a, clock, isnSecret: Array(16).fill(3) });
  const received: TcpSegment[] = [];
  pipe.b.onTcp((_src, _dst, seg) =>
    received.push({
      ...seg,
      options: { ...seg.options, sackBlocks: seg.options.sackBlocks?.map((b) => [...b] as [number, number]) },
      payload: seg.payload.slice(),
    }),
  );
  const send = (fields: Partial<TcpSegment>) =>
    pipe.b.sendTcp(pipe.b.address, pipe.a.address, { ...emptySegment(), window: 65535, ...fields });
  const socket = stack.connect({ host: '10.0.0.2', port: 80 });
  socket.resume();
  await drive(clock, () => received.some((s) => s.flags === TcpFlags.SYN));
  const syn = received.find((s) => s.flags === TcpFlags.SYN)!;
  const base = { srcPort: 80, dstPort: syn.srcPort };
  send({
    ...base,
    seq: PEER_ISN,
    ack: (syn.seq + 1) >>> 0,
    flags: TcpFlags.SYN | TcpFlags.ACK,
    options: { mss: MSS, sackPermitted: true },
  });
  await drive(clock, () => !socket.connecting);
  await runFor(clock, 5);
  received.length = 0;
  /** Send segments 0..9 of a burst in one batch (same instant), skipping the ones in `lost`. */
  const burst = (lost: number[]) => {
    for (let i = 0; i < 10; i++) {
      if (lost.includes(i)) continue;
      send({
        ...base,
        seq: PEER_ISN + 1 + i * MSS,
        ack: (syn.seq + 1) >>> 0,
        flags: TcpFlags.ACK,
        payload: new Uint8Array(MSS).fill(i),
      });
    }
  };
  return { clock, stack, socket, received, burst, t: () => stack.close() };
}

test('RFC 5681 §4.2: each out-of-order segment of a burst gets its own immediate duplicate ACK with SACK', async (t) => {
  const s = await established();
  t.after(s.t);
  s.burst([0]);
  await runFor(s.clock, 5);
  const acks = s.received.filter((seg) => seg.payload.length === 0 && seg.flags === TcpFlags.ACK);
  assert.equal(acks.length, 9, 'one duplicate ACK per out-of-order segment');
  assert.ok(
    acks.every((a) => a.ack === PEER_ISN + 1),
    'all of them ACK the start of the hole',
  );
  assert.deepEqual(
    acks.map((a) => a.options.sackBlocks?.[0]?.[1]),
    Array.from({ length: 9 }, (_, i) => PEER_ISN + 1 + (i + 2) * MSS),
    'each SACK block grows by the segment that just arrived (RFC 2018 §4: most recent first)',
  );
});

test('an in-order burst in one receive batch gets one ACK for all of it, at the end of the batch', async (t) => {
  const s = await established();
  t.after(s.t);
  s.burst([]);
  await runFor(s.clock, 5);
  const acks = s.received.filter((seg) => seg.payload.length === 0 && seg.flags === TcpFlags.ACK);
  assert.equal(acks.length, 1, `one ACK for the batch, got ${acks.length}`);
  assert.equal(acks[0].ack, PEER_ISN + 1 + 10 * MSS);
});

test('a burst split over two batches is ACKed once per batch; a hole filled is ACKed at once', async (t) => {
  const s = await established();
  t.after(s.t);
  s.burst([5, 6, 7, 8, 9]);
  await runFor(s.clock, 5);
  // Segments 0-4 in order: one ACK at the batch's end.
  let acks = s.received.filter((seg) => seg.payload.length === 0 && seg.flags === TcpFlags.ACK);
  assert.deepEqual(
    acks.map((a) => a.ack),
    [PEER_ISN + 1 + 5 * MSS],
  );
  s.received.length = 0;
  s.burst([0, 1, 2, 3, 4, 5]); // 6-9 out of order: a duplicate ACK each
  await runFor(s.clock, 5);
  acks = s.received.filter((seg) => seg.payload.length === 0 && seg.flags === TcpFlags.ACK);
  assert.equal(acks.length, 4);
  assert.ok(acks.every((a) => a.ack === PEER_ISN + 1 + 5 * MSS));
  s.received.length = 0;
  s.burst([0, 1, 2, 3, 4, 6, 7, 8, 9]); // 5 fills the hole: ACK of everything at once
  await runFor(s.clock, 5);
  acks = s.received.filter((seg) => seg.payload.length === 0 && seg.flags === TcpFlags.ACK);
  assert.deepEqual(
    acks.map((a) => a.ack),
    [PEER_ISN + 1 + 10 * MSS],
  );
});
