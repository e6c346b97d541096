// Software GRO (src/tcp/coalescer.ts) as the engine sees it: a receive batch of in-order segments
// reaches the engine as one merged segment, and each rule that ends a merge (a hole, a PSH, a FIN,
// an option change, a window change, a short segment) gives the engine exactly what Linux's
// tcp_gro_receive would, with the bytes intact and the ACKs RFC 5681 §4.2 asks for.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/link/clock.js';
import { createSegmentPipe } from '../../../src/socket/segment-pipe.js';
import { Stack } from '../../../src/socket/stack.js';
import { emptySegment, TcpFlags, type TcpSegment } from '../../../src/tcp/segment.js';
import { drive, runFor } from './harness.js';

const MSS = 1448;
const PEER_ISN = 3_000_000;
const PEER_TS = 5000;

interface BurstSegment {
  /** Index of the MSS-sized slot: sequence number PEER_ISN + 1 + i * MSS. */
  i: number;
  length?: number;
  flags?: number;
  window?: number;
  tsValue?: number;
}

async function established(coalesce = true) {
  const clock = new VirtualClock(0);
  const pipe = createSegmentPipe(clock);
  const stack = new Stack({ iface: pipe.a, clock, isnSecret: Array(16).fill(5), coalesce });
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
  const data: Uint8Array[] = [];
  let ended = false;
  socket.on('data', (chunk: Uint8Array) => data.push(chunk));
  socket.on('end', () => {
    ended = true;
  });
  await drive(clock, () => received.some((s) => s.flags === TcpFlags.SYN));
  const syn = received.find((s) => s.flags === TcpFlags.SYN)!;
  const base = { srcPort: 80, dstPort: syn.srcPort, ack: (syn.seq + 1) >>> 0 };
  send({
    ...base,
    seq: PEER_ISN,
    flags: TcpFlags.SYN | TcpFlags.ACK,
    options: {
      mss: MSS,
      sackPermitted: true,
      timestamp: { value: PEER_TS, echo: syn.options.timestamp!.value },
    },
  });
  await drive(clock, () => !socket.connecting);
  await runFor(clock, 5);
  received.length = 0;
  const echo = received.at(-1)?.options.timestamp?.value ?? 0;
  /** One receive batch: every segment sent at the same virtual instant. */
  const batch = (segments: BurstSegment[]) => {
    for (const s of segments) {
      const length = s.length ?? MSS;
      send({
        ...base,
        seq: PEER_ISN + 1 + s.i * MSS,
        flags: s.flags ?? TcpFlags.ACK,
        window: s.window ?? 65535,
        options: { timestamp: { value: s.tsValue ?? PEER_TS + 1, echo } },
        payload: new Uint8Array(length).fill(s.i + 1),
      });
    }
  };
  const acks = () => received.filter((seg) => seg.payload.length === 0 && (seg.flags & TcpFlags.SYN) === 0);
  const bytes = () => Buffer.concat(data);
  const engineSegments = () => stack.stats().coalescer.delivered;
  const segmentsIn = () => socket.tcpStats()?.segmentsIn ?? -1;
  const handshakeSegments = segmentsIn();
  return {
    segmentsIn,
    handshakeSegments,
    clock,
    stack,
    socket,
    batch,
    acks,
    bytes,
    engineSegments,
    ended: () => ended,
    t: () => stack.close(),
  };
}

/** The bytes slots [0, n) carry (slot i is filled with i + 1), `short` bytes long for the last if given. */
function expected(n: number, lastLength = MSS): Buffer {
  return Buffer.concat(
    Array.from({ length: n }, (_, i) => Buffer.alloc(i === n - 1 ? lastLength : MSS, i + 1)),
  );
}

const slots = (from: number, to: number, extra: Partial<BurstSegment> = {}): BurstSegment[] =>
  Array.from({ length: to - from }, (_, k) => ({ i: from + k, ...extra }));

test('an in-order batch reaches the engine as one segment, ACKed once, bytes intact', async (t) => {
  const s = await established();
  t.after(s.t);
  s.batch(slots(0, 10));
  await runFor(s.clock, 5);
  assert.equal(s.engineSegments(), 1, 'ten segments, one engine call');
  assert.equal(s.stack.stats().coalescer.held, 10);
  assert.equal(s.segmentsIn(), 10 + s.handshakeSegments, 'the connection still counts wire segments');
  assert.deepEqual(
    s.acks().map((a) => a.ack),
    [PEER_ISN + 1 + 10 * MSS],
  );
  assert.ok(s.bytes().equals(expected(10)));
});

test('without coalescing every segment reaches the engine on its own (the same bytes, the same ACK)', async (t) => {
  const s = await established(false);
  t.after(s.t);
  s.batch(slots(0, 10));
  await runFor(s.clock, 5);
  assert.equal(s.engineSegments(), 0);
  assert.deepEqual(
    s.acks().map((a) => a.ack),
    [PEER_ISN + 1 + 10 * MSS],
  );
  assert.ok(s.bytes().equals(expected(10)));
});

test('a hole: the run before it is merged, and each segment after it gets its own duplicate ACK (RFC 5681 §4.2)', async (t) => {
  const s = await established();
  t.after(s.t);
  s.batch([...slots(0, 3), ...slots(4, 10)]);
  await runFor(s.clock, 5);
  assert.equal(s.engineSegments(), 1, 'only 0-2 were merged; out-of-order segments are never held');
  const acks = s.acks();
  assert.equal(acks.length, 6, 'one duplicate ACK per out-of-order segment');
  assert.ok(acks.every((a) => a.ack === PEER_ISN + 1 + 3 * MSS));
  assert.deepEqual(
    acks.map((a) => a.options.sackBlocks?.[0]),
    Array.from({ length: 6 }, (_, k) => [PEER_ISN + 1 + 4 * MSS, PEER_ISN + 1 + (5 + k) * MSS]),
  );
  // The retransmission fills the hole: it is not held behind a gap; the ACK covers everything.
  s.batch([{ i: 3 }]);
  await runFor(s.clock, 5);
  assert.equal(s.acks().at(-1)?.ack, PEER_ISN + 1 + 10 * MSS);
  assert.ok(s.bytes().equals(expected(10)));
});

test('a PSH joins the run and ends it: the next segments start a new merged segment', async (t) => {
  const s = await established();
  t.after(s.t);
  s.batch([...slots(0, 4), { i: 4, flags: TcpFlags.ACK | TcpFlags.PSH }, ...slots(5, 10)]);
  await runFor(s.clock, 5);
  assert.equal(s.engineSegments(), 2, '0-4 (ending with the PSH), then 5-9');
  assert.ok(s.bytes().equals(expected(10)));
  assert.deepEqual(
    s.acks().map((a) => a.ack),
    [PEER_ISN + 1 + 10 * MSS],
    'still one ACK for the batch',
  );
});

test('a FIN in the batch is never held: the run before it goes first, then the FIN, ACKed at once', async (t) => {
  const s = await established();
  t.after(s.t);
  s.batch([...slots(0, 9), { i: 9, flags: TcpFlags.ACK | TcpFlags.FIN | TcpFlags.PSH, length: 100 }]);
  await runFor(s.clock, 5);
  assert.equal(s.engineSegments(), 1, '0-8 merged; the FIN segment on its own');
  assert.ok(s.bytes().equals(expected(10, 100)));
  assert.equal(s.acks().at(-1)?.ack, PEER_ISN + 1 + 9 * MSS + 100 + 1, 'the FIN is acknowledged');
  assert.ok(s.ended(), 'the stream ended after the bytes');
});

test('an option change (a new timestamp) ends the run: no segment is merged across it', async (t) => {
  const s = await established();
  t.after(s.t);
  s.batch([...slots(0, 5), ...slots(5, 10, { tsValue: PEER_TS + 2 })]);
  await runFor(s.clock, 5);
  assert.equal(s.engineSegments(), 2);
  assert.equal(s.stack.stats().coalescer.held, 10);
  assert.ok(s.bytes().equals(expected(10)));
});

test('a window change ends the run', async (t) => {
  const s = await established();
  t.after(s.t);
  s.batch([...slots(0, 5), ...slots(5, 10, { window: 60000 })]);
  await runFor(s.clock, 5);
  assert.equal(s.engineSegments(), 2);
  assert.ok(s.bytes().equals(expected(10)));
});

test('a segment shorter than the first joins and ends the run; what follows starts anew', async (t) => {
  const s = await established();
  t.after(s.t);
  s.batch([...slots(0, 3), { i: 3, length: 1000 }]);
  s.batch([{ i: 3, length: MSS }]); // the rest of slot 3 arrives as a retransmission-like overlap
  await runFor(s.clock, 5);
  assert.equal(s.engineSegments(), 1, 'the overlap of slot 3 is not in order: not held');
  assert.ok(s.bytes().equals(expected(4)));
});
