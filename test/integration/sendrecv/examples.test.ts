// The seed's scenarios A and B, written by hand with sr1/send (examples/), fetch their pages from
// the lab's real servers: HTTP/1.0 from Python's http.server (the server closes first) and a 2 KB
// file from nginx over HTTP/1.1 (we close first, the body checked by sha256). Root; run alone.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Lab } from '../../../src/lab/lab.js';
import { CLIENT_LINK, LAB_FILES, LAB_NAMESPACES } from '../../../src/lab/plan.js';

const example = (name: string) => fileURLToPath(new URL(`../../../examples/${name}`, import.meta.url));
const SPARE = [
  '--iface',
  CLIENT_LINK.spare.ifname,
  '--ip',
  `${CLIENT_LINK.spare.ipv4}/${CLIENT_LINK.ipv4Prefix}`,
];

/** Runs an example in the client namespace (AF_PACKET with the lab's spare address), or on the host (TAP). */
function runExample(name: string, where: 'spare' | 'tap') {
  const node = [process.execPath, '--import', 'tsx', example(name), '-q'];
  const argv = where === 'spare' ? ['ip', 'netns', 'exec', LAB_NAMESPACES.client, ...node, ...SPARE] : node;
  return spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: 60_000 });
}

let lab: Lab;
before(async () => {
  lab = await Lab.up();
});
after(async () => {
  await lab?.down();
});

const twoK = LAB_FILES.find((f) => f.name === '2k.bin');

test('example A (HTTP/1.0): handshake, GET, the page, the server’s FIN, our FIN-ACK', () => {
  const r = runExample('seed-a-http10.ts', 'spare');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^HTTP\/1\.0 200 OK\r\n/);
  assert.match(r.stdout, /<title>Directory listing for \/<\/title>/);
  assert.match(r.stderr, /spare-address mode/);
  assert.match(r.stderr, /HTTP\/1\.0 200 OK; \d+ body bytes; closed by the server first/);
});

test('example B (HTTP/1.1): every segment ACKed, Content-Length reached, we close first', () => {
  const r = runExample('seed-b-http11.ts', 'spare');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /^HTTP\/1\.1 200 OK; 2048 body bytes \(Content-Length 2048\)$/m);
  assert.match(r.stdout, new RegExp(`^sha256 ${twoK?.sha256}$`, 'm'));
  assert.match(r.stderr, /=== send FA flag and wait ACK\n=== send A flag/);
});

test('example B in the default TAP mode (what `synack lab up` and a bare run do)', async () => {
  // The lab has one TAP path (synack0); another test's stack may hold it for a while.
  let r = runExample('seed-b-http11.ts', 'tap');
  for (let waited = 0; r.status !== 0 && /synack0 is in use/.test(r.stderr) && waited < 300; waited += 5) {
    await new Promise((resolve) => setTimeout(resolve, 5000));
    r = runExample('seed-b-http11.ts', 'tap');
  }
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /TAP mode/);
  assert.match(r.stdout, new RegExp(`^sha256 ${twoK?.sha256}$`, 'm'));
});
