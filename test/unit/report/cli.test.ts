// `synack report`: writes the page for a capture file, and explains user mistakes without a stack trace.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { runCli } from '../../helpers/cli.js';

const LAB = fileURLToPath(new URL('../../fixtures/packet/lab.pcap', import.meta.url));

describe('synack report', () => {
  const dir = mkdtempSync(join(tmpdir(), 'synack-report-cli-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('writes a report of the busiest connection, or of --stream N', () => {
    const out = join(dir, 'lab.html');
    const first = runCli(['report', LAB, '-o', out]);
    assert.equal(first.status, 0, first.stderr);
    assert.match(first.stdout, /wrote .*lab\.html .*2 TCP connection\(s\)/);
    assert.match(readFileSync(out, 'utf8'), /client 10\.77\.0\.1:58354/);
    const second = runCli(['report', LAB, '-o', out, '--stream', '1', '--title', 'IPv6 fetch']);
    assert.equal(second.status, 0, second.stderr);
    const html = readFileSync(out, 'utf8');
    assert.match(html, /<title>IPv6 fetch<\/title>/);
    assert.match(html, /client fd77::1:55810/);
  });

  it('explains a missing file, a non-capture file and a wrong stream', () => {
    const missing = runCli(['report', join(dir, 'nope.pcap'), '-o', join(dir, 'x.html')]);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /synack: no such file: .*nope\.pcap/);
    const text = join(dir, 'notes.txt');
    writeFileSync(text, 'hello, this is not a capture file at all\n');
    const bad = runCli(['report', text, '-o', join(dir, 'x.html')]);
    assert.equal(bad.status, 1);
    assert.match(bad.stderr, /is not a readable capture/);
    assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/, 'no stack trace');
    const stream = runCli(['report', LAB, '-o', join(dir, 'x.html'), '--stream', '7']);
    assert.equal(stream.status, 1);
    assert.match(stream.stderr, /no TCP stream 7/);
  });
});
