// Linux behaviour that packetdrill's client-side scripts check, translated into our script runner.
// (Times in seconds; sequence numbers relative; our side is the local end, like packetdrill's socket.)
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runScript } from './packetdrill.js';

test('connect: SYN options, SYN-ACK, ACK, data, ACK (packetdrill tcp/connect basic)', () => {
  runScript(`
    0     connect()
    0     > S 0:0(0) win 65535 <mss 1460,sackOK,wscale 7>
    +.1   < S. 0:0(0) ack 1 win 5792 <mss 1460,sackOK,nop,wscale 2>
    +0    > . 1:1(0) ack 1 win 49152
    +0    state ESTABLISHED
    +0    write(2000)
    +0    > . 1:1461(1460) ack 1
    +0    > P. 1461:2001(540) ack 1
    +.1   < . 1:1(0) ack 2001 win 257
    +0    close()
    +0    > F. 2001:2001(0) ack 1
    +.1   < F. 1:1(0) ack 2002 win 257
    +0    > . 2002:2002(0) ack 2
    +0    state TIME-WAIT
  `);
});

test('SYN retransmits at 1, 3, 7, 15, 31, 63 s and the connect fails at 127 s (tcp_syn_retries=6)', () => {
  runScript(`
    0     connect()
    0     > S 0:0(0) <mss 1460,sackOK,wscale 7>
    1     > S 0:0(0) <mss 1460,sackOK,wscale 7>
    3     > S 0:0(0) <mss 1460,sackOK,wscale 7>
    7     > S 0:0(0) <mss 1460,sackOK,wscale 7>
    15    > S 0:0(0) <mss 1460,sackOK,wscale 7>
    31    > S 0:0(0) <mss 1460,sackOK,wscale 7>
    63    > S 0:0(0) <mss 1460,sackOK,wscale 7>
    126.9 state SYN-SENT
    127   state CLOSED
    +0    error timeout
  `);
});

test('SYN retries are configurable (tcp_syn_retries=2: give up at 7 s)', () => {
  runScript(
    `
    0  connect()
    0  > S 0:0(0)
    1  > S 0:0(0)
    3  > S 0:0(0)
    7  state CLOSED
  `,
    { config: { synRetries: 2 } },
  );
});

test('RST|ACK for our SYN: connection refused (packetdrill connect-refused)', () => {
  runScript(`
    0     connect()
    0     > S 0:0(0)
    +.05  < R. 0:0(0) ack 1 win 0
    +0    state CLOSED
    +0    error refused
  `);
});

test('a SYN-ACK after the application closed in SYN-SENT gets a RST (the connection is gone)', () => {
  runScript(`
    0     connect()
    0     > S 0:0(0)
    +.01  close()
    +0    state CLOSED
    +.1   < S. 0:0(0) ack 1 win 5792 <mss 1460>
    +0    > R 1:1(0)
  `);
});

test('the peer MSS limits our segments; our SYN carries the MSS from our MTU (packetdrill mss tests)', () => {
  runScript(
    `
    0     connect()
    0     > S 0:0(0) <mss 1200,sackOK,wscale 7>
    +.1   < S. 0:0(0) ack 1 win 65535 <mss 1000>
    +0    > . 1:1(0) ack 1
    +0    write(2500)
    +0    > . 1:1001(1000) ack 1
    +0    > . 1001:2001(1000) ack 1
    +0    > P. 2001:2501(500) ack 1
  `,
    { mss: 1200 },
  );
});

test('Nagle: small writes coalesce while a small segment is unacknowledged; TCP_NODELAY sends at once', () => {
  runScript(`
    0     connect()
    0     > S 0:0(0)
    +.1   < S. 0:0(0) ack 1 win 65535 <mss 1460>
    +0    > . 1:1(0) ack 1
    +0    write(10)
    +0    > P. 1:11(10) ack 1
    +.01  write(10)
    +.01  write(10)
    +.08  < . 1:1(0) ack 11 win 65535
    +0    > P. 11:31(20) ack 1
    +.1   < . 1:1(0) ack 31 win 65535
    +0    setNoDelay()
    +0    write(5)
    +0    > P. 31:36(5) ack 1
    +.01  write(5)
    +0    > P. 36:41(5) ack 1
  `);
});

test('delayed ACK after the quick-ACK phase: one segment waits 40 ms, two are ACKed at once', () => {
  runScript(
    `
    0     connect()
    0     > S 0:0(0)
    +.1   < S. 0:0(0) ack 1 win 65535 <mss 1460>
    +0    > . 1:1(0) ack 1
    +.1   < P. 1:101(100) ack 1 win 65535
    +.04  > . 1:1(0) ack 101
    +.1   < . 101:1561(1460) ack 1 win 65535
    +.001 < . 1561:3021(1460) ack 1 win 65535
    +0    > . 1:1(0) ack 3021
  `,
    { config: { quickAcks: 0 } },
  );
});

test('RTO backoff for a data segment: 200 ms minimum, doubling (RFC 6298, Linux TCP_RTO_MIN)', () => {
  runScript(`
    0     connect()
    0     > S 0:0(0)
    +.01  < S. 0:0(0) ack 1 win 65535 <mss 1460>
    +0    > . 1:1(0) ack 1
    +0    write(100)
    +0    > P. 1:101(100) ack 1
    +.2   > P. 1:101(100) ack 1
    +.4   > P. 1:101(100) ack 1
    +.8   > P. 1:101(100) ack 1
    +.1   < . 1:1(0) ack 101 win 65535
  `);
});

test('SACK-based fast retransmit: three SACKing duplicate ACKs trigger the retransmission of the hole', () => {
  runScript(`
    0     connect()
    0     > S 0:0(0)
    +.01  < S. 0:0(0) ack 1 win 65535 <mss 1000,sackOK>
    +0    > . 1:1(0) ack 1
    +0    write(5000)
    +0    > . 1:1001(1000) ack 1
    +0    > . 1001:2001(1000) ack 1
    +0    > . 2001:3001(1000) ack 1
    +0    > . 3001:4001(1000) ack 1
    +0    > P. 4001:5001(1000) ack 1
    +.01  < . 1:1(0) ack 1 win 65535 <sack 1001:2001>
    +0    < . 1:1(0) ack 1 win 65535 <sack 1001:3001>
    +0    < . 1:1(0) ack 1 win 65535 <sack 1001:4001>
    +0    > . 1:1001(1000) ack 1
    +.01  < . 1:1(0) ack 5001 win 65535
  `);
});

test('passive open: SYN, SYN-ACK echoing the offered options, ACK, request, response, FIN from the peer', () => {
  const conn = runScript(`
    0     < S 0:0(0) win 65535 <mss 1460,sackOK,nop,wscale 8>
    0     > S. 0:0(0) ack 1 win 65535 <mss 1460,sackOK,wscale 7>
    +.01  < . 1:1(0) ack 1 win 512
    +0    state ESTABLISHED
    +.01  < P. 1:51(50) ack 1 win 512
    +0    > . 1:1(0) ack 51
    +0    read(50)
    +0    write(100)
    +0    > P. 1:101(100) ack 51
    +.01  < F. 51:51(0) ack 101 win 512
    +0    > . 101:101(0) ack 52
    +0    state CLOSE-WAIT
    +0    close()
    +0    > F. 101:101(0) ack 52
    +.01  < . 52:52(0) ack 102 win 512
    +0    state CLOSED
  `);
  assert.equal(conn.stats().sndWnd, 512 * 256, 'window scaled by the peer shift 8');
});
