// `synack sniff` as a user runs it: -c/-w writes a pcap that tshark opens, lines are printed live
// with a filter, a bad filter is a usage error pointing at the token, and SIGINT stops cleanly with
// tcpdump's counts. Root; run alone.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI_ENTRY, runCli } from '../../helpers/cli.js';
import { background, exited, vethNamespace } from './helpers.js';

test('synack sniff -c 5 -w FILE: a pcap tshark reads, and tcpdump’s counts on stderr', (t) => {
  const v = vethNamespace(t);
  const dir = mkdtempSync(join(tmpdir(), 'synack-cli-sniff-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'f.pcap');
  background(t, ['ping', '-c', '50', '-i', '0.1', v.peerV4]);
  const r = runCli(['sniff', '-i', v.hostIf, '-c', '5', '-w', file], { timeoutMs: 30_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout, '', 'with -w nothing is printed');
  assert.match(r.stderr, new RegExp(`^listening on ${v.hostIf}, link-type EN10MB \\(Ethernet\\)`, 'm'));
  assert.match(r.stderr, /^5 packets captured$/m);
  const lines = execFileSync('tshark', ['-r', file, '-n'], { encoding: 'utf8' }).trim().split('\n');
  assert.equal(lines.length, 5);
  assert.ok(
    lines.some((l) => /ICMP/.test(l) && l.includes(v.peerV4)),
    lines.join('\n'),
  );
});

test('synack sniff prints tcpdump lines for the packets the filter selects', (t) => {
  const v = vethNamespace(t);
  background(t, ['ping', '-c', '50', '-i', '0.1', v.peerV4]);
  const r = runCli(['sniff', '-i', v.hostIf, '-c', '4', '-t', 'icmp', 'and', 'dst', 'host', v.peerV4], {
    timeoutMs: 30_000,
  });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.equal(lines.length, 4);
  for (const l of lines)
    assert.match(
      l,
      new RegExp(
        `^IP ${v.hostV4.replace(/\./g, '\\.')} > ${v.peerV4.replace(/\./g, '\\.')}: ICMP echo request, id \\d+, seq \\d+, length 64$`,
      ),
    );
});

test('synack sniff with a bad filter: exit 2, the message points at the token', () => {
  const r = runCli(['sniff', '-i', 'lo', 'tcp', 'port', 'http2']);
  assert.equal(r.status, 2);
  assert.match(r.stderr, /bad filter: "http2" is not a port number or known service at column 10/);
  assert.match(r.stderr, /\n {2}tcp port http2\n {11}\^/);
  assert.match(r.stderr, /next: the syntax is tcpdump’s/);
});

test('synack sniff stops on SIGINT and reports what it captured', async (t) => {
  const v = vethNamespace(t);
  background(t, ['ping', '-c', '100', '-i', '0.05', v.peerV4]);
  const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, 'sniff', '-i', v.hostIf, 'icmp'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (s: string) => (stdout += s));
  child.stderr.setEncoding('utf8').on('data', (s: string) => (stderr += s));
  for (let i = 0; i < 300 && stdout.split('\n').length < 4; i++) await new Promise((r) => setTimeout(r, 50));
  child.kill('SIGINT');
  assert.equal(await exited(child), 0, stderr);
  const printed = stdout.trim().split('\n').length;
  assert.ok(printed >= 3, stdout);
  const m = /^(\d+) packets captured$/m.exec(stderr);
  assert.ok(m, stderr);
  assert.equal(Number(m[1]), printed, 'every captured packet was printed');
  assert.match(stderr, /^\d+ packets? received by filter$/m);
  assert.match(stderr, /^\d+ packets? dropped by kernel$/m);
});
