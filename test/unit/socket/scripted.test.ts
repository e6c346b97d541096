// The stack against a scripted peer: raw segments in, the stack's answers captured.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/link/clock.js';
import type { SocketError } from '../../../src/socket/errors.js';
import { createSegmentPipe } from '../../../src/socket/segment-pipe.js';
import { Stack } from '../../../src/socket/stack.js';
import { emptySegment, TcpFlags, type TcpSegment } from '../../../src/tcp/segment.js';
import { drive, runFor } from './harness.js';

function scripted() {
  const clock = new VirtualClock(0);
  const pipe = createSegmentPipe(clock);
  const stack = new Stack({
    iface: pipe.a,
    clock,
    isnSecret: Array(16).fill(9),
    tcpConfig: { synAckRetries: 2 },
  });
  const received: TcpSegment[] = [];
  pipe.b.onTcp((_src, _dst, seg) => received.push({ ...seg, payload: seg.payload.slice() }));
  const send = (fields: Partial<TcpSegment>) =>
    pipe.b.sendTcp(pipe.b.address, pipe.a.address, { ...emptySegment(), window: 65535, ...fields });
  return { clock, stack, received, send };
}

test('the SYN backlog is bounded: SYNs beyond it are dropped and counted (no SYN-ACK)', async (t) => {
  const { clock, stack, received, send } = scripted();
  t.after(() => stack.close());
  stack.listen({ port: 80, backlog: 2 });
  for (const port of [1001, 1002, 1003]) send({ srcPort: port, dstPort: 80, seq: 5000, flags: TcpFlags.SYN });
  await runFor(clock, 10);
  const synAcks = received.filter((s) => s.flags === (TcpFlags.SYN | TcpFlags.ACK));
  assert.deepEqual(
    synAcks.map((s) => s.dstPort),
    [1001, 1002],
  );
  assert.ok(synAcks.every((s) => s.ack === 5001));
  assert.equal(stack.stats().synBacklogDrops, 1);
  assert.equal(stack.stats().connections, 2);
  // Handshakes that never complete give up after synAckRetries and free their slots.
  await drive(clock, () => stack.stats().connections === 0);
  send({ srcPort: 1003, dstPort: 80, seq: 9000, flags: TcpFlags.SYN });
  await runFor(clock, 10);
  assert.equal(received.at(-1)?.flags, TcpFlags.SYN | TcpFlags.ACK, 'room again');
});

test('a stray segment gets a RST built from its ACK field; a stray RST gets nothing', async (t) => {
  const { clock, stack, received, send } = scripted();
  t.after(() => stack.close());
  send({ srcPort: 1234, dstPort: 9999, seq: 77, ack: 4242, flags: TcpFlags.ACK, payload: new Uint8Array(5) });
  send({ srcPort: 1234, dstPort: 9999, seq: 78, flags: TcpFlags.RST });
  await runFor(clock, 10);
  assert.equal(received.length, 1);
  assert.deepEqual([received[0].flags, received[0].seq, received[0].srcPort], [TcpFlags.RST, 4242, 9999]);
  assert.equal(stack.stats().rstsSent, 1);
});

test('ephemeral ports come from the configured range; an exhausted range is EADDRNOTAVAIL', async (t) => {
  const clock = new VirtualClock(0);
  const pipe = createSegmentPipe(clock);
  const server = new Stack({ iface: pipe.a, clock, isnSecret: Array(16).fill(1) });
  const client = new Stack({
    iface: pipe.b,
    clock,
    isnSecret: Array(16).fill(2),
    ephemeralPorts: { low: 40000, high: 40004 },
  });
  t.after(() => {
    server.close();
    client.close();
  });
  server.listen({ port: 80 }, (s) => s.resume());
  const sockets = Array.from({ length: 5 }, () => client.connect({ host: '10.0.0.1', port: 80 }));
  await drive(clock, () => sockets.every((s) => !s.connecting));
  assert.deepEqual(sockets.map((s) => s.localPort).sort(), [40000, 40001, 40002, 40003, 40004]);
  const extra = client.connect({ host: '10.0.0.1', port: 80 });
  let error: SocketError | undefined;
  extra.on('error', (e: SocketError) => {
    error = e;
  });
  await drive(clock, () => error !== undefined);
  assert.equal(error?.code, 'EADDRNOTAVAIL');
});

test('listen() on a port in use is EADDRINUSE; on an address we do not own EADDRNOTAVAIL', (t) => {
  const { stack } = scripted();
  t.after(() => stack.close());
  stack.listen({ port: 80 });
  assert.throws(() => stack.listen({ port: 80 }), { code: 'EADDRINUSE' });
  assert.throws(() => stack.listen({ port: 81, host: '10.9.9.9' }), { code: 'EADDRNOTAVAIL' });
  const specific = stack.listen({ port: 82, host: '10.0.0.1' });
  assert.deepEqual(specific.address(), { address: '10.0.0.1', family: 'IPv4', port: 82 });
  const ephemeral = stack.listen({ port: 0 });
  assert.ok((ephemeral.address()?.port ?? 0) >= 32768);
});
