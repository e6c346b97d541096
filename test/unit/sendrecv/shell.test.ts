// `synack shell` with expressions piped on stdin: the API is in scope, values are printed, and a
// line that awaits is settled before the next line runs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../helpers/cli.js';

test('synack shell evaluates piped lines with the API in scope, in order, with top-level await', () => {
  const input = [
    "const p = IP({ dst: '10.77.2.2' }).over(TCP({ dport: 80, flags: 'S' }))",
    'p.summary()',
    'dissect(Ether().over(p).build()).summary()',
    'const later = await new Promise((r) => setTimeout(() => r(41), 100))',
    'later + 1',
    "compileFilter('tcp dst port 80')(Ether().over(p).build())",
    'typeof sr1 === "function" && typeof sniff === "function" && typeof Stack === "function"',
    'notDefinedAnywhere',
  ].join('\n');
  const r = runCli(['shell', '--no-banner'], { input, timeoutMs: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.deepEqual(lines, [
    "'IP / TCP 127.0.0.1:ftp_data > 10.77.2.2:http S'",
    "'Ether / IP / TCP 127.0.0.1:ftp_data > 10.77.2.2:http S'",
    '42',
    'true',
    'true',
    'Uncaught ReferenceError: notDefinedAnywhere is not defined',
  ]);
});

test('synack shell prints a banner naming what is in scope', () => {
  const r = runCli(['shell'], { input: '1 + 1\n', timeoutMs: 60_000 });
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /synack shell: the whole synack API is in scope/);
  assert.match(r.stderr, /send sendp sr sr1 srp srp1 answers sniff/);
  assert.equal(r.stdout.trim(), '2');
});
