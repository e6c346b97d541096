// Keepalive (RFC 1122 §4.2.3.6), persist backoff bound, timers as data.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TcpEvent } from '../../../src/tcp/connection.js';
import { TimerKind, TimerSet } from '../../../src/tcp/timers.js';
import { fixture, L, R, recv, recvNothing, send } from './dsl.js';

test('keepalive is off by default (Linux sockets)', () => {
  const s = fixture('ESTABLISHED');
  assert.equal(s.conn.pollAt(), Number.POSITIVE_INFINITY);
  recvNothing(s, 10_000_000);
});

test('keepalive: probe <SEQ=SND.UNA-1> after the idle time, then every interval; answered probes keep it alive', () => {
  const s = fixture('ESTABLISHED', {
    config: { keepalive: true, keepaliveIdle: 10_000, keepaliveInterval: 1000, keepaliveProbes: 3 },
  });
  recvNothing(s, 1);
  assert.equal(s.conn.pollAt(), 10_000);
  recv(s, 10_000, { seq: L, ack: R + 1, flags: 'A' });
  assert.equal(s.conn.pollAt(), 11_000);
  send(s, 10_050, { seq: R + 1, ack: L + 1, flags: 'A' }); // the peer answers
  recvNothing(s, 11_000);
  assert.equal(s.conn.pollAt(), 20_050, 'next probe an idle time after the answer');
  assert.equal(s.conn.stats().keepaliveProbes, 1);
});

test('keepalive: unanswered probes end the connection with a keepalive timeout (RFC 1122 §4.2.3.6)', () => {
  const s = fixture('ESTABLISHED');
  s.conn.setKeepAlive(true, 5000);
  recvNothing(s, 1);
  const probe = { seq: L, ack: R + 1, flags: 'A' };
  recv(s, 5000, probe);
  recv(s, 5000 + 75_000, probe);
  recv(s, 5000 + 2 * 75_000, probe);
  for (let i = 3; i < 9; i++) recv(s, 5000 + i * 75_000, probe);
  recvNothing(s, 5000 + 9 * 75_000);
  assert.equal(s.conn.state, 'CLOSED');
  assert.equal(s.conn.error?.code, 'keepalive-timeout');
  assert.ok(s.conn.takeEvents() & TcpEvent.TIMEOUT);
});

test('keepalive waits while data is in flight (the RTO covers that case)', () => {
  const s = fixture('ESTABLISHED', {
    config: { keepalive: true, keepaliveIdle: 1000, maxRetries: 100, maxRto: 400 },
  });
  s.conn.write(new Uint8Array(10));
  const segs: number[] = [];
  for (let t = 0; t <= 3000; t += 50) {
    s.conn.poll(t, (x) => segs.push(x.payload.length));
  }
  assert.ok(
    segs.every((n) => n === 10),
    'only retransmissions, no keepalive probes',
  );
});

test('the persist timer backs off up to the maximum RTO', () => {
  const s = fixture('ESTABLISHED', { config: { maxRto: 1000 } });
  s.conn.write(new Uint8Array(5));
  recv(s, 0, { seq: L + 1, ack: R + 1, flags: 'PA', payload: '\0\0\0\0\0' });
  send(s, 1, { seq: R + 1, ack: L + 6, flags: 'A', window: 0 });
  s.conn.write(new Uint8Array(5));
  recvNothing(s, 1);
  const times: number[] = [];
  let t = 1;
  for (let i = 0; i < 6; i++) {
    t = s.conn.pollAt();
    s.conn.poll(t, () => times.push(t));
  }
  assert.deepEqual(times, [201, 601, 1401, 2401, 3401, 4401]);
});

test('TimerSet: timers are data; next() is the earliest, list() names them', () => {
  const t = new TimerSet();
  assert.equal(t.next(), Number.POSITIVE_INFINITY);
  t.set(TimerKind.KEEPALIVE, 500);
  t.set(TimerKind.RETRANSMIT, 200);
  assert.equal(t.next(), 200);
  assert.deepEqual(t.list(), [
    { kind: 'retransmit', expiresAt: 200 },
    { kind: 'keepalive', expiresAt: 500 },
  ]);
  assert.ok(t.isDue(TimerKind.RETRANSMIT, 200) && !t.isDue(TimerKind.KEEPALIVE, 200));
  t.clear(TimerKind.RETRANSMIT);
  assert.equal(t.next(), 500);
});
