// `synack demo`, the README's main command, end to end (root; run one file at a time): exit 0,
// the three scenarios printed with explained traces, the files written, and the lab down after
// (when this run brought it up).
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { LAB_NAMESPACES } from '../../../src/lab/plan.js';
import { synack } from './app-helpers.js';

const out = mkdtempSync(join(tmpdir(), 'synack-demo-'));
after(() => rmSync(out, { recursive: true, force: true }));

test('synack demo runs the three scenarios and leaves no lab behind', async () => {
  const labWasUp = existsSync(`/run/netns/${LAB_NAMESPACES.server}`);
  const r = await synack(['demo', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  const text = r.stdout;
  for (const title of [/=== A: .*HTTP\/1\.0/, /=== B: .*HTTP\/1\.1/, /=== C: .*100 KB/])
    assert.match(text, title);
  assert.match(text, /<- handshake 1\/3 \(SYN\)/);
  assert.match(text, /server's FIN after an HTTP\/1\.0 body/);
  assert.match(text, /~~ the fault injector drops this \d+-byte segment/);
  assert.match(text, /SACK \d+:\d+/);
  assert.match(text, /=> curl: [\d.]+ ms, synack: [\d.]+ ms/);
  for (const slug of ['a-http10-small-page', 'b-http11-2k', 'c-100k-loss']) {
    for (const ext of ['pcap', 'html', 'txt']) {
      const file = join(out, `${slug}.${ext}`);
      assert.ok(existsSync(file) && statSync(file).size > 0, file);
    }
  }
  assert.equal(statSync(join(out, 'c-100k-loss.body')).size, 100 * 1024);
  const index = readFileSync(join(out, 'index.html'), 'utf8');
  assert.match(index, /href="c-100k-loss\.html"/);
  if (!labWasUp) assert.equal(existsSync(`/run/netns/${LAB_NAMESPACES.server}`), false, 'lab taken down');
});
