// `synack read --explain`: tcpdump's line, then what it means, for every TCP packet of a capture.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';

test('read --explain follows each TCP line of a real capture with its plain-word meaning', () => {
  const plain = runCli(['read', 'test/fixtures/packet/lab.pcap']);
  const explained = runCli(['read', '--explain', 'test/fixtures/packet/lab.pcap']);
  assert.equal(explained.status, 0, explained.stderr);
  const plainLines = plain.stdout.trimEnd().split('\n');
  const lines = explained.stdout.trimEnd().split('\n');
  assert.equal(lines.length, plainLines.length, 'one line per packet, as without --explain');
  for (const [i, line] of lines.entries()) {
    assert.ok(line.startsWith(plainLines[i]), `line ${i + 1} keeps tcpdump's text`);
  }
  const notes = lines.filter((l) => l.includes('   <- ')).map((l) => l.split('   <- ')[1]);
  assert.deepEqual(notes.slice(0, 3), [
    'handshake 1/3 (SYN)',
    'handshake 2/3 (SYN-ACK)',
    'handshake 3/3 (ACK)',
  ]);
  assert.ok(notes.includes('request (GET /), data 1:79'));
  assert.ok(notes.some((n) => n.startsWith('close 4/4')));
  const arp = lines.find((l) => l.includes('ARP, Request'));
  assert.ok(arp && !arp.includes('<-'), 'non-TCP lines are left as tcpdump prints them');
});
