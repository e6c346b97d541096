// Closing: RFC 9293 §3.6 (close sequences), §3.10.4 CLOSE, §3.10.5 ABORT, RST in every state.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TcpEvent } from '../../../src/tcp/connection.js';
import { bytes, fixture, L, R, readAll, recv, recvNothing, send } from './dsl.js';

test('CLOSE in ESTABLISHED: FIN after the queued data, FIN-WAIT-1 (RFC 9293 §3.10.4)', () => {
  const s = fixture('ESTABLISHED');
  s.conn.write(bytes('last words'));
  s.conn.end();
  assert.equal(s.conn.state, 'FIN-WAIT-1');
  recv(s, 1, { seq: L + 1, ack: R + 1, flags: 'FPA', payload: 'last words' });
  assert.equal(s.conn.write(bytes('more')), 0, 'no writes after CLOSE');
});

test('FIN-WAIT-1 -> FIN-WAIT-2 when our FIN is acknowledged; data still arrives (half-close)', () => {
  const s = fixture('FIN-WAIT-1');
  send(s, 5, { seq: R + 1, ack: L + 2, flags: 'A' });
  assert.equal(s.conn.state, 'FIN-WAIT-2');
  send(s, 6, { seq: R + 1, ack: L + 2, flags: 'PA', payload: 'response' });
  recv(s, 6, { seq: L + 2, ack: R + 9, flags: 'A' });
  assert.equal(readAll(s), 'response');
});

test('FIN-WAIT-2 + FIN -> TIME-WAIT, ACK, CLOSED after 2 MSL (60 s like Linux)', () => {
  const s = fixture('FIN-WAIT-2');
  send(s, 100, { seq: R + 1, ack: L + 2, flags: 'FA' });
  assert.equal(s.conn.state, 'TIME-WAIT');
  recv(s, 100, { seq: L + 2, ack: R + 2, flags: 'A' });
  assert.equal(s.conn.pollAt(), 60_100);
  recvNothing(s, 60_099);
  assert.equal(s.conn.state, 'TIME-WAIT');
  recvNothing(s, 60_100);
  assert.equal(s.conn.state, 'CLOSED');
  assert.equal(s.conn.error, null);
  assert.ok(s.conn.takeEvents() & TcpEvent.CLOSED);
});

test('TIME-WAIT: a retransmitted FIN is ACKed and restarts the 2 MSL timer (RFC 9293 §3.10.7.4)', () => {
  const s = fixture('TIME-WAIT');
  send(s, 30_000, { seq: R + 1, ack: L + 2, flags: 'FA' });
  recv(s, 30_000, { seq: L + 2, ack: R + 2, flags: 'A' });
  assert.equal(s.conn.pollAt(), 90_000);
});

test('TIME-WAIT length is configurable', () => {
  const s = fixture('FIN-WAIT-2', { config: { timeWait: 1000 } });
  send(s, 10, { seq: R + 1, ack: L + 2, flags: 'FA' });
  recv(s, 10, { seq: L + 2, ack: R + 2, flags: 'A' });
  recvNothing(s, 1010);
  assert.equal(s.conn.state, 'CLOSED');
});

test('passive close: CLOSE-WAIT -> end() -> LAST-ACK -> CLOSED on the ACK of our FIN', () => {
  const s = fixture('CLOSE-WAIT');
  s.conn.write(bytes('bye'));
  s.conn.end();
  assert.equal(s.conn.state, 'LAST-ACK');
  recv(s, 1, { seq: L + 1, ack: R + 2, flags: 'FPA', payload: 'bye' });
  send(s, 2, { seq: R + 2, ack: L + 5, flags: 'A' });
  assert.equal(s.conn.state, 'CLOSED');
  assert.equal(s.conn.error, null);
  assert.equal(s.conn.pollAt(), Number.POSITIVE_INFINITY);
});

test('simultaneous close: FIN-WAIT-1 + FIN -> CLOSING -> TIME-WAIT (RFC 9293 figure 13)', () => {
  const s = fixture('FIN-WAIT-1');
  send(s, 5, { seq: R + 1, ack: L + 1, flags: 'FA' });
  assert.equal(s.conn.state, 'CLOSING');
  recv(s, 5, { seq: L + 2, ack: R + 2, flags: 'A' });
  send(s, 6, { seq: R + 2, ack: L + 2, flags: 'A' });
  assert.equal(s.conn.state, 'TIME-WAIT');
});

test('FIN-WAIT-1: a FIN that also acknowledges ours goes straight to TIME-WAIT', () => {
  const s = fixture('FIN-WAIT-1');
  send(s, 5, { seq: R + 1, ack: L + 2, flags: 'FA' });
  assert.equal(s.conn.state, 'TIME-WAIT');
  recv(s, 5, { seq: L + 2, ack: R + 2, flags: 'A' });
});

test('our FIN is retransmitted on RTO (RFC 6298 §5.4)', () => {
  const s = fixture('FIN-WAIT-1');
  recv(s, 200, { seq: L + 1, ack: R + 1, flags: 'FA' });
  recv(s, 600, { seq: L + 1, ack: R + 1, flags: 'FA' });
});

test('CLOSE in SYN-RECEIVED is queued until ESTABLISHED, then the FIN goes (RFC 9293 §3.10.4)', () => {
  const s = fixture('SYN-RECEIVED');
  s.conn.end();
  assert.equal(s.conn.state, 'SYN-RECEIVED');
  send(s, 5, { seq: R + 1, ack: L + 1, flags: 'A' });
  assert.equal(s.conn.state, 'FIN-WAIT-1');
  recv(s, 5, { seq: L + 1, ack: R + 1, flags: 'FA' });
});

test('ABORT sends <SEQ=SND.NXT><CTL=RST> and closes (RFC 9293 §3.10.5)', () => {
  for (const st of ['ESTABLISHED', 'FIN-WAIT-1', 'FIN-WAIT-2', 'CLOSE-WAIT'] as const) {
    const s = fixture(st);
    const nxt = st === 'ESTABLISHED' || st === 'CLOSE-WAIT' ? L + 1 : L + 2;
    const ack = st === 'CLOSE-WAIT' ? R + 2 : R + 1;
    s.conn.abort();
    assert.equal(s.conn.state, 'CLOSED', st);
    assert.equal(s.conn.error?.code, 'aborted');
    recv(s, 1, { seq: nxt, ack, flags: 'RA', window: 0 });
    recvNothing(s, 1000);
  }
});

test('ABORT in SYN-SENT, LAST-ACK, TIME-WAIT sends nothing (RFC 9293 §3.10.5)', () => {
  for (const st of ['SYN-SENT', 'LAST-ACK', 'TIME-WAIT'] as const) {
    const s = fixture(st);
    s.conn.abort();
    assert.equal(s.conn.state, 'CLOSED');
    recvNothing(s, 1);
  }
});

test('RST at RCV.NXT resets the connection in every synchronized state (RFC 9293 §3.10.7.4 second)', () => {
  const cases = [
    ['ESTABLISHED', R + 1, 'reset'],
    ['FIN-WAIT-1', R + 1, 'reset'],
    ['FIN-WAIT-2', R + 1, 'reset'],
    ['CLOSE-WAIT', R + 2, 'reset'],
    ['CLOSING', R + 2, null],
    ['LAST-ACK', R + 2, null],
    ['TIME-WAIT', R + 2, null],
  ] as const;
  for (const [st, seqNo, code] of cases) {
    const s = fixture(st);
    send(s, 5, { seq: seqNo, flags: 'R', window: 0 });
    assert.equal(s.conn.state, 'CLOSED', st);
    assert.equal(s.conn.error?.code ?? null, code, st);
    recvNothing(s, 5);
  }
});

test('a closed connection answers segments with RST (RFC 9293 §3.10.7.1)', () => {
  const s = fixture('CLOSED');
  send(s, 5, { seq: R + 1, ack: L + 1, flags: 'PA', payload: 'late' });
  recv(s, 5, { seq: L + 1, flags: 'R', window: 0 });
  send(s, 6, { seq: R + 9, flags: 'S' });
  recv(s, 6, { seq: 0, ack: R + 10, flags: 'RA', window: 0 });
  send(s, 7, { seq: R + 9, flags: 'R' });
  recvNothing(s, 7);
});
