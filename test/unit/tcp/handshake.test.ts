// Opening the connection: RFC 9293 §3.5, §3.10.7.2-3; Linux defaults where packetdrill checks them.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TcpConnection, TcpEvent } from '../../../src/tcp/connection.js';
import {
  connecting,
  fixture,
  L,
  LOCAL_PORT,
  MSS,
  poll,
  R,
  REMOTE_PORT,
  recv,
  recvNothing,
  seg,
  send,
  WIN,
} from './dsl.js';

const SYN_OPTS = { mss: MSS, sackPermitted: true, wscale: 7 };

test('active open sends a SYN with MSS, SACK-permitted and window scale (RFC 9293 §3.5, RFC 7323 §2, RFC 2018 §2)', () => {
  const s = connecting();
  assert.equal(s.conn.state, 'SYN-SENT');
  recv(s, 0, { seq: L, flags: 'S', window: WIN, options: SYN_OPTS });
  recvNothing(s, 500);
});

test('SYN-ACK acknowledging our SYN: ESTABLISHED and an ACK (RFC 9293 §3.10.7.3)', () => {
  const s = fixture('SYN-SENT');
  send(s, 10, { seq: R, ack: L + 1, flags: 'SA', options: { mss: 1400, sackPermitted: true } });
  assert.equal(s.conn.state, 'ESTABLISHED');
  assert.equal(s.conn.takeEvents() & TcpEvent.CONNECTED, TcpEvent.CONNECTED);
  recv(s, 10, { seq: L + 1, ack: R + 1, flags: 'A' });
  assert.equal(s.conn.stats().mss, 1400, 'the send MSS is the smaller of the two (RFC 9293 §3.7.1)');
  assert.equal(s.conn.stats().srtt, 10, 'the handshake gives the first RTT sample (RFC 6298 §2.2)');
});

test('SYN retransmissions follow Linux: 1 s initial RTO doubling, 6 retries, give up after 127 s', () => {
  const s = connecting();
  recv(s, 0, { seq: L, flags: 'S', window: WIN, options: SYN_OPTS });
  const times = [1000, 3000, 7000, 15000, 31000, 63000];
  for (const t of times) {
    recvNothing(s, t - 1);
    assert.equal(s.conn.pollAt(), t);
    recv(s, t, { seq: L, flags: 'S', window: WIN, options: SYN_OPTS });
  }
  recvNothing(s, 126_999);
  assert.equal(s.conn.pollAt(), 127_000);
  recvNothing(s, 127_000);
  assert.equal(s.conn.state, 'CLOSED');
  assert.equal(s.conn.error?.code, 'timeout');
  assert.equal(
    s.conn.takeEvents() & (TcpEvent.CLOSED | TcpEvent.TIMEOUT),
    TcpEvent.CLOSED | TcpEvent.TIMEOUT,
  );
});

test('RST acknowledging our SYN in SYN-SENT: connection refused (RFC 9293 §3.10.7.3 second check)', () => {
  const s = fixture('SYN-SENT');
  send(s, 5, { seq: 0, ack: L + 1, flags: 'RA', window: 0 });
  assert.equal(s.conn.state, 'CLOSED');
  assert.equal(s.conn.error?.code, 'refused');
  assert.ok(s.conn.takeEvents() & TcpEvent.RESET);
  recvNothing(s, 5);
});

test('RST without an acceptable ACK in SYN-SENT is dropped (RFC 9293 §3.10.7.3, RFC 5961 §3.2)', () => {
  const s = fixture('SYN-SENT');
  send(s, 5, { seq: 0, ack: L + 7, flags: 'RA', window: 0 });
  send(s, 5, { seq: 0, flags: 'R', window: 0 });
  assert.equal(s.conn.state, 'SYN-SENT');
  recvNothing(s, 5);
});

test('unacceptable ACK in SYN-SENT gets <SEQ=SEG.ACK><CTL=RST> (RFC 9293 §3.10.7.3 first check)', () => {
  const s = fixture('SYN-SENT');
  send(s, 5, { seq: R, ack: L + 100, flags: 'SA' });
  assert.equal(s.conn.state, 'SYN-SENT');
  recv(s, 5, { seq: L + 100, flags: 'R', window: 0 });
  send(s, 6, { seq: R, ack: L, flags: 'A' }); // SEG.ACK =< ISS
  recv(s, 6, { seq: L, flags: 'R', window: 0 });
});

test('segment without SYN or RST in SYN-SENT is dropped (RFC 9293 §3.10.7.3 fifth)', () => {
  const s = fixture('SYN-SENT');
  send(s, 5, { seq: R, flags: 'P', payload: 'x' });
  recvNothing(s, 5);
  assert.equal(s.conn.state, 'SYN-SENT');
});

test('close in SYN-SENT deletes the connection without sending anything (RFC 9293 §3.10.4)', () => {
  const s = fixture('SYN-SENT');
  s.conn.end();
  assert.equal(s.conn.state, 'CLOSED');
  assert.equal(s.conn.error, null);
  recvNothing(s, 1000);
  assert.equal(s.conn.pollAt(), Number.POSITIVE_INFINITY);
});

test('passive open answers the SYN with a SYN-ACK carrying only the options the peer offered (RFC 7323 §2.2, RFC 2018 §2)', () => {
  const syn = seg({ seq: R, flags: 'S', options: { mss: 1200, sackPermitted: true } });
  const conn = TcpConnection.accept(
    {
      localPort: LOCAL_PORT,
      remotePort: REMOTE_PORT,
      isn: L,
      now: 0,
      mss: MSS,
      config: { timestamps: false },
    },
    syn,
  );
  const s = { conn, now: 0 };
  assert.equal(conn.state, 'SYN-RECEIVED');
  recv(s, 0, { seq: L, ack: R + 1, flags: 'SA', options: { mss: MSS, sackPermitted: true } });
  send(s, 3, { seq: R + 1, ack: L + 1, flags: 'A' });
  assert.equal(conn.state, 'ESTABLISHED');
  assert.equal(conn.stats().mss, 1200);
  assert.ok(conn.takeEvents() & TcpEvent.CONNECTED);
});

test('SYN-RECEIVED: data on the completing ACK is delivered', () => {
  const s = fixture('SYN-RECEIVED');
  send(s, 3, { seq: R + 1, ack: L + 1, flags: 'PA', payload: 'GET /' });
  assert.equal(s.conn.state, 'ESTABLISHED');
  assert.equal(s.conn.readableLength(), 5);
});

test('SYN-RECEIVED: an unacceptable ACK gets <SEQ=SEG.ACK><CTL=RST> (RFC 9293 §3.10.7.4 fifth)', () => {
  const s = fixture('SYN-RECEIVED');
  send(s, 3, { seq: R + 1, ack: L + 5, flags: 'A' });
  assert.equal(s.conn.state, 'SYN-RECEIVED');
  recv(s, 3, { seq: L + 5, flags: 'R', window: 0 });
});

test('SYN-RECEIVED: a retransmitted SYN gets the SYN-ACK again (Linux)', () => {
  const s = fixture('SYN-RECEIVED');
  send(s, 300, { seq: R, flags: 'S', options: { mss: MSS, sackPermitted: true } });
  recv(s, 300, { seq: L, ack: R + 1, flags: 'SA', options: { mss: MSS, sackPermitted: true } });
});

test('SYN-ACK retransmissions: 1 s doubling, 5 retries (Linux tcp_synack_retries)', () => {
  const s = fixture('SYN-RECEIVED');
  for (const t of [1000, 3000, 7000, 15000, 31000]) {
    recvNothing(s, t - 1);
    recv(s, t, { seq: L, ack: R + 1, flags: 'SA', options: { mss: MSS, sackPermitted: true } });
  }
  recvNothing(s, 63_000);
  assert.equal(s.conn.state, 'CLOSED');
  assert.equal(s.conn.error?.code, 'timeout');
});

test('RST in SYN-RECEIVED (passive) closes the embryonic connection (RFC 9293 §3.10.7.4 second)', () => {
  const s = fixture('SYN-RECEIVED');
  send(s, 3, { seq: R + 1, flags: 'R', window: 0 });
  assert.equal(s.conn.state, 'CLOSED');
  recvNothing(s, 3);
});

test('simultaneous open: SYN in SYN-SENT -> SYN-RECEIVED, SYN-ACK with the same ISS, then ESTABLISHED (RFC 9293 figure 8)', () => {
  const s = fixture('SYN-SENT');
  send(s, 10, { seq: R, flags: 'S', options: { mss: MSS, sackPermitted: true } });
  assert.equal(s.conn.state, 'SYN-RECEIVED');
  recv(s, 10, { seq: L, ack: R + 1, flags: 'SA', options: { mss: MSS, sackPermitted: true } });
  send(s, 11, { seq: R, ack: L + 1, flags: 'SA', options: { mss: MSS, sackPermitted: true } });
  assert.equal(s.conn.state, 'ESTABLISHED');
  recvNothing(s, 11);
});

test('without an MSS option the peer MSS is 536 (RFC 9293 §3.7.1)', () => {
  const s = fixture('ESTABLISHED', { peerSynOptions: {} });
  assert.equal(s.conn.stats().mss, 536);
  assert.equal(s.conn.options?.sack, false);
});

test('our MSS clamps a larger peer MSS (the path MTU bound)', () => {
  const s = fixture('ESTABLISHED', { mss: 1200, peerSynOptions: { mss: 9000 } });
  assert.equal(s.conn.stats().mss, 1200);
});

test('timestamps: negotiated only when both SYNs carry them; the MSS leaves room for the option (RFC 7323 §3.2)', () => {
  const s = connecting({ config: { timestamps: true } });
  recv(s, 0, { seq: L, flags: 'S', options: { ...SYN_OPTS, timestamp: { value: 0, echo: 0 } } });
  send(s, 20, {
    seq: R,
    ack: L + 1,
    flags: 'SA',
    options: { mss: MSS, sackPermitted: true, timestamp: { value: 777, echo: 0 } },
  });
  recv(s, 20, { seq: L + 1, ack: R + 1, flags: 'A', options: { timestamp: { value: 20, echo: 777 } } });
  assert.equal(s.conn.stats().mss, MSS - 12);
  assert.equal(s.conn.options?.timestamps, true);
  const t = connecting({ config: { timestamps: true } });
  poll(t, 0);
  send(t, 20, { seq: R, ack: L + 1, flags: 'SA', options: { mss: MSS } });
  recv(t, 20, { seq: L + 1, ack: R + 1, flags: 'A' });
  assert.equal(t.conn.options?.timestamps, false);
});

test('window scaling: used only when both sides sent the option; windows in SYNs are never scaled (RFC 7323 §2.2)', () => {
  const s = fixture('ESTABLISHED', { peerSynOptions: { mss: MSS, wscale: 2 }, peerWindow: 1000 });
  assert.equal(s.conn.stats().sndWnd, 1000, 'SYN-ACK window taken unscaled');
  send(s, 1, { seq: R + 1, ack: L + 1, flags: 'A', window: 1000 });
  assert.equal(s.conn.stats().sndWnd, 4000);
  // Our window is scaled by 7 from now on: 6 MB buffer >> 7.
  send(s, 2, { seq: R + 1, ack: L + 1, flags: 'PA', payload: 'x' });
  const [ack] = poll(s, 2);
  assert.equal(ack.window, Math.floor((6 * 1024 * 1024 - 1) / 128));
});

test('a window scale above 14 is used as 14 (RFC 7323 §2.3)', () => {
  const s = fixture('ESTABLISHED', { peerSynOptions: { mss: MSS, wscale: 20 } });
  assert.equal(s.conn.options?.sndWscale, 14);
});
