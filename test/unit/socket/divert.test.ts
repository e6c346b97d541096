// TcpSocket.divert: received bytes go to a sink as views instead of Buffers pushed to the stream.
// Once the stream's buffer is drained, new bytes go from the arriving segment straight to the sink
// (Receiver.directReader), never through the receive ring. Every byte arrives once, in order,
// whichever path it takes; a short take or a throwing sink gives the bytes back to the stream.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TcpSocket } from '../../../src/socket/tcp-socket.js';
import type { TcpConnection } from '../../../src/tcp/connection.js';
import { drive, makePair, randomBytes } from './harness.js';

const connOf = (s: TcpSocket) => (s as unknown as { entry: { conn: TcpConnection } }).entry.conn;

/** b connects to a's port 80; a sends `body` in 10 KB writes and closes. */
function serve(body: Uint8Array) {
  const pair = makePair();
  pair.a.listen({ port: 80 }, (s) => {
    for (let at = 0; at < body.length; at += 10_000) s.write(body.subarray(at, at + 10_000));
    s.end();
  });
  const client = pair.b.connect({ host: '10.0.0.1', port: 80 });
  return { ...pair, client };
}

test('diverted bytes reach the sink once and in order, most of them straight from the segment', async (t) => {
  const body = randomBytes(400_000, 21);
  const { clock, client, close } = serve(body);
  t.after(close);
  const pushed: Buffer[] = [];
  const sunk: Buffer[] = [];
  let direct = 0;
  let ended = false;
  client.once('data', (chunk: Buffer) => {
    pushed.push(chunk);
    client.divert((view) => {
      // Nothing buffered in the engine while the sink runs: the bytes came from the segment.
      if (connOf(client).readableLength() === 0) direct += view.length;
      sunk.push(Buffer.from(view));
      return view.length;
    });
  });
  client.on('end', () => {
    ended = true;
  });
  client.resume();
  await drive(clock, () => Buffer.concat([...pushed, ...sunk]).length === body.length);
  assert.ok(Buffer.concat([...pushed, ...sunk]).equals(body), 'every byte once, in order');
  assert.ok(direct > body.length * 0.9, `${direct} of ${body.length} bytes bypassed the ring`);
  assert.equal(client.bytesRead, body.length);
  assert.equal(ended, false, 'a diverted stream never ends: the sink owns the body');
});

test('a sink that takes fewer bytes than offered gives the stream back: the rest comes as data', async (t) => {
  const body = randomBytes(200_000, 22);
  const { clock, client, close } = serve(body);
  t.after(close);
  const chunks: Buffer[] = [];
  let sinkCalls = 0;
  let ended = false;
  client.once('data', (chunk: Buffer) => {
    chunks.push(chunk);
    client.on('data', (more: Buffer) => chunks.push(more));
    client.divert((view) => {
      sinkCalls++;
      const take = sinkCalls < 2 ? view.length : Math.floor(view.length / 2);
      chunks.push(Buffer.from(view.subarray(0, take)));
      return take;
    });
  });
  client.on('end', () => {
    ended = true;
  });
  await drive(clock, () => ended);
  assert.equal(sinkCalls, 2, 'the short take ended the diversion');
  assert.ok(Buffer.concat(chunks).equals(body));
});

test('a sink that throws destroys the socket with its error', async (t) => {
  const body = randomBytes(200_000, 23);
  const { clock, client, close } = serve(body);
  t.after(close);
  let error: Error | undefined;
  let calls = 0;
  client.on('error', (err) => {
    error = err;
  });
  client.once('data', () => {
    client.divert(() => {
      calls++;
      throw new Error('disk full');
    });
  });
  await drive(clock, () => error !== undefined);
  assert.equal(error?.message, 'disk full');
  assert.equal(calls, 1, 'no more views after the throw');
  assert.equal(client.destroyed, true);
});
