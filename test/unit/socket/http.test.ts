// Node's own HTTP, TLS and undici code running over two userspace stacks on a virtual clock.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { test } from 'node:test';
import { stackAgent, stackFetch, stackHttpsAgent, tlsOverStack } from '../../../src/socket/http.js';
import type { Stack } from '../../../src/socket/stack.js';
import type { TcpSocket } from '../../../src/socket/tcp-socket.js';
import { collect, drive, makePair, randomBytes } from './harness.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const CERT = fixture('cert.pem');
const KEY = fixture('key.pem');

const BODY = randomBytes(500_000, 31);

function handler(req: http.IncomingMessage, res: http.ServerResponse): void {
  if (req.url === '/chunked') {
    res.writeHead(200, { 'content-type': 'application/octet-stream' }); // no length: chunked
    for (let i = 0; i < BODY.length; i += 70_001) res.write(BODY.subarray(i, i + 70_001));
    res.end();
    return;
  }
  if (req.url === '/echo') {
    const got = collect(req);
    req.on('end', () => res.end(`${sha(got.bytes())} ${got.bytes().length}`));
    return;
  }
  res.writeHead(200, { 'content-length': BODY.length, 'x-path': req.url ?? '' });
  res.end(BODY);
}

/** An http.Server (or https.Server) fed by a stack listener. */
function serve(stack: Stack, server: http.Server, port: number): { connections: TcpSocket[] } {
  const connections: TcpSocket[] = [];
  stack.listen({ port }, (socket) => {
    connections.push(socket);
    server.emit('connection', socket);
  });
  return { connections };
}

interface Result {
  status?: number;
  headers?: http.IncomingHttpHeaders;
  body?: Buffer;
  error?: Error;
}

function get(options: https.RequestOptions, module: typeof http | typeof https = http): Result {
  const result: Result = {};
  const req = module.request(options, (res) => {
    const got = collect(res);
    res.on('end', () => {
      result.status = res.statusCode;
      result.headers = res.headers;
      result.body = got.bytes();
    });
  });
  req.on('error', (e) => {
    result.error = e;
  });
  req.end();
  return result;
}

test('http.request with createConnection -> http.Server on a stack listener: byte-exact body', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  serve(a, http.createServer(handler), 80);
  const r = get({
    createConnection: () => b.connect({ host: '10.0.0.1', port: 80 }),
    path: '/file',
  });
  await drive(clock, () => r.body !== undefined || r.error !== undefined);
  assert.equal(r.error, undefined);
  assert.equal(r.status, 200);
  assert.equal(r.headers?.['x-path'], '/file');
  assert.equal(sha(r.body as Buffer), sha(BODY));
});

test('chunked response and a request body upload', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  serve(a, http.createServer(handler), 80);
  const agent = stackAgent(b);
  const r = get({ host: '10.0.0.1', port: 80, path: '/chunked', agent });
  await drive(clock, () => r.body !== undefined || r.error !== undefined);
  assert.equal(r.headers?.['transfer-encoding'], 'chunked');
  assert.equal(sha(r.body as Buffer), sha(BODY));
  const upload = randomBytes(200_000, 32);
  const result: Result = {};
  const req = http.request({ host: '10.0.0.1', port: 80, path: '/echo', method: 'POST', agent }, (res) => {
    const got = collect(res);
    res.on('end', () => {
      result.body = got.bytes();
    });
  });
  req.end(upload);
  await drive(clock, () => result.body !== undefined);
  assert.equal(result.body?.toString(), `${sha(upload)} ${upload.length}`);
});

test('keep-alive: two requests on one connection through stackAgent', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  const served = serve(a, http.createServer(handler), 80);
  const agent = stackAgent(b, { keepAlive: true, maxSockets: 1 });
  t.after(() => agent.destroy());
  const first = get({ host: '10.0.0.1', port: 80, path: '/one', agent });
  await drive(clock, () => first.body !== undefined);
  const second = get({ host: '10.0.0.1', port: 80, path: '/two', agent });
  await drive(clock, () => second.body !== undefined);
  assert.equal(served.connections.length, 1, 'the second request reused the connection');
  assert.equal(second.headers?.['x-path'], '/two');
  assert.equal(sha(second.body as Buffer), sha(BODY));
});

test('HTTPS: tls.connect over a stack socket, certificate verified against a CA', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  serve(a, https.createServer({ key: KEY, cert: CERT }, handler), 443);
  const r = get(
    {
      host: '10.0.0.1',
      port: 443,
      path: '/secure',
      agent: stackHttpsAgent(b, { ca: CERT }),
      servername: 'lab.test',
    },
    https,
  );
  await drive(clock, () => r.body !== undefined || r.error !== undefined);
  assert.equal(r.error, undefined);
  assert.equal(sha(r.body as Buffer), sha(BODY));
  // And a certificate we do not trust is refused by Node's TLS, as it would be over a kernel socket.
  const bad = tlsOverStack(b, '10.0.0.1', 443, { servername: 'lab.test' });
  let failure: (Error & { code?: string }) | undefined;
  bad.on('error', (e) => {
    failure = e;
  });
  await drive(clock, () => failure !== undefined);
  assert.equal(failure?.code, 'DEPTH_ZERO_SELF_SIGNED_CERT');
});

test('fetch through undici with a stack connector (http and https)', async (t) => {
  const { clock, a, b, close } = makePair();
  t.after(close);
  serve(a, http.createServer(handler), 80);
  serve(a, https.createServer({ key: KEY, cert: CERT }, handler), 443);
  const fetch = stackFetch(b, { ca: CERT });
  t.after(() => fetch.dispatcher.destroy());
  const results: Array<{ status: number; sha: string }> = [];
  let failure: unknown;
  const run = async (url: string) => {
    const res = await fetch(url);
    const body = new Uint8Array(await res.arrayBuffer());
    results.push({ status: res.status, sha: sha(body) });
  };
  run('http://10.0.0.1/plain')
    .then(() => run('https://10.0.0.1/secure'))
    .catch((e) => {
      failure = e;
    });
  await drive(clock, () => results.length === 2 || failure !== undefined);
  assert.equal(failure, undefined, String((failure as { cause?: unknown })?.cause ?? failure));
  assert.deepEqual(results, [
    { status: 200, sha: sha(BODY) },
    { status: 200, sha: sha(BODY) },
  ]);
});
