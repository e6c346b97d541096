// Buffer memory: allocated lazily, grown to what the data needs, given back once the connection can no
// longer use it (so that 1,000 connections lingering in TIME-WAIT or CLOSE-WAIT hold no buffers).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fixture, L, MSS, pattern, poll, R, readAll, send } from './dsl.js';

test('an idle connection holds no buffer memory; buffers grow only as data needs', () => {
  const s = fixture('ESTABLISHED');
  const { sender, receiver } = s.conn.internals();
  assert.equal(sender.buffer.allocated, 0);
  assert.equal(receiver.allocated, 0);
  s.conn.write(pattern(3000));
  assert.ok(sender.buffer.allocated >= 3000 && sender.buffer.allocated <= 8192);
  send(s, 1, { seq: R + 1, ack: L + 1, flags: 'PA', payload: pattern(1000) });
  assert.ok(receiver.allocated >= 1000 && receiver.allocated <= 8192);
});

test('the receive ring is freed once the peer finished and everything was read; the send buffer once our FIN is acked', () => {
  const s = fixture('ESTABLISHED');
  const { sender, receiver } = s.conn.internals();
  send(s, 1, { seq: R + 1, ack: L + 1, flags: 'PA', payload: pattern(MSS) });
  send(s, 2, { seq: R + 1 + MSS, ack: L + 1, flags: 'FA', payload: pattern(100, MSS) });
  assert.equal(s.conn.state, 'CLOSE-WAIT');
  assert.ok(receiver.allocated > 0, 'unread data keeps the ring');
  assert.equal(readAll(s).length, MSS + 100);
  assert.equal(receiver.allocated, 0, 'FIN received and drained: freed');
  s.conn.write(pattern(2000));
  s.conn.end();
  poll(s, 3);
  assert.ok(sender.buffer.allocated > 0);
  send(s, 10, { seq: R + 2 + MSS + 100, ack: L + 1 + 2000 + 1, flags: 'A' });
  assert.equal(s.conn.state, 'CLOSED');
  assert.equal(sender.buffer.allocated, 0);
});

test('in TIME-WAIT unread bytes stay readable; reading them frees the ring', () => {
  const s = fixture('FIN-WAIT-2');
  const { receiver } = s.conn.internals();
  send(s, 5, { seq: R + 1, ack: L + 2, flags: 'FPA', payload: pattern(500) });
  assert.equal(s.conn.state, 'TIME-WAIT');
  assert.ok(receiver.allocated > 0, 'the unread bytes stay readable');
  readAll(s);
  assert.equal(receiver.allocated, 0);
});
