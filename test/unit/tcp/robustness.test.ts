// Bounded memory and hostile input: reassembly abuse, idle connections, garbage overlaps.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TcpConnection } from '../../../src/tcp/connection.js';
import { bytes, fixture, L, LOCAL_PORT, MSS, poll, R, REMOTE_PORT, readAll, send } from './dsl.js';

test('an idle connection allocates no buffers (1,000 connections per process)', () => {
  const s = fixture('ESTABLISHED');
  const { sender, receiver } = s.conn.internals();
  assert.equal(sender.buffer.allocated, 0);
  assert.equal(receiver.allocated, 0);
});

test('reassembly abuse: thousands of 1-byte holes stay within the range bound and the window', () => {
  const s = fixture('ESTABLISHED', { config: { maxOooSegments: 256, receiveBufferSize: 65535 } });
  for (let i = 0; i < 5000; i++) {
    send(s, 1, { seq: R + 2 + 2 * i, ack: L + 1, flags: 'A', payload: 'x' });
  }
  const { receiver } = s.conn.internals();
  assert.ok(receiver.oooRanges <= 256, `${receiver.oooRanges} ranges`);
  assert.ok(receiver.allocated <= 65535 + (1 << 14) + 65536);
  poll(s, 1);
  // The legitimate data still gets through.
  const body = new Uint8Array(600).fill(0x41);
  send(s, 2, { seq: R + 1, ack: L + 1, flags: 'A', payload: body });
  assert.ok(s.conn.readableLength() >= 600);
});

test('overlapping garbage cannot replace data already received (first copy wins)', () => {
  const s = fixture('ESTABLISHED');
  send(s, 1, { seq: R + 3, ack: L + 1, flags: 'A', payload: 'CDEF' });
  send(s, 1, { seq: R + 2, ack: L + 1, flags: 'A', payload: 'xxxxxxxx' });
  send(s, 1, { seq: R + 1, ack: L + 1, flags: 'A', payload: 'A' });
  assert.equal(readAll(s), 'AxCDEFxxx');
});

test('a flood of segments far outside the window is counted and dropped, answered at most once per 500 ms', () => {
  const s = fixture('ESTABLISHED');
  let acks = 0;
  for (let i = 0; i < 1000; i++) {
    s.conn.onSegment(i, { ...mk(), seq: (R + 10_000_000 + i) >>> 0 });
    s.conn.poll(i, () => acks++);
  }
  assert.equal(s.conn.stats().outOfWindowDrops, 1000);
  assert.equal(acks, 2);
  function mk() {
    return {
      srcPort: REMOTE_PORT,
      dstPort: LOCAL_PORT,
      seq: 0,
      ack: L + 1,
      flags: 16,
      window: 1000,
      urgent: 0,
      options: {},
      payload: new Uint8Array(0),
    };
  }
});

test('the send buffer is bounded: write() takes only what fits', () => {
  const s = fixture('ESTABLISHED', { config: { sendBufferSize: 10_000 } });
  assert.equal(s.conn.writableLength(), 10_000);
  assert.equal(s.conn.write(new Uint8Array(25_000)), 10_000);
  assert.equal(s.conn.writableLength(), 0);
  assert.equal(s.conn.write(bytes('more')), 0);
});

test('TIME-WAIT accepts a new SYN above RCV.NXT (RFC 6191 / Linux), not an old one', () => {
  const s = fixture('TIME-WAIT');
  const syn = (sq: number) => ({
    srcPort: REMOTE_PORT,
    dstPort: LOCAL_PORT,
    seq: sq,
    ack: 0,
    flags: 2,
    window: 65535,
    urgent: 0,
    options: {},
    payload: new Uint8Array(0),
  });
  assert.equal(s.conn.timeWaitAcceptsSyn(syn(R + 100_000)), true);
  assert.equal(s.conn.timeWaitAcceptsSyn(syn(R - 5)), false);
  assert.equal(fixture('ESTABLISHED').conn.timeWaitAcceptsSyn(syn(R + 100_000)), false);
});

test('accept() refuses a segment that is not a bare SYN', () => {
  assert.throws(() =>
    TcpConnection.accept(
      { localPort: LOCAL_PORT, remotePort: REMOTE_PORT, isn: L, now: 0, mss: MSS },
      {
        srcPort: REMOTE_PORT,
        dstPort: LOCAL_PORT,
        seq: R,
        ack: 1,
        flags: 2 | 16,
        window: 1,
        urgent: 0,
        options: {},
        payload: new Uint8Array(0),
      },
    ),
  );
});
