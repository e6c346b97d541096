// `synack read FILE [--json]` through the real CLI entry point (child process).
process.env.TZ = 'UTC';

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ether, IP, TCP, UDP, writePcap } from '../../../src/packet/index.js';
import { runCli } from '../../helpers/cli.js';
import { cutToTransport, readRecords, tcpdumpRecords } from './tcpdump-lines.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/packet/${name}`, import.meta.url));

function assertLikeTcpdump(stdout: string, expectedFile: string): void {
  const ours = tcpdumpRecords(stdout);
  const expected = readRecords(fixture(expectedFile));
  assert.equal(ours.length, expected.length);
  ours.forEach((line, i) => {
    assert.equal(line, cutToTransport(expected[i], line), `packet ${i + 1}`);
  });
}

describe('synack read', () => {
  it('prints what tcpdump -n -r prints, for pcap and pcapng', () => {
    for (const file of ['lab.pcap', 'lab.pcapng']) {
      const r = runCli(['read', fixture(file)]);
      assert.equal(r.status, 0, r.stderr);
      assertLikeTcpdump(r.stdout, 'lab.tcpdump.txt');
    }
  });

  it('takes -e and --tt like tcpdump', () => {
    assertLikeTcpdump(runCli(['read', '-e', fixture('lab.pcap')]).stdout, 'lab.tcpdump-e.txt');
    assertLikeTcpdump(runCli(['read', '--tt', fixture('lab.pcap')]).stdout, 'lab.tcpdump-tt.txt');
    assertLikeTcpdump(runCli(['read', fixture('crafted.pcap')]).stdout, 'crafted.tcpdump.txt');
  });

  it('--json: one object a line with every layer and its fields', () => {
    const r = runCli(['read', '--json', fixture('lab.pcap')]);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, readRecords(fixture('lab.tcpdump.txt')).length);
    const objects = lines.map((l) => JSON.parse(l));
    assert.deepEqual(
      objects[0].layers.map((l: { layer: string }) => l.layer),
      ['Ether', 'ARP'],
    );
    const syn = objects.find((o) => o.layers[2]?.layer === 'TCP' && o.layers[2].flags === 'S');
    assert.ok(syn);
    assert.equal(syn.layers[1].dst, '10.77.0.2');
    assert.equal(syn.layers[2].dport, 8000);
    assert.equal(syn.time, '1795747251.849803000');
  });

  it('streams a large capture and reads nanosecond pcaps', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synack-read-'));
    try {
      const file = join(dir, 'many.pcap');
      const frames = function* () {
        for (let i = 0; i < 20000; i++) {
          const p = Ether()
            .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
            .over(UDP({ sport: 1000, dport: 2000 + (i % 7) }));
          p.time = { seconds: i, nanoseconds: 999_999_999 };
          yield p;
        }
      };
      writePcap(file, frames(), { resolution: 'ns' });
      const r = runCli(['read', '--tt', file]);
      assert.equal(r.status, 0, r.stderr);
      const lines = r.stdout.trim().split('\n');
      assert.equal(lines.length, 20000);
      assert.equal(lines[19999], '19999.999999 IP 10.0.0.1.1000 > 10.0.0.2.2000: UDP, length 0');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('says clearly when the file is missing, not a capture, or cut short', () => {
    const dir = mkdtempSync(join(tmpdir(), 'synack-read-'));
    try {
      const missing = runCli(['read', join(dir, 'nope.pcap')]);
      assert.equal(missing.status, 1);
      assert.match(missing.stderr, /cannot read .*nope\.pcap: no such file/);
      assert.doesNotMatch(missing.stderr, /at .*\.ts/, 'no stack trace');
      const text = join(dir, 'notes.txt');
      writeFileSync(text, 'hello, this is not a capture\n');
      const bad = runCli(['read', text]);
      assert.equal(bad.status, 1);
      assert.match(bad.stderr, /not a pcap or pcapng file/);
      const cut = join(dir, 'cut.pcap');
      writePcap(cut, [Ether().over(IP()).over(TCP()), Ether().over(IP()).over(TCP())]);
      const whole = runCli(['read', cut]).stdout;
      const bytes = readFileSync(cut);
      writeFileSync(cut, bytes.subarray(0, bytes.length - 10));
      const truncated = runCli(['read', cut]);
      assert.equal(truncated.status, 1);
      assert.match(truncated.stderr, /damaged after 1 packets/);
      assert.equal(
        truncated.stdout,
        `${whole.split('\n')[0]}\n`,
        'the packets before the damage are printed',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
