// Same seed, same run: identical results, traces and pcap bytes. A different seed changes them
// (so the comparison can fail).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { type SimOptions, simulate } from '../../../src/sim/index.js';

const base: SimOptions = {
  size: 300_000,
  direction: 'both',
  rtt: 12,
  bandwidth: 50e6,
  impair: 'loss=3%,reorder=2%,dup=1%,corrupt=1%,jitter=1ms',
  trace: { all: true },
};

function runTo(dir: string, name: string, seed: number) {
  const pcap = join(dir, `${name}.pcap`);
  const result = simulate({ ...base, seed, pcap });
  return { result, pcap: readFileSync(pcap) };
}

test('the same seed twice gives identical results, traces and pcaps', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'synack-sim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const a = runTo(dir, 'a', 42);
  const b = runTo(dir, 'b', 42);
  assert.equal(a.result.ok, true, a.result.failure ?? '');
  assert.ok(a.result.retransmissions > 0, 'the impairments did something');
  assert.ok(a.result.trace.length > 100);
  assert.deepEqual(b.result, a.result);
  assert.equal(a.pcap.length > 24, true);
  assert.ok(a.pcap.equals(b.pcap), 'byte-identical pcaps');

  const c = runTo(dir, 'c', 43);
  assert.equal(c.result.ok, true, c.result.failure ?? '');
  assert.notDeepEqual(c.result.trace, a.result.trace);
  assert.ok(!c.pcap.equals(a.pcap), 'another seed gives another capture');
});

test('the pcap holds every traced frame, with virtual timestamps from 1970', (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'synack-sim-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const { result, pcap } = runTo(dir, 'p', 5);
  let frames = 0;
  let off = 24;
  let lastSeconds = 0;
  while (off < pcap.length) {
    lastSeconds = pcap.readUInt32LE(off);
    off += 16 + pcap.readUInt32LE(off + 8);
    frames++;
  }
  assert.equal(off, pcap.length);
  assert.equal(frames, result.traceLines);
  assert.ok(lastSeconds <= Math.ceil(result.virtualSeconds), 'timestamps are virtual time since the epoch');
});
