// `synack serve` on the TAP path, with the host kernel's curl and wrk as clients (root; run one
// file at a time): exact bodies, 404, HEAD, traversal refused, keep-alive under load, clean stop.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TAP_LINK } from '../../../src/lab/plan.js';
import { startCli, stopChild } from './app-helpers.js';

const PORT = 8080;
const BASE = `http://${TAP_LINK.stack.ipv4}:${PORT}`;
const BASE6 = `http://[${TAP_LINK.stack.ipv6}]:${PORT}`;
const root = mkdtempSync(join(tmpdir(), 'synack-serve-'));
const files = new Map<string, string>();
let server: { child: ChildProcess; output: () => string } | undefined;

function addFile(name: string, bytes: Buffer): void {
  writeFileSync(join(root, name), bytes);
  files.set(name, createHash('sha256').update(bytes).digest('hex'));
}

/** Starts serve, waiting while another test holds synack0. */
async function startServe(): Promise<{ child: ChildProcess; output: () => string }> {
  const deadline = Date.now() + 180_000;
  for (;;) {
    try {
      return await startCli(['serve', '--port', String(PORT), '--dir', root], /try: curl/);
    } catch (err) {
      if (!/in use by another program/.test(String(err)) || Date.now() > deadline) throw err;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
  }
}

interface Ran {
  status: number | null;
  stdout: Buffer;
  stderr: Buffer;
}

/** Runs a client without blocking the event loop (serve's log pipe must keep draining). */
function run(cmd: string, args: string[]): Promise<Ran> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.once('error', reject);
    child.once('close', (status) =>
      resolve({ status, stdout: Buffer.concat(out), stderr: Buffer.concat(err) }),
    );
  });
}

function curl(args: string[]): Promise<Ran> {
  return run('curl', ['-sS', '--max-time', '60', ...args]);
}

before(async () => {
  addFile('small.txt', Buffer.from('hello from synack serve\n'));
  addFile('one-mss.bin', randomBytes(1460));
  addFile('big.bin', randomBytes(5 * 1024 * 1024 + 17));
  mkdirSync(join(root, 'sub'));
  addFile('sub/inner.txt', Buffer.from('inner\n'));
  server = await startServe();
});

after(async () => {
  if (server) await stopChild(server.child, 'SIGKILL');
  rmSync(root, { recursive: true, force: true });
});

test('curl gets every file byte-exact, over IPv4 and IPv6', async () => {
  for (const [name, sha] of files) {
    for (const base of [BASE, BASE6]) {
      const r = await curl([`${base}/${name}`]);
      assert.equal(r.status, 0, r.stderr.toString());
      assert.equal(createHash('sha256').update(r.stdout).digest('hex'), sha, `${base}/${name}`);
    }
  }
});

test('404 for a missing file, 403 for traversal, HEAD has the length and no body, listing', async () => {
  const code = async (args: string[]) =>
    (await curl(['-o', '/dev/null', '-w', '%{http_code}', ...args])).stdout.toString();
  assert.equal(await code([`${BASE}/nope.txt`]), '404');
  assert.equal(await code(['--path-as-is', `${BASE}/../../etc/passwd`]), '403');
  assert.equal(await code(['--path-as-is', `${BASE}/%2e%2e/%2e%2e/etc/passwd`]), '403');
  const head = (await curl(['-I', `${BASE}/big.bin`])).stdout.toString();
  assert.match(head, /^HTTP\/1\.1 200 OK/);
  assert.match(head, new RegExp(`content-length: ${5 * 1024 * 1024 + 17}`, 'i'));
  const headBody = (
    await curl(['-X', 'HEAD', '-o', '-', '-w', '%{size_download}', `${BASE}/big.bin`])
  ).stdout.toString();
  assert.equal(headBody, '0');
  const listing = (await curl([`${BASE}/`])).stdout.toString();
  assert.match(listing, /href="sub\/"/);
  assert.match(listing, /href="big\.bin"/);
  assert.equal(await code([`${BASE}/sub`]), '301');
});

test('one keep-alive connection carries several requests', async () => {
  const r = await curl([
    '-v',
    '-o',
    '/dev/null',
    '-o',
    '/dev/null',
    `${BASE}/small.txt`,
    `${BASE}/one-mss.bin`,
  ]);
  assert.equal(r.status, 0);
  assert.match(r.stderr.toString(), /Re-using existing connection|Reusing existing/i);
});

test('wrk against it: every response is a 200, no socket errors', async () => {
  const ran = await run('wrk', ['-t', '2', '-c', '8', '-d', '3s', `${BASE}/one-mss.bin`]);
  assert.equal(ran.status, 0, ran.stderr.toString());
  const r = { stdout: ran.stdout.toString() };
  const requests = Number(/(\d+) requests in/.exec(r.stdout)?.[1] ?? 0);
  assert.ok(requests > 50, r.stdout);
  assert.doesNotMatch(r.stdout, /Non-2xx or 3xx responses/, r.stdout);
  assert.doesNotMatch(r.stdout, /Socket errors/, r.stdout);
  // After the load, still exact:
  const again = await curl([`${BASE}/big.bin`]);
  assert.equal(createHash('sha256').update(again.stdout).digest('hex'), files.get('big.bin'));
});

test('one log line per request; SIGINT stops it cleanly and removes the TAP', async () => {
  assert.match(server?.output() ?? '', /"GET \/small\.txt HTTP\/1\.1" 200 24 /);
  assert.match(server?.output() ?? '', /"GET \/nope\.txt HTTP\/1\.1" 404 /);
  const code = await stopChild(server?.child as ChildProcess, 'SIGINT');
  assert.equal(code, 0);
  assert.match(server?.output() ?? '', /stopping/);
  server = undefined;
  assert.equal(existsSync(`/sys/class/net/${TAP_LINK.host.ifname}`), false, 'TAP removed');
});
