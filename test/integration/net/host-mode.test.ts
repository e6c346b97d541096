// Mode 3 (the host's own address over AF_PACKET, nftables guard). The "host" is namespace A, so
// the guard table lives in A and disappears with it whatever happens.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNetnsPair, startCapture } from '../../helpers/netns.js';
import {
  cliIn,
  kernelPing,
  nftTableExists,
  RST,
  spawnCliIn,
  startAgent,
  startServer,
  tcpSegmentsInPcap,
  waitUntil,
} from './helpers.js';

const LINK = { iface: 'veth0', hostIp: true };

test('host mode: the guard table exists while running and is gone after close; the kernel answers pings', async (t) => {
  const { a, b } = createNetnsPair(t);
  const agent = await startAgent(t, a.netns, { link: LINK, action: 'serve' });
  assert.equal(agent.events[0].mode, 'host');
  assert.deepEqual(
    (agent.events[0].addresses as string[]).slice(0, 2),
    [a.ipv4, a.ipv6],
    'the host’s own addresses',
  );
  assert.ok(nftTableExists(a.netns));
  assert.equal(kernelPing(b.netns, a.ipv4), 2);
  assert.equal(kernelPing(b.netns, a.ipv6), 2);
  agent.child.kill('SIGTERM');
  await agent.exited;
  const stats = agent.events.find((e) => e.event === 'stats')?.stats as {
    txEchoReplies: number;
    txArpReplies: number;
  };
  assert.equal(stats.txEchoReplies, 0, 'the kernel answers for its own address; the stack stays silent');
  assert.equal(stats.txArpReplies, 0);
  assert.equal(nftTableExists(a.netns), false);
});

test('host mode: synack ping reaches the neighbor over IPv4 and IPv6; table removed afterwards', (t) => {
  const { a, b } = createNetnsPair(t);
  for (const dst of [b.ipv4, b.ipv6]) {
    const r = cliIn(a.netns, ['ping', dst, '-c', '2', '-i', '0.2', '--iface', a.ifname, '--host-ip']);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /2 packets transmitted, 2 received, 0% packet loss/);
    assert.match(r.stderr, /host-address mode/);
    assert.equal(nftTableExists(a.netns), false);
  }
});

async function synFrom(t: Parameters<typeof createNetnsPair>[0], srcPort: number) {
  const { a, b } = createNetnsPair(t);
  await startServer(t, b.netns, b.ipv4, 8080);
  const agent = await startAgent(t, a.netns, {
    link: LINK,
    action: 'syn',
    dst: b.ipv4,
    port: 8080,
    srcPort,
    waitForGo: true,
  });
  const capture = await startCapture(t, { netns: b.netns, iface: b.ifname, filter: 'tcp' });
  agent.go();
  await agent.exited;
  await capture.stop();
  return { agent, segments: tcpSegmentsInPcap(capture.path), a };
}

test('host mode: SYN from a guarded port gets a SYN-ACK and the kernel sends no RST', async (t) => {
  const { agent, segments } = await synFrom(t, 61000);
  assert.ok(
    agent.events.some((e) => e.event === 'segment' && e.synAck === true),
    JSON.stringify(agent.events),
  );
  assert.ok(segments.some((s) => (s.flags & 0x12) === 0x12));
  assert.deepEqual(
    segments.filter((s) => s.flags & RST),
    [],
  );
});

test('host mode (control): from a port outside the guarded range the kernel does send RST', async (t) => {
  const { segments, a } = await synFrom(t, 40000);
  assert.ok(
    segments.some((s) => s.flags & RST && s.src === a.ipv4),
    'without the guard the kernel resets the connection it never opened',
  );
});

test('host mode: SIGINT of a running synack ping prints statistics and removes the table', async (t) => {
  const { a, b } = createNetnsPair(t);
  const child = spawnCliIn(t, a.netns, ['ping', b.ipv4, '-i', '0.2', '--iface', a.ifname, '--host-ip']);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  await waitUntil(
    () => /icmp_seq=2 /.test(out),
    exited,
    () => `no replies: ${out}`,
  );
  assert.ok(nftTableExists(a.netns));
  child.kill('SIGINT');
  const code = await exited;
  assert.equal(code, 0);
  assert.match(out, /--- .* ping statistics ---/);
  assert.equal(nftTableExists(a.netns), false);
});

test('host mode: after SIGKILL the table is left, and the next start removes it', async (t) => {
  const { a, b } = createNetnsPair(t);
  const child = spawnCliIn(t, a.netns, ['ping', b.ipv4, '-i', '0.2', '--iface', a.ifname, '--host-ip']);
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  const exited = new Promise((r) => child.once('exit', r));
  await waitUntil(
    () => /icmp_seq=1 /.test(out),
    exited,
    () => `no replies: ${out}`,
  );
  // ip netns exec runs node as the same process (exec), so this kills the stack itself.
  child.kill('SIGKILL');
  await exited;
  assert.ok(nftTableExists(a.netns), 'a killed process cannot clean up');
  const r = cliIn(a.netns, ['ping', b.ipv4, '-c', '1', '--iface', a.ifname, '--host-ip']);
  assert.equal(r.status, 0, r.stderr);
  assert.equal(nftTableExists(a.netns), false);
});
