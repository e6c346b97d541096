// Scale and timer discipline: many connections in one process, one stack timer.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Clock, TimerId } from '../../../src/link/clock.js';
import { VirtualClock } from '../../../src/link/clock.js';
import { createSegmentPipe } from '../../../src/socket/segment-pipe.js';
import { Stack } from '../../../src/socket/stack.js';
import type { TcpSocket } from '../../../src/socket/tcp-socket.js';
import { collect, drive, randomBytes } from './harness.js';

/** A clock view that records the timers one user sets in the future (deadlines, not deferrals). */
class WatchedClock implements Clock {
  readonly live = new Set<TimerId>();
  maxLive = 0;
  constructor(private readonly inner: VirtualClock) {}
  now(): number {
    return this.inner.now();
  }
  setTimer(at: number, fn: () => void): TimerId {
    if (at <= this.inner.now()) return this.inner.setTimer(at, fn); // a deferred flush, not a deadline
    const id = this.inner.setTimer(at, () => {
      this.live.delete(id);
      fn();
    });
    this.live.add(id);
    this.maxLive = Math.max(this.maxLive, this.live.size);
    return id;
  }
  clearTimer(id: TimerId): void {
    this.live.delete(id);
    this.inner.clearTimer(id);
  }
  /** Present so the stack recognizes a virtual clock (flushes deferred on the clock, not microtasks). */
  advanceTo(t: number): void {
    this.inner.advanceTo(t);
  }
}

test('200 connections at once: all echo byte-exact, one armed stack timer, all state freed', async (t) => {
  const clock = new VirtualClock(0);
  const pipe = createSegmentPipe(clock, { delay: 5 });
  const serverClock = new WatchedClock(clock);
  const clientClock = new WatchedClock(clock);
  const server = new Stack({
    iface: pipe.a,
    clock: serverClock,
    isnSecret: Array(16).fill(1),
    tcpConfig: { timeWait: 10_000 },
  });
  const client = new Stack({
    iface: pipe.b,
    clock: clientClock,
    isnSecret: Array(16).fill(2),
    tcpConfig: { timeWait: 10_000 },
  });
  t.after(() => {
    server.close();
    client.close();
  });
  server.listen({ port: 7 }, (s: TcpSocket) => s.pipe(s)); // echo
  const N = 200;
  const results: Array<ReturnType<typeof collect>> = [];
  const payloads: Buffer[] = [];
  for (let i = 0; i < N; i++) {
    const payload = randomBytes(3000 + i, 100 + i);
    payloads.push(payload);
    const socket = client.connect({ host: '10.0.0.1', port: 7 });
    results.push(collect(socket));
    socket.end(payload);
  }
  let peak = 0;
  await drive(clock, () => {
    peak = Math.max(peak, client.stats().connections);
    return results.every((r) => r.ended);
  });
  assert.equal(peak, N, 'all connections were open at the same time');
  for (let i = 0; i < N; i++) assert.ok(results[i].bytes().equals(payloads[i]), `connection ${i}`);
  const ports = new Set(client.connections().map((c) => c.localPort));
  assert.equal(ports.size, client.stats().connections, 'distinct ephemeral ports');
  // One armed timer per stack however many connections have deadlines (RTO, delayed ACK, TIME-WAIT).
  assert.equal(serverClock.maxLive, 1);
  assert.equal(clientClock.maxLive, 1);
  await drive(clock, () => client.stats().connections === 0 && server.stats().connections === 0);
  assert.equal(clientClock.live.size, 0, 'no timer left once every connection is gone');
  assert.equal(serverClock.live.size, 0);
});
