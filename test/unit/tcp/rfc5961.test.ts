// Robustness against blind in-window attacks, RFC 5961; PAWS, RFC 7323 §5.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rstForUnmatched } from '../../../src/tcp/rst.js';
import { fixture, L, R, recv, recvNothing, seg, send, WIN } from './dsl.js';

test('RST in the window but not at RCV.NXT: challenge ACK, connection kept (RFC 5961 §3.2)', () => {
  const s = fixture('ESTABLISHED');
  send(s, 5, { seq: R + 100, flags: 'R', window: 0 });
  assert.equal(s.conn.state, 'ESTABLISHED');
  recv(s, 5, { seq: L + 1, ack: R + 1, flags: 'A' });
  assert.equal(s.conn.stats().challengeAcks, 1);
});

test('RST outside the window is dropped silently (RFC 5961 §3.2)', () => {
  const s = fixture('ESTABLISHED');
  send(s, 5, { seq: R + 1 + WIN + 10, flags: 'R', window: 0 });
  send(s, 5, { seq: R - 10, flags: 'R', window: 0 });
  assert.equal(s.conn.state, 'ESTABLISHED');
  recvNothing(s, 5);
});

test('SYN in a synchronized state: challenge ACK whatever the sequence number (RFC 5961 §4.2)', () => {
  for (const st of ['ESTABLISHED', 'FIN-WAIT-2', 'CLOSE-WAIT'] as const) {
    const s = fixture(st);
    const rn = st === 'CLOSE-WAIT' ? R + 2 : R + 1;
    const sn = st === 'FIN-WAIT-2' ? L + 2 : L + 1;
    send(s, 5, { seq: rn + 5, flags: 'S' });
    assert.equal(s.conn.state, st);
    recv(s, 5, { seq: sn, ack: rn, flags: 'A' });
  }
});

test('challenge ACKs are rate-limited (RFC 5961 §7; Linux one per 500 ms per socket)', () => {
  const s = fixture('ESTABLISHED');
  for (let i = 0; i < 50; i++) send(s, 5 + i, { seq: R + 100 + i, flags: 'R', window: 0 });
  recv(s, 60, { seq: L + 1, ack: R + 1, flags: 'A' });
  send(s, 600, { seq: R + 100, flags: 'R', window: 0 });
  recv(s, 600, { seq: L + 1, ack: R + 1, flags: 'A' });
  assert.equal(s.conn.stats().challengeAcks, 2);
});

test('RFC 5961 checks can be turned off: any in-window RST resets (RFC 9293)', () => {
  const s = fixture('ESTABLISHED', { config: { rfc5961: false } });
  send(s, 5, { seq: R + 100, flags: 'R', window: 0 });
  assert.equal(s.conn.state, 'CLOSED');
});

test('ACK for data never sent: ACK back and drop (RFC 9293 §3.10.7.4, RFC 5961 §5.2)', () => {
  const s = fixture('ESTABLISHED');
  send(s, 5, { seq: R + 1, ack: L + 1000, flags: 'PA', payload: 'evil' });
  assert.equal(s.conn.readableLength(), 0, 'the text of an unacceptable ACK is dropped');
  recv(s, 5, { seq: L + 1, ack: R + 1, flags: 'A' });
});

test('ACK older than SND.UNA - MAX.SND.WND: challenge ACK and drop (RFC 5961 §5.2)', () => {
  const s = fixture('ESTABLISHED');
  send(s, 5, { seq: R + 1, ack: (L - 200_000) >>> 0, flags: 'PA', payload: 'evil' });
  assert.equal(s.conn.readableLength(), 0);
  assert.equal(s.conn.stats().badAckDrops, 1);
  recv(s, 5, { seq: L + 1, ack: R + 1, flags: 'A' });
});

test('an old duplicate ACK within MAX.SND.WND is ignored but its text is taken (RFC 9293 §3.10.7.4)', () => {
  const s = fixture('ESTABLISHED');
  send(s, 5, { seq: R + 1, ack: L - 5, flags: 'PA', payload: 'ok' });
  assert.equal(s.conn.readableLength(), 2);
});

test('blind data outside the window is not accepted; an ACK tells the real sequence numbers', () => {
  const s = fixture('ESTABLISHED');
  send(s, 5, { seq: R + 1 + 1_000_000, ack: L + 1, flags: 'PA', payload: 'inject' });
  assert.equal(s.conn.readableLength(), 0);
  recv(s, 5, { seq: L + 1, ack: R + 1, flags: 'A' });
});

test('PAWS: a segment with an older TSval is dropped and ACKed (RFC 7323 §5.3)', () => {
  const ts = (value: number, echo = 0) => ({ timestamp: { value, echo } });
  const s = fixture('ESTABLISHED', {
    config: { timestamps: true },
    peerSynOptions: { mss: 1460, sackPermitted: true, ...ts(1000) },
  });
  send(s, 5, { seq: R + 1, ack: L + 1, flags: 'PA', payload: 'new', options: ts(1005) });
  recv(s, 5, { seq: L + 1, ack: R + 4, flags: 'A', options: ts(5, 1005) });
  // An old duplicate from a previous wrap: TSval 900 < TS.Recent 1005.
  send(s, 600, { seq: R + 4, ack: L + 1, flags: 'PA', payload: 'old', options: ts(900) });
  assert.equal(s.conn.readableLength(), 3);
  assert.equal(s.conn.stats().pawsDrops, 1);
  recv(s, 600, { seq: L + 1, ack: R + 4, flags: 'A', options: ts(600, 1005) });
});

test('PAWS does not apply to RST segments (RFC 7323 §5.3)', () => {
  const ts = { timestamp: { value: 1000, echo: 0 } };
  const s = fixture('ESTABLISHED', { config: { timestamps: true }, peerSynOptions: { mss: 1460, ...ts } });
  send(s, 5, { seq: R + 1, flags: 'R', window: 0, options: { timestamp: { value: 1, echo: 0 } } });
  assert.equal(s.conn.state, 'CLOSED');
});

test('rstForUnmatched: the RST for a segment that matches no connection (RFC 9293 §3.10.7.1)', () => {
  const withAck = rstForUnmatched(seg({ seq: 7, ack: 1234, flags: 'A' }));
  assert.equal(withAck?.seq, 1234);
  assert.equal(withAck?.flags, 4);
  const syn = rstForUnmatched(seg({ seq: 0xffffffff, flags: 'S' }));
  assert.equal(syn?.seq, 0);
  assert.equal(syn?.ack, 0, 'SEG.SEQ + SEG.LEN wraps');
  assert.equal(syn?.flags, 4 | 16);
  const data = rstForUnmatched(seg({ seq: 10, flags: 'P', payload: 'abc' }));
  assert.equal(data?.ack, 13);
  assert.equal(rstForUnmatched(seg({ seq: 1, flags: 'R' })), null);
});

test('a PAWS-rejected segment straddling RCV.NXT contributes no data (RFC 7323 §5.3)', () => {
  const ts = (value: number) => ({ timestamp: { value, echo: 0 } });
  const s = fixture('ESTABLISHED', {
    config: { timestamps: true },
    peerSynOptions: { mss: 1460, sackPermitted: true, ...ts(1000) },
  });
  send(s, 5, { seq: R + 1, ack: L + 1, flags: 'PA', payload: 'abc', options: ts(1005) });
  send(s, 6, { seq: R + 2, ack: L + 1, flags: 'PA', payload: 'bcXYZ', options: ts(900) });
  assert.equal(s.conn.readableLength(), 3);
  assert.equal(s.conn.stats().pawsDrops, 1);
});
