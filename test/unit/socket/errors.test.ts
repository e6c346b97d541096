// Node-like errors and batching on the segment pipe (virtual time).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SocketError } from '../../../src/socket/errors.js';
import type { TcpSocket } from '../../../src/socket/tcp-socket.js';
import { drive, makePair, runFor } from './harness.js';

test('SYNs into a black hole: ETIMEDOUT from connect after the SYN retries (RFC 6298 backoff)', async (t) => {
  const { clock, b, close } = makePair({ filter: () => false }, { tcpConfig: { synRetries: 2 } });
  t.after(close);
  const start = clock.now();
  const socket = b.connect({ host: '10.0.0.1', port: 80 });
  let error: SocketError | undefined;
  socket.on('error', (e: SocketError) => {
    error = e;
  });
  await drive(clock, () => error !== undefined);
  assert.equal(error?.code, 'ETIMEDOUT');
  assert.equal(error?.syscall, 'connect');
  assert.equal(error?.message, 'connect ETIMEDOUT 10.0.0.1:80');
  // 1 s, then 2 s, then 4 s for the last answer: 7 s (Linux: tcp_syn_retries=2 gives up after 7 s).
  assert.equal(clock.now() - start, 7000);
  assert.equal(b.stats().connections, 0, 'the failed connection is gone');
});

test('an established connection whose peer vanishes: ETIMEDOUT once retransmissions run out', async (t) => {
  let blackHole = false;
  const { clock, a, b, close } = makePair({ filter: () => !blackHole }, { tcpConfig: { maxRetries: 3 } });
  t.after(close);
  let server: TcpSocket | undefined;
  a.listen({ port: 80 }, (s) => {
    server = s;
    s.resume();
  });
  const socket = b.connect({ host: '10.0.0.1', port: 80 });
  await drive(clock, () => server !== undefined && !socket.connecting);
  blackHole = true;
  socket.write('into the void');
  let error: SocketError | undefined;
  socket.on('error', (e: SocketError) => {
    error = e;
  });
  await drive(clock, () => error !== undefined);
  assert.equal(error?.code, 'ETIMEDOUT');
  assert.equal(error?.syscall, 'read');
  assert.ok((socket.tcpStats()?.rtoCount ?? 0) >= 3);
});

test('writes in one tick mark the connection once and cost one flush', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  let got = 0;
  a.listen({ port: 80 }, (s) =>
    s.on('data', (c: Buffer) => {
      got += c.length;
    }),
  );
  const socket = b.connect({ host: '10.0.0.1', port: 80 });
  socket.setNoDelay(true);
  await drive(clock, () => !socket.connecting);
  await runFor(clock, 1000); // settle: handshake ACKs and their timers are done
  const before = b.stats().driver;
  for (let i = 0; i < 100; i++) socket.write('0123456789');
  clock.runUntil(clock.now()); // run what is due now: the deferred flush
  const after = b.stats().driver;
  assert.equal(after.flushes - before.flushes, 1, 'one flush for 100 writes');
  assert.equal(after.polls - before.polls, 1, 'one poll of the one dirty connection');
  await drive(clock, () => got === 1000);
});

test('IPv6 sockets: addresses and family as Node reports them', async (t) => {
  const { clock, a, b, close } = makePair({ addresses: ['fd00::1', 'fd00::2'] });
  t.after(close);
  let accepted: TcpSocket | undefined;
  a.listen({ port: 443 }, (s) => {
    accepted = s;
  });
  const socket = b.connect({ host: '[fd00::1]', port: 443 });
  await drive(clock, () => accepted !== undefined && !socket.connecting);
  assert.equal(socket.remoteAddress, 'fd00::1');
  assert.equal(socket.remoteFamily, 'IPv6');
  assert.equal(socket.localAddress, 'fd00::2');
  assert.deepEqual(socket.address(), { address: 'fd00::2', family: 'IPv6', port: socket.localPort });
  assert.equal(accepted?.remoteAddress, 'fd00::2');
  // MSS announced from the IPv6 path MTU: 1500 - 40 - 20 = 1440; segments carry 12 bytes of
  // timestamp option (RFC 7323 §3), so the effective send MSS is 1428.
  assert.equal(socket.tcpStats()?.mss, 1428);
});
