// Mode 1 (TAP): the stack on its own address in the TAP subnet. Everything happens inside a
// namespace of the test's own, so the fixed addresses below collide with nothing.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { run } from '../../../src/lab/sys.js';
import { startCapture } from '../../helpers/netns.js';
import {
  cliIn,
  createNetns,
  kernelPing,
  RST,
  startAgent,
  startServer,
  tcpSegmentsInPcap,
} from './helpers.js';

const TAP = 'sntap0';
const LINK = { tap: TAP, ip: ['10.98.1.2/24', 'fd98:1::2/64'] };
const IP_ARGS = LINK.ip.flatMap((a) => ['--ip', a]);
const KERNEL_V4 = '10.98.1.1';
const KERNEL_V6 = 'fd98:1::1';

test('TAP mode: the kernel pings the stack over IPv4 and IPv6 (ARP and ND answered by the stack)', async (t) => {
  const ns = createNetns(t);
  const agent = await startAgent(t, ns, { link: LINK, action: 'serve' });
  assert.equal(agent.events[0].mode, 'tap');
  assert.equal(kernelPing(ns, '10.98.1.2'), 2);
  assert.equal(kernelPing(ns, 'fd98:1::2'), 2);
  assert.equal(kernelPing(ns, '10.98.1.2', 1, 3000), 1, 'fragmented request, fragmented reply');
  agent.child.kill('SIGTERM');
  await agent.exited;
  const stats = agent.events.find((e) => e.event === 'stats')?.stats as {
    txEchoReplies: number;
    txArpReplies: number;
    txNeighborAdverts: number;
    reassembly: { datagramsReassembled: number };
  };
  assert.equal(stats.txEchoReplies, 5);
  assert.ok(stats.txArpReplies >= 1);
  assert.ok(stats.txNeighborAdverts >= 1);
  assert.equal(stats.reassembly.datagramsReassembled, 1);
  assert.throws(() => run(['ip', 'link', 'show', TAP], { netns: ns }), 'the TAP vanished with the stack');
});

test('TAP mode: synack ping reaches the kernel over IPv4 and IPv6, also with fragments', (t) => {
  const ns = createNetns(t);
  for (const [dst, extra] of [
    [KERNEL_V4, []],
    [KERNEL_V6, ['-6']],
    [KERNEL_V4, ['-s', '3000']],
  ] as const) {
    const r = cliIn(ns, ['ping', dst, '-c', '2', '-i', '0.2', '--tap', TAP, ...IP_ARGS, ...extra]);
    assert.equal(r.status, 0, `${r.stdout}\n${r.stderr}`);
    assert.ok(r.stdout.startsWith(`PING ${dst} (${dst}) `), r.stdout);
    assert.match(r.stdout, /bytes from .*: icmp_seq=1 ttl=64 time=[0-9.]+ ms/);
    assert.match(r.stdout, /2 packets transmitted, 2 received, 0% packet loss/);
    assert.match(r.stdout, /rtt min\/avg\/max\/mdev = /);
    assert.match(r.stderr, /TAP mode/);
  }
});

test('TAP mode: no reply -> exit 1 with 100% loss', (t) => {
  const ns = createNetns(t);
  const r = cliIn(ns, ['ping', '10.98.1.77', '-c', '1', '-W', '1', '--tap', TAP, '--ip', LINK.ip[0]]);
  assert.equal(r.status, 1, r.stderr);
  assert.match(r.stdout, /1 packets transmitted, 0 received, 100% packet loss/);
});

for (const family of [4, 6] as const) {
  test(`TAP mode: a SYN from sendTcp gets a SYN-ACK from Python (IPv${family}); the kernel sends no RST`, async (t) => {
    const ns = createNetns(t);
    await startServer(t, ns, family === 4 ? '0.0.0.0' : '::', 8080);
    const dst = family === 4 ? KERNEL_V4 : KERNEL_V6;
    const agent = await startAgent(t, ns, {
      link: LINK,
      action: 'syn',
      dst,
      port: 8080,
      srcPort: 40123,
      waitForGo: true,
      lingerMs: 1500,
    });
    const capture = await startCapture(t, { netns: ns, iface: TAP, filter: 'tcp' });
    agent.go();
    await agent.exited;
    await capture.stop();
    const synAck = agent.events.find((e) => e.event === 'segment' && e.synAck === true);
    assert.ok(synAck, JSON.stringify(agent.events));
    assert.equal(synAck.from, dst);
    const segments = tcpSegmentsInPcap(capture.path);
    assert.ok(
      segments.some((s) => (s.flags & 0x12) === 0x12),
      'the capture saw the SYN-ACK',
    );
    assert.deepEqual(
      segments.filter((s) => s.flags & RST),
      [],
      'no RST on the link',
    );
  });
}

test('TAP mode: a busy TAP name is a clear user error', async (t) => {
  const ns = createNetns(t);
  await startAgent(t, ns, { link: LINK, action: 'serve' });
  const r = cliIn(ns, ['ping', KERNEL_V4, '-c', '1', '--tap', TAP, ...IP_ARGS]);
  assert.equal(r.status, 1);
  assert.match(r.stderr, /^synack: /m);
  assert.match(r.stderr, /next: /);
  assert.doesNotMatch(r.stderr, /\n\s+at /, 'no stack trace');
});
