// `synack sim` from the command line: summary, JSON, trace bounds and user errors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../helpers/cli.js';

test('synack sim --json prints one result object', () => {
  const r = runCli([
    'sim',
    '--size',
    '200k',
    '--rtt',
    '10ms',
    '--bw',
    '50mbit',
    '--loss',
    '1%',
    '--seed',
    '4',
    '--json',
  ]);
  assert.equal(r.status, 0, r.stderr);
  const out = JSON.parse(r.stdout);
  assert.equal(out.ok, true);
  assert.equal(out.bytesDelivered, 200 * 1024);
  assert.equal(out.sha256Match, true);
  assert.equal(out.trace, undefined);
  assert.ok(out.goodputBitsPerSecond > 0 && out.goodputBitsPerSecond < 50e6);
});

test('synack sim prints a summary, and a bounded trace with --trace', () => {
  const r = runCli(['sim', '--size', '64k', '--rtt', '4ms', '--trace', '--trace-lines', '3']);
  assert.equal(r.status, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[0], /^ *1: 00:00:00\.000000 ARP, Request who-has 10\.0\.0\.2/);
  assert.match(lines[3], /^\.\.\. \d+ lines not shown/);
  assert.ok(lines.some((l) => /^ok: 64\.0 KiB of 64\.0 KiB delivered, sha256 match$/.test(l)));
  assert.ok(lines.some((l) => /^virtual time .* goodput .*bit\/s$/.test(l)));
  assert.ok(lines.some((l) => /^rtt min\/avg\/max [\d.]+\/[\d.]+\/[\d.]+ ms/.test(l)));
});

test('synack sim rejects bad values with a hint, not a stack trace', () => {
  const bad = runCli(['sim', '--loss', 'lots']);
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /synack: --loss: .*expected a probability/);
  assert.match(bad.stderr, /next: got lots/);
  assert.doesNotMatch(bad.stderr, /at .*\.ts:\d+/);
  const twice = runCli(['sim', '--loss', '1%', '--impair', 'loss=2%']);
  assert.equal(twice.status, 2);
  assert.match(twice.stderr, /synack: loss given twice/);
  const cc = runCli(['sim', '--cc', 'bbr']);
  assert.equal(cc.status, 2);
  assert.match(cc.stderr, /--cc must be one of cubic, newreno/);
});
