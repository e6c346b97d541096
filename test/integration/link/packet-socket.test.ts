// AF_PACKET on one end of a veth pair whose other end lives in a namespace made for each test.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openPacketSocket } from '../../../src/link/packet-socket.js';
import { SysError } from '../../../src/sys/errors.js';
import { arpRequest, background, ipv4, mac, netns, openFds, run, sh, sleep, vethInto } from './lab.js';

const OUR_MAC = '02:5a:00:00:01:02';

function veth(t: Parameters<typeof netns>[0], subnet: number) {
  const ns = netns(t);
  const { outer, inner } = vethInto(t, ns);
  sh(
    `ip addr add 10.232.${subnet}.1/24 dev ${outer} && ip link set ${outer} up && ` +
      `ip -n ${ns} addr add 10.232.${subnet}.2/24 dev ${inner} && ip -n ${ns} link set ${inner} up`,
  );
  return { ns, outer, inner };
}

test('a frame we send is answered by the namespace kernel, and we receive the answer', async (t) => {
  const { outer } = veth(t, 1);
  const dev = openPacketSocket(outer);
  t.after(() => dev.close());
  assert.equal(dev.linkType, 'ethernet');
  assert.equal(dev.mtu, 1500);
  const replies: Uint8Array[] = [];
  dev.setReceiver((frame) => {
    // ARP reply (opcode 2) addressed to our MAC
    if (frame.length >= 42 && frame[12] === 0x08 && frame[13] === 0x06 && frame[21] === 2) {
      if (frame.subarray(0, 6).every((b, i) => b === mac(OUR_MAC)[i])) replies.push(frame.slice());
    }
  });
  const request = arpRequest(mac(OUR_MAC), ipv4('10.232.1.99'), ipv4('10.232.1.2'));
  for (let i = 0; i < 50 && replies.length === 0; i++) {
    dev.transmit(request);
    await sleep(20);
  }
  assert.ok(replies.length > 0, 'an ARP reply came back');
  assert.deepEqual([...replies[0].subarray(28, 32)], [10, 232, 1, 2], 'sender IP is the namespace side');
  assert.ok(dev.stats.tx.sent >= 1);
});

test('a TCP transfer over the veth arrives as large GSO frames with checksumNotReady', async (t) => {
  const { ns, outer } = veth(t, 2);
  const dir = mkdtempSync(join(tmpdir(), 'synack-gso-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(join(dir, 'blob.bin'), new Uint8Array(2_000_000).fill(0x61));
  const server = background(t, 'ip', [
    'netns',
    'exec',
    ns,
    'python3',
    '-m',
    'http.server',
    '-d',
    dir,
    '-b',
    '10.232.2.2',
    '8765',
  ]);
  let ready = false;
  server.stderr?.on('data', () => {});
  server.stdout?.on('data', (d: Buffer) => {
    if (d.toString().includes('Serving')) ready = true;
  });
  const dev = openPacketSocket(outer);
  t.after(() => dev.close());
  let large = 0;
  let largeNotReady = 0;
  let biggest = 0;
  let bytes = 0;
  dev.setReceiver((frame, info) => {
    bytes += frame.length;
    biggest = Math.max(biggest, frame.length);
    if (frame.length > 1514) {
      large++;
      if (info.checksumNotReady) largeNotReady++;
    }
  });
  for (let i = 0; i < 100 && !ready; i++) {
    const probe = await run('ip', ['netns', 'exec', ns, 'sh', '-c', 'ss -ltn | grep -q 8765'], 2000);
    ready = probe.code === 0;
    if (!ready) await sleep(50);
  }
  const curl = await run('curl', [
    '-sS',
    '-o',
    '/dev/null',
    '-w',
    '%{size_download}',
    'http://10.232.2.2:8765/blob.bin',
  ]);
  assert.equal(curl.out.trim(), '2000000', curl.out);
  await sleep(100);
  assert.ok(bytes >= 2_000_000, `received ${bytes} bytes`);
  assert.ok(large > 0, 'some frames are larger than the MTU (GSO)');
  assert.equal(largeNotReady, large, 'every GSO frame reports checksumNotReady');
  assert.ok(biggest > 16_000, `largest frame ${biggest} bytes`);
  assert.equal(dev.stats.rx.dropped, 0);
  const kernel = dev.kernelStats();
  assert.equal(kernel.drops, 0);
  assert.ok(kernel.packets >= dev.stats.rx.frames, `kernel queued ${kernel.packets}`);
});

test('promiscuous membership lasts as long as the socket; outgoing frames are ignored by default', async (t) => {
  const { outer } = veth(t, 3);
  // A packet-socket membership raises the device's promiscuity count (not the PROMISC flag).
  const promiscuity = () => Number(/promiscuity (\d+)/.exec(sh(`ip -d link show dev ${outer}`))?.[1]);
  assert.equal(promiscuity(), 0);
  const dev = openPacketSocket(outer, { promiscuous: true });
  assert.equal(promiscuity(), 1);
  let seen = 0;
  dev.setReceiver(() => seen++);
  const both = openPacketSocket(outer, { ignoreOutgoing: false });
  let seenBoth = 0;
  both.setReceiver(() => seenBoth++);
  // The kernel sends from our side: pings out of `outer` (replies come back in).
  const ping = await run('ping', ['-c', '3', '-i', '0.2', '-W', '2', '-I', outer, '10.232.3.2']);
  assert.equal(ping.code, 0, ping.out);
  await sleep(50);
  assert.ok(seenBoth >= seen + 3, `with outgoing: ${seenBoth}, without: ${seen}`);
  dev.close();
  both.close();
  assert.equal(promiscuity(), 0);
  // ownMac joins the unicast filter; veth has none, so the kernel falls back to promiscuous mode.
  const own = openPacketSocket(outer, { ownMac: OUR_MAC });
  assert.equal(promiscuity(), 1);
  own.close();
  assert.equal(promiscuity(), 0);
  assert.throws(() => openPacketSocket(outer, { ownMac: '02:00:00:00:00' }), /not a MAC address/);
});

test('errors are typed; no fd leak across open/close', async (t) => {
  assert.throws(
    () => openPacketSocket('no-such-if0'),
    (err: unknown) => err instanceof SysError && err.code === 'ENODEV' && err.syscall === 'if_nametoindex',
  );
  const { outer } = veth(t, 4);
  const cycle = async (i: number) => {
    const dev = openPacketSocket(outer, { pump: i % 2 === 0 ? 'worker' : 'uv' });
    dev.setReceiver(() => {});
    await sleep(10);
    dev.close();
    dev.close();
    await dev.released; // the worker pump's thread exits after close()
  };
  await cycle(0); // the first worker and koffi set up what they keep for the process
  const before = openFds();
  for (let i = 1; i <= 6; i++) await cycle(i);
  assert.equal(openFds(), before);
});
