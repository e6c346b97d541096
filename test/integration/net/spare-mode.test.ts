// Mode 2 (spare address over AF_PACKET): the stack runs in namespace A on A's veth with an address
// and MAC no kernel owns, answering ARP/ND itself; namespace B is the other side of the wire.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createNetnsPair, startCapture } from '../../helpers/netns.js';
import { cliIn, kernelPing, RST, startAgent, startServer, tcpSegmentsInPcap } from './helpers.js';

const SPARE_V4 = '10.99.0.3';
const SPARE_V6 = 'fd99::3';
const LINK = { iface: 'veth0', ip: [`${SPARE_V4}/24`, `${SPARE_V6}/64`] };
const IP_ARGS = LINK.ip.flatMap((a) => ['--ip', a]);

test('spare mode: the neighbor namespace pings the spare address (v4 and v6); only the stack answers', async (t) => {
  const { a, b } = createNetnsPair(t);
  const agent = await startAgent(t, a.netns, { link: LINK, action: 'serve' });
  assert.equal(agent.events[0].mode, 'spare');
  assert.match(String(agent.events[0].explanation), /spare-address mode/);
  assert.equal(kernelPing(b.netns, SPARE_V4), 2);
  assert.equal(kernelPing(b.netns, SPARE_V6), 2);
  agent.child.kill('SIGTERM');
  await agent.exited;
  const stats = agent.events.find((e) => e.event === 'stats')?.stats as {
    txEchoReplies: number;
    txArpReplies: number;
  };
  assert.equal(stats.txEchoReplies, 4);
  assert.ok(stats.txArpReplies >= 1, 'ARP for the spare address answered in userspace');
});

test('spare mode: synack ping reaches the neighbor over IPv4 and IPv6', (t) => {
  const { a, b } = createNetnsPair(t);
  for (const dst of [b.ipv4, b.ipv6]) {
    const r = cliIn(a.netns, ['ping', dst, '-c', '2', '-i', '0.2', '--iface', a.ifname, ...IP_ARGS]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.match(r.stdout, /2 packets transmitted, 2 received, 0% packet loss/);
    assert.match(r.stderr, /spare-address mode/);
  }
});

for (const family of [4, 6] as const) {
  test(`spare mode: SYN to a Python server gets a SYN-ACK (IPv${family}); the kernel sends no RST`, async (t) => {
    const { a, b } = createNetnsPair(t);
    const server = family === 4 ? b.ipv4 : b.ipv6;
    await startServer(t, b.netns, server, 8080);
    const agent = await startAgent(t, a.netns, {
      link: LINK,
      action: 'syn',
      dst: server,
      port: 8080,
      srcPort: 40200,
      waitForGo: true,
    });
    const capture = await startCapture(t, { netns: b.netns, iface: b.ifname, filter: 'tcp' });
    agent.go();
    await agent.exited;
    await capture.stop();
    const synAck = agent.events.find((e) => e.event === 'segment' && e.synAck === true);
    assert.ok(synAck, JSON.stringify(agent.events));
    const segments = tcpSegmentsInPcap(capture.path);
    assert.ok(segments.some((s) => (s.flags & 0x12) === 0x12));
    assert.deepEqual(
      segments.filter((s) => s.flags & RST),
      [],
    );
  });
}

test('spare mode: an address another host already uses is refused with a clear error', (t) => {
  const { a, b } = createNetnsPair(t);
  const r = cliIn(a.netns, ['ping', b.ipv4, '-c', '1', '--iface', a.ifname, '--ip', `${b.ipv4}/24`]);
  assert.equal(r.status, 1, r.stdout);
  assert.match(r.stderr, new RegExp(`synack: ${b.ipv4.replaceAll('.', '\\.')} is already used by ${b.mac}`));
  assert.match(r.stderr, /next: pick a free address/);
});
