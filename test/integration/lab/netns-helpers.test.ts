// The shared test helpers themselves, as root: namespace pairs, commands inside them, and tcpdump
// captures that start before the first packet and end with a complete file.
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { test } from 'node:test';
import {
  countPcapRecords,
  createNetnsPair,
  netnsExec,
  netnsSpawn,
  startCapture,
} from '../../helpers/netns.js';

test('a namespace pair reaches itself over IPv4 and IPv6, and is gone after the test', async (t) => {
  let names: string[] = [];
  await t.test('pair', (tt) => {
    const pair = createNetnsPair(tt);
    names = [pair.a.netns, pair.b.netns];
    // -w: keep asking for up to 5 s (a veth that just came up may lose the first probe).
    netnsExec(pair.a.netns, ['ping', '-c', '1', '-w', '5', pair.b.ipv4]);
    netnsExec(pair.a.netns, ['ping', '-6', '-c', '1', '-w', '5', pair.b.ipv6]);
    assert.ok(names.every((n) => existsSync(`/run/netns/${n}`)));
  });
  assert.equal(names.length, 2);
  for (const n of names) assert.ok(!existsSync(`/run/netns/${n}`), `${n} removed by t.after`);
});

test('a capture sees every packet, from the first, and writes a complete pcap', async (t) => {
  const pair = createNetnsPair(t);
  const capture = await startCapture(t, { netns: pair.b.netns, iface: pair.b.ifname, filter: 'icmp' });
  netnsExec(pair.a.netns, ['ping', '-c', '5', '-i', '0.01', '-W', '2', pair.b.ipv4]);
  const { packets } = await capture.stop();
  assert.equal(packets, 10, '5 echo requests and 5 replies');
  assert.equal(countPcapRecords(capture.path), 10);
});

test('a spawned command in a namespace is stopped by t.after', async (t) => {
  const pair = createNetnsPair(t);
  const child = netnsSpawn(t, pair.a.netns, ['sleep', '30']);
  await new Promise((r) => setTimeout(r, 50));
  assert.equal(child.exitCode, null);
  const out = netnsExec(pair.a.netns, ['ip', '-br', 'addr', 'show', 'dev', 'veth0']);
  assert.match(out, /10\.99\.0\.1\/24/);
});
