// The same fetches through the fault injector on the stack's device (5% loss, 20 ms delay, 1%
// reordering, 1% duplication, both directions): TCP must recover and every body stay exact.
// (root; the lab; run one file at a time)
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { LAB_FILES, LAB_PORTS, LAB_SERVER_NAME } from '../../../src/lab/plan.js';
import type { FaultInjector } from '../../../src/link/fault-injector.js';
import { stackFetch } from '../../../src/socket/http.js';
import { type LabStack, labCa, labStack, serverAddr, stackGet } from './lab-stack.js';

const IMPAIR = 'loss=5%,delay=20ms,reorder=1%,dup=1%,seed=5';

/** A stuck transfer fails the test instead of hanging the run. */
const TEST_TIMEOUT = 180_000;

let env: LabStack;
before(async () => {
  env = await labStack(IMPAIR);
});
after(async () => {
  await env?.close();
});

const file = (name: string) => {
  const f = LAB_FILES.find((x) => x.name === name);
  if (!f) throw new Error(`no lab file ${name}`);
  return f;
};

for (const [family, names] of [
  [4, ['2k.bin', '100k.bin', '10m.bin', '100m.bin']],
  [6, ['2k.bin', '100k.bin', '10m.bin']],
] as const) {
  for (const name of names) {
    test(`impaired: nginx ${name} over IPv${family} is sha256-exact`, { timeout: TEST_TIMEOUT }, async () => {
      const f = file(name);
      const got = await stackGet(env.stack, serverAddr(family), LAB_PORTS.http, `/${f.name}`);
      assert.equal(got.size, f.size);
      assert.equal(got.sha256, f.sha256);
    });
  }
}

test('impaired: HTTP/1.0 (server closes) and chunked stay exact', { timeout: TEST_TIMEOUT }, async () => {
  const f = file('100k.bin');
  const closed = await stackGet(env.stack, serverAddr(4), LAB_PORTS.http10, `/${f.name}`);
  assert.equal(closed.sha256, f.sha256);
  const chunked = await stackGet(env.stack, serverAddr(4), LAB_PORTS.chunked, `/${f.name}`);
  assert.equal(chunked.headers['transfer-encoding'], 'chunked');
  assert.equal(chunked.sha256, f.sha256);
});

test('impaired: HTTPS fetch through undici stays exact', { timeout: TEST_TIMEOUT }, async () => {
  const { createHash } = await import('node:crypto');
  const fetch = stackFetch(env.stack, { ca: labCa(), servername: LAB_SERVER_NAME });
  try {
    const res = await fetch(`https://${serverAddr(4)}/100k.bin`);
    const body = new Uint8Array(await res.arrayBuffer());
    assert.equal(createHash('sha256').update(body).digest('hex'), file('100k.bin').sha256);
  } finally {
    await fetch.dispatcher.close();
  }
});

test('the injector really impaired the traffic (both directions)', { timeout: TEST_TIMEOUT }, () => {
  const stats = (env.link.device as FaultInjector).stats;
  for (const dir of ['in', 'out'] as const) {
    assert.ok(stats[dir].dropped > 0, `${dir}: frames dropped`);
    assert.ok(stats[dir].duplicated > 0, `${dir}: frames duplicated`);
    assert.ok(stats[dir].reordered > 0, `${dir}: frames reordered`);
  }
});
