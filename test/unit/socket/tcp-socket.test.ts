import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import type { SocketError } from '../../../src/socket/errors.js';
import type { TcpSocket } from '../../../src/socket/tcp-socket.js';
import { collect, drive, makePair, randomBytes, runFor } from './harness.js';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

test('connect and accept: events, addresses, readyState like net.Socket', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  let accepted: TcpSocket | undefined;
  const server = a.listen({ port: 80 }, (s) => {
    accepted = s;
  });
  let listening = false;
  server.on('listening', () => {
    listening = true;
  });
  const client = b.connect({ host: '10.0.0.1', port: 80 });
  const events: string[] = [];
  client.on('connect', () => events.push('connect'));
  client.on('ready', () => events.push('ready'));
  assert.equal(client.connecting, true);
  assert.equal(client.pending, true); // net.Socket: true until connected
  assert.equal(client.readyState, 'opening');
  await drive(clock, () => events.length === 2 && accepted !== undefined);
  assert.equal(listening, true);
  assert.deepEqual(events, ['connect', 'ready']);
  assert.equal(client.connecting, false);
  assert.equal(client.pending, false);
  assert.equal(client.readyState, 'open');
  assert.equal(client.remoteAddress, '10.0.0.1');
  assert.equal(client.remotePort, 80);
  assert.equal(client.remoteFamily, 'IPv4');
  assert.equal(client.localAddress, '10.0.0.2');
  assert.ok((client.localPort ?? 0) >= 32768 && (client.localPort ?? 0) <= 60999);
  assert.deepEqual(client.address(), { address: '10.0.0.2', family: 'IPv4', port: client.localPort });
  assert.ok(accepted);
  assert.equal(accepted.remoteAddress, '10.0.0.2');
  assert.equal(accepted.remotePort, client.localPort);
  assert.equal(accepted.localPort, 80);
  assert.equal(accepted.tcpState, 'ESTABLISHED');
  assert.deepEqual(server.address(), { address: '::', family: 'IPv6', port: 80 });
});

test('data both ways is byte-exact (300 KB each direction) and counted', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  const up = randomBytes(300_000, 11);
  const down = randomBytes(300_000, 12);
  let serverGot: ReturnType<typeof collect> | undefined;
  a.listen({ port: 7 }, (s) => {
    serverGot = collect(s);
    s.end(down);
  });
  const client = b.connect({ host: '10.0.0.1', port: 7 });
  const clientGot = collect(client);
  client.end(up);
  let closed = false;
  client.on('close', () => {
    closed = true;
  });
  await drive(clock, () => closed && clientGot.ended && serverGot?.ended === true);
  assert.equal(sha(clientGot.bytes()), sha(down));
  assert.equal(sha((serverGot as ReturnType<typeof collect>).bytes()), sha(up));
  assert.equal(client.bytesRead, down.length);
  assert.equal(client.bytesWritten, up.length);
});

test('half-close: the side that ended still receives until the peer ends (allowHalfOpen)', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  let server: TcpSocket | undefined;
  let serverEnded = false;
  a.listen({ port: 9, allowHalfOpen: true }, (s) => {
    server = s;
    s.on('end', () => {
      serverEnded = true;
    });
    s.resume();
  });
  const client = b.connect({ host: '10.0.0.1', port: 9, allowHalfOpen: true });
  const got = collect(client);
  await drive(clock, () => server !== undefined && !client.connecting);
  client.end();
  await drive(clock, () => serverEnded);
  const srv = server as TcpSocket;
  assert.equal(srv.readyState, 'writeOnly');
  assert.equal(srv.tcpState, 'CLOSE-WAIT'); // RFC 9293 §3.10.7.4: FIN received, our side still open
  assert.equal(client.readyState, 'readOnly');
  srv.write('after your FIN ');
  srv.end('still delivered');
  await drive(clock, () => got.ended);
  assert.equal(got.bytes().toString(), 'after your FIN still delivered');
});

test('without allowHalfOpen, the peer FIN ends our side too (net.Socket default)', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  let serverClosed = false;
  a.listen({ port: 9 }, (s) => {
    s.resume();
    s.on('close', () => {
      serverClosed = true;
    });
  });
  const client = b.connect({ host: '10.0.0.1', port: 9 });
  const got = collect(client);
  client.end('bye');
  await drive(clock, () => serverClosed && got.ended);
  assert.equal(got.bytes().length, 0);
});

test('RST in answer to the SYN: ECONNREFUSED with syscall/address/port (RFC 9293 §3.10.7.3)', async (t) => {
  const { clock, b, close } = makePair();
  t.after(close);
  const client = b.connect({ host: '10.0.0.1', port: 81 });
  let error: SocketError | undefined;
  client.on('error', (e: SocketError) => {
    error = e;
  });
  await drive(clock, () => error !== undefined);
  assert.equal(error?.code, 'ECONNREFUSED');
  assert.equal(error?.syscall, 'connect');
  assert.equal(error?.address, '10.0.0.1');
  assert.equal(error?.port, 81);
  assert.equal(error?.message, 'connect ECONNREFUSED 10.0.0.1:81');
  assert.equal(client.destroyed, true);
});

test('a stack answers a segment for no connection with RST (RFC 9293 §3.10.7.1) and counts it', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  const client = b.connect({ host: '10.0.0.1', port: 4444 });
  client.on('error', () => {});
  await drive(clock, () => client.destroyed);
  assert.equal(a.stats().rstsSent, 1);
  assert.equal(a.stats().connections, 0);
  assert.equal(b.stats().connections, 0);
});

test('peer reset on an established connection: ECONNRESET', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  a.listen({ port: 80 }, (s) => {
    s.resetAndDestroy();
  });
  const client = b.connect({ host: '10.0.0.1', port: 80 });
  let error: SocketError | undefined;
  client.on('error', (e: SocketError) => {
    error = e;
  });
  await drive(clock, () => error !== undefined);
  assert.equal(error?.code, 'ECONNRESET');
  assert.equal(error?.errno, -104);
});

test('backpressure: a reader that stops closes the window to zero, then resumes', async (t) => {
  const rcvBuf = 64 * 1024;
  let clientWindow = -1; // the window field of the client's latest segment on the wire
  const { clock, a, b, close } = makePair(
    {
      filter: (seg, from) => {
        if (from === 'b') clientWindow = seg.window;
        return true;
      },
    },
    { tcpConfig: { receiveBufferSize: rcvBuf, sendBufferSize: 64 * 1024 } },
  );
  t.after(close);
  const payload = randomBytes(1_000_000, 21);
  let server: TcpSocket | undefined;
  a.listen({ port: 80 }, (s) => {
    server = s;
    s.end(payload);
  });
  const client = b.connect({ host: '10.0.0.1', port: 80 });
  client.pause();
  await drive(clock, () => server !== undefined);
  await runFor(clock, 30_000); // nobody reads for 30 s
  const srv = server as TcpSocket;
  // Bounded: the client's stream holds its highWaterMark, TCP holds at most the receive buffer;
  // everything else waits on the sender (engine send buffer + the stream's own buffer).
  const clientStats = client.tcpStats();
  assert.ok(clientStats);
  assert.equal(clientWindow, 0, 'the window on the wire is zero while the app does not read');
  assert.ok(clientStats.rcvWnd < clientStats.mss, `rcvWnd ${clientStats.rcvWnd}`);
  assert.ok(client.bytesRead <= client.readableHighWaterMark + rcvBuf, `read ${client.bytesRead}`);
  assert.ok(srv.writableLength > 0, 'the sender is held back');
  assert.ok(
    (srv.tcpStats()?.zeroWindowProbes ?? 0) > 0,
    'the sender probes the zero window (RFC 9293 §3.8.6.1)',
  );
  const got = collect(client);
  client.resume();
  await drive(clock, () => got.ended);
  assert.equal(sha(got.bytes()), sha(payload));
});

test('setTimeout emits timeout after the idle period on the stack clock, and again only after activity', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  let server: TcpSocket | undefined;
  a.listen({ port: 80 }, (s) => {
    server = s;
    s.resume();
  });
  const client = b.connect({ host: '10.0.0.1', port: 80 });
  await drive(clock, () => server !== undefined && !client.connecting);
  const timeouts: number[] = [];
  const start = clock.now();
  client.setTimeout(5000, () => timeouts.push(clock.now() - start));
  client.on('timeout', () => timeouts.push(-1));
  await drive(clock, () => timeouts.length >= 2);
  assert.deepEqual(timeouts, [5000, -1]);
  assert.equal(client.timeout, 5000);
  await runFor(clock, 20_000);
  assert.equal(timeouts.length, 2, 'no new timeout without activity');
  client.write('x');
  const t2 = clock.now();
  await drive(clock, () => timeouts.length >= 3);
  assert.equal(clock.now() - t2, 5000);
});

test('destroy() with nothing unread closes with FIN; the stack finishes the close and frees the port', async (t) => {
  const { clock, a, b, close } = makePair({}, { tcpConfig: { timeWait: 2000 } });
  t.after(close);
  let serverEnded = false;
  a.listen({ port: 80 }, (s) => {
    s.resume();
    s.on('end', () => {
      serverEnded = true;
    });
  });
  const client = b.connect({ host: '10.0.0.1', port: 80 });
  await drive(clock, () => !client.connecting);
  client.destroy();
  await drive(clock, () => serverEnded);
  await drive(clock, () => a.stats().connections === 0 && b.stats().connections === 0);
});
