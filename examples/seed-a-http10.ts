// The seed's scenario A (Part 2, "a page that fits in one packet"), by hand with sr1/send as the
// article does: SYN -> sr1 SYN-ACK -> ACK; GET with HTTP/1.0; the response; the server closes first
// (HTTP/1.0), then FIN-ACK / ACK. Against the lab's HTTP/1.0 server (Python http.server):
//   synack lab up && node --import tsx examples/seed-a-http10.ts
// or from the client namespace with a spare address (AF_PACKET mode):
//   ip netns exec synack-cli node --import tsx examples/seed-a-http10.ts --iface to-srv --ip 10.77.3.3/24

import { send, sr1 } from '../src/index.js';
import { LAB_PORTS } from '../src/lab/plan.js';
import { fail, httpHeader, payloadOf, segment, seqLength, startSeed, tcpOf } from './seed-common.js';

const { opts, c, sr, tcp } = startSeed('seed-a-http10', { port: LAB_PORTS.http10, path: '/' });
try {
  // ### open TCP connection
  const synAck = await sr1(segment(c), sr);
  if (!synAck || !tcpOf(synAck).hasFlags('SA')) fail(`no SYN-ACK from ${c.server}:${c.port}`);
  tcp.seq = tcpOf(synAck).ack;
  tcp.ack = (tcpOf(synAck).seq + 1) >>> 0;
  tcp.flags = 'A';
  await send(segment(c), sr);

  // ### MY ACTION HERE
  const get = `GET ${opts.path} HTTP/1.0\r\nHost: ${c.server}\r\n\r\n`;
  let response = await sr1(segment(c, get), sr);
  tcp.seq = (tcp.seq + get.length) >>> 0;
  // The article's page came in one segment. A page may take a few (Python writes the header and
  // the body separately): ACK each one until the server's FIN, which HTTP/1.0 sends right after.
  const chunks: Uint8Array[] = [];
  let serverFin = false;
  while (response && !serverFin) {
    const data = payloadOf(response);
    if (data.length > 0) chunks.push(data);
    tcp.ack = (tcpOf(response).seq + seqLength(response)) >>> 0;
    serverFin = tcpOf(response).hasFlags('F');
    if (!serverFin) response = await sr1(segment(c), sr);
  }
  if (!serverFin) fail('the server did not finish the response');
  const payload = Buffer.concat(chunks);
  process.stdout.write(payload.toString('latin1'));
  if (!payload.toString('latin1').endsWith('\n')) process.stdout.write('\n');

  // ### close TCP connection: our FIN-ACK also ACKs the server's FIN; its ACK answers it.
  tcp.flags = 'FA';
  const finAck = await sr1(segment(c), sr);
  if (!finAck) fail('no answer to our FIN');
  tcp.seq = (tcp.seq + 1) >>> 0;
  const header = httpHeader(payload);
  const body = header ? payload.length - header.headerEnd : 0;
  console.error(
    `# ${header?.statusLine ?? 'no HTTP header'}; ${body} body bytes; closed by the server first (HTTP/1.0)`,
  );
  if (header?.contentLength !== undefined && header.contentLength !== body)
    fail(`Content-Length ${header.contentLength} but ${body} bytes`);
} finally {
  c.close();
}
