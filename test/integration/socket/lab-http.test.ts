// The userspace stack against real Linux servers in the lab (root; run one file at a time):
// nginx, Python's HTTP/1.0 server, a chunked responder and HTTPS, over the TAP path, IPv4 and IPv6,
// with Node's http/tls/undici on stack sockets. Every body is checked by sha256.
import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, test } from 'node:test';
import { LAB_FILES, LAB_PORTS, LAB_SERVER_NAME } from '../../../src/lab/plan.js';
import { stackAgent, stackFetch } from '../../../src/socket/http.js';
import {
  hashedGet,
  type LabStack,
  labCa,
  labStack,
  serverAddr,
  stackGet,
  stackHttpsGet,
} from './lab-stack.js';

/** A stuck transfer fails the test instead of hanging the run. */
const TEST_TIMEOUT = 120_000;

let env: LabStack;
before(async () => {
  env = await labStack();
});
after(async () => {
  await env?.close();
});

const file = (name: string) => {
  const f = LAB_FILES.find((x) => x.name === name);
  if (!f) throw new Error(`no lab file ${name}`);
  return f;
};

for (const family of [4, 6] as const) {
  for (const name of ['2k.bin', '100k.bin', '10m.bin', '100m.bin']) {
    if (family === 6 && name === '100m.bin') continue; // one 100 MB run (IPv4) keeps the file short
    test(`nginx ${name} over IPv${family}: sha256-exact via http.request on stack.connect`, {
      timeout: TEST_TIMEOUT,
    }, async () => {
      const f = file(name);
      const got = await stackGet(env.stack, serverAddr(family), LAB_PORTS.http, `/${f.name}`);
      assert.equal(got.status, 200);
      assert.equal(got.size, f.size);
      assert.equal(got.sha256, f.sha256);
    });
  }
}

test('HTTP/1.0 from Python http.server: the server closes, the body ends at its FIN', {
  timeout: TEST_TIMEOUT,
}, async () => {
  const f = file('100k.bin');
  const got = await stackGet(env.stack, serverAddr(4), LAB_PORTS.http10, `/${f.name}`);
  assert.equal(got.status, 200);
  assert.equal(got.sha256, f.sha256);
});

test('chunked transfer encoding from the chunked responder (IPv4 and IPv6)', {
  timeout: TEST_TIMEOUT,
}, async () => {
  const f = file('10m.bin');
  for (const family of [4, 6] as const) {
    const got = await stackGet(env.stack, serverAddr(family), LAB_PORTS.chunked, `/${f.name}`);
    assert.equal(got.headers['transfer-encoding'], 'chunked');
    assert.equal(got.sha256, f.sha256);
  }
});

test('two requests on one keep-alive connection to nginx', { timeout: TEST_TIMEOUT }, async () => {
  const agent = stackAgent(env.stack, { keepAlive: true, maxSockets: 1 });
  try {
    const host = serverAddr(4);
    const one = await hashedGet((cb) =>
      http.request({ host, port: LAB_PORTS.http, path: '/100k.bin', agent }, cb),
    );
    const two = await hashedGet((cb) =>
      http.request({ host, port: LAB_PORTS.http, path: '/2k.bin', agent }, cb),
    );
    assert.equal(one.sha256, file('100k.bin').sha256);
    assert.equal(two.sha256, file('2k.bin').sha256);
    assert.ok(one.localPort !== undefined);
    assert.equal(two.localPort, one.localPort, 'the same TCP connection carried both');
  } finally {
    agent.destroy();
  }
});

test('HTTPS with the lab certificate via tls.connect over a stack socket (IPv4 and IPv6)', {
  timeout: TEST_TIMEOUT,
}, async () => {
  const f = file('10m.bin');
  for (const family of [4, 6] as const) {
    const got = await stackHttpsGet(
      env.stack,
      serverAddr(family),
      LAB_PORTS.https,
      `/${f.name}`,
      LAB_SERVER_NAME,
    );
    assert.equal(got.status, 200);
    assert.equal(got.sha256, f.sha256);
  }
});

test('fetch through undici on stack sockets (http and https)', { timeout: TEST_TIMEOUT }, async () => {
  const fetch = stackFetch(env.stack, { ca: labCa(), servername: LAB_SERVER_NAME });
  try {
    const { createHash } = await import('node:crypto');
    for (const url of [`http://${serverAddr(4)}/100k.bin`, `https://[${serverAddr(6)}]/100k.bin`]) {
      const res = await fetch(url);
      assert.equal(res.status, 200);
      const body = new Uint8Array(await res.arrayBuffer());
      assert.equal(createHash('sha256').update(body).digest('hex'), file('100k.bin').sha256, url);
    }
  } finally {
    await fetch.dispatcher.close();
  }
});

test('100 connections at once to nginx, each body exact', { timeout: TEST_TIMEOUT }, async () => {
  const f = file('100k.bin');
  const host = serverAddr(4);
  const results = await Promise.all(
    Array.from({ length: 100 }, () => stackGet(env.stack, host, LAB_PORTS.http, `/${f.name}`)),
  );
  assert.equal(new Set(results.map((r) => r.localPort)).size, 100, 'distinct connections');
  for (const r of results) assert.equal(r.sha256, f.sha256);
});
