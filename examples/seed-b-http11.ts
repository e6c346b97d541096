// The seed's scenario B (Part 2, "a larger page", HTTP/1.1), by hand with sr1/send: every segment
// is ACKed as it comes, and the end of the response is found from Content-Length instead of the
// article's one-second silence; then we close first (HTTP/1.1 keeps the connection open):
// FIN-ACK, the server's ACK and FIN, our final ACK. Against the lab's nginx:
//   synack lab up && node --import tsx examples/seed-b-http11.ts

import { send, sr1 } from '../src/index.js';
import { LAB_PORTS } from '../src/lab/plan.js';
import { fail, httpHeader, payloadOf, segment, seqLength, startSeed, tcpOf } from './seed-common.js';

const { opts, c, sr, tcp } = startSeed('seed-b-http11', { port: LAB_PORTS.http, path: '/2k.bin' });
try {
  console.error('=== send SYN flag and WAIT ACK');
  const synAck = await sr1(segment(c), sr);
  if (!synAck || !tcpOf(synAck).hasFlags('SA')) fail(`no SYN-ACK from ${c.server}:${c.port}`);
  console.error('=== send ACK');
  tcp.seq = tcpOf(synAck).ack;
  tcp.ack = (tcpOf(synAck).seq + 1) >>> 0;
  tcp.flags = 'A';
  await send(segment(c), sr);

  console.error('=== send HTTP get request');
  const get = `GET ${opts.path} HTTP/1.1\r\nHost: ${c.server}\r\n\r\n`;
  let http = segment(c, get);
  tcp.seq = (tcp.seq + get.length) >>> 0;
  let data: Buffer = Buffer.alloc(0);
  let expected: number | undefined;
  while (expected === undefined || data.length < expected) {
    const response = await sr1(http, sr);
    if (response === null) fail(`no data after ${data.length} bytes`);
    const payload = payloadOf(response);
    if (payload.length > 0) {
      data = Buffer.concat([data, payload]);
      console.error(`## ${payload.length} bytes: ${Buffer.from(payload.subarray(0, 16)).toString('hex')}...`);
    }
    // ACK what arrived: the next byte we expect (RFC 9293 §3.4).
    tcp.ack = (tcpOf(response).seq + seqLength(response)) >>> 0;
    http = segment(c);
    const header = httpHeader(data);
    if (header && expected === undefined) {
      if (header.contentLength === undefined)
        fail('no Content-Length (this example does not decode chunked bodies)');
      expected = header.headerEnd + header.contentLength;
    }
    if (tcpOf(response).hasFlags('F')) break;
  }
  await send(http, sr); // the ACK of the last segment

  console.error('=== send FA flag and wait ACK');
  tcp.flags = 'FA';
  const finAck = await sr1(segment(c), sr);
  if (!finAck) fail('no answer to our FIN');
  tcp.seq = (tcp.seq + 1) >>> 0;
  // The server's FIN may come with that ACK or right after it.
  const serverFin = tcpOf(finAck).hasFlags('F')
    ? finAck
    : await c.backlog.next((p) => tcpOf(p).hasFlags('F'), { timeout: 2 });
  if (!serverFin) fail('the server did not close its side');
  console.error('=== send A flag');
  tcp.ack = (tcpOf(serverFin).seq + seqLength(serverFin)) >>> 0;
  tcp.flags = 'A';
  await send(segment(c), sr);

  const header = httpHeader(data);
  const body = data.subarray(header?.headerEnd ?? 0);
  console.log(`${header?.statusLine}; ${body.length} body bytes (Content-Length ${header?.contentLength})`);
  const { createHash } = await import('node:crypto');
  console.log(`sha256 ${createHash('sha256').update(body).digest('hex')}`);
} finally {
  c.close();
}
