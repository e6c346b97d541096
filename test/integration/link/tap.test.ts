// TAP and TUN devices against the real kernel, inside a namespace made for each test.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openTap } from '../../../src/link/tap.js';
import { openTun } from '../../../src/link/tun.js';
import { SysError } from '../../../src/sys/errors.js';
import { answer, background, ipv4, mac, netns, openFds, run, sh, sleep, uniqueName } from './lab.js';

const OUR_MAC = '02:5a:00:00:00:02';

for (const [vnetHeader, pump] of [
  [false, 'uv'],
  [true, 'uv'],
  [false, 'worker'],
  [true, 'worker'],
] as const) {
  test(`the kernel pings an address we answer by hand over a TAP (vnet header ${vnetHeader}, ${pump} pump)`, async (t) => {
    const ns = netns(t);
    const tap = openTap({ netns: ns, addresses: ['10.231.7.1/24'], mtu: 1400, vnetHeader, pump });
    t.after(() => tap.close());
    assert.equal(tap.linkType, 'ethernet');
    assert.equal(tap.mtu, 1400);
    assert.match(tap.name, /^synack\d+$/);
    assert.match(sh(`ip -n ${ns} link show dev ${tap.name}`), /mtu 1400 .*state (UP|UNKNOWN).* qlen 4096/);
    let requests = 0;
    tap.setReceiver((frame) => {
      const reply = answer(frame, mac(OUR_MAC), ipv4('10.231.7.2'));
      if (reply === null) return;
      requests++;
      tap.transmit(reply);
    });
    const ping = await run('ip', [
      'netns',
      'exec',
      ns,
      'ping',
      '-c',
      '3',
      '-i',
      '0.2',
      '-W',
      '2',
      '10.231.7.2',
    ]);
    assert.equal(ping.code, 0, ping.out);
    assert.match(ping.out, /3 received/);
    assert.match(sh(`ip -n ${ns} neigh show 10.231.7.2`), new RegExp(OUR_MAC));
    assert.ok(requests >= 4, 'an ARP request and three echo requests were answered');
    assert.ok(tap.stats.rx.frames >= 4);
    assert.equal(tap.pumpKind, pump);
    assert.equal(tap.stats.tx.sent, requests);
    const name = tap.name;
    tap.close();
    assert.equal(spawnSync('ip', ['-n', ns, 'link', 'show', 'dev', name]).status, 1, 'the TAP is gone');
  });
}

test('frames we write to a TAP show up in tcpdump on it', async (t) => {
  const ns = netns(t);
  const tap = openTap({ netns: ns, name: uniqueName('sktap') });
  t.after(() => tap.close());
  const dump = background(t, 'ip', [
    'netns',
    'exec',
    ns,
    'tcpdump',
    '-i',
    tap.name,
    '-c',
    '1',
    '-nn',
    '-l',
    '-e',
    'ether',
    'src',
    OUR_MAC,
  ]);
  let out = '';
  dump.stdout?.on('data', (d) => {
    out += d;
  });
  dump.stderr?.on('data', (d) => {
    out += d;
  });
  const exited = new Promise((r) => dump.on('exit', r));
  while (!out.includes('listening')) await sleep(20);
  const frame = new Uint8Array(60);
  frame.fill(0xff, 0, 6);
  frame.set(mac(OUR_MAC), 6);
  frame.set([0x88, 0xb5], 12); // local experimental EtherType 1 (IEEE 802)
  frame.set(new TextEncoder().encode('synack was here'), 14);
  for (let i = 0; i < 50 && dump.exitCode === null; i++) {
    tap.transmit(frame);
    await sleep(20);
  }
  await exited;
  assert.match(out, new RegExp(`${OUR_MAC} > ff:ff:ff:ff:ff:ff, ethertype Unknown \\(0x88b5\\), length 60`));
});

test('a TUN device carries bare IPv4 packets both ways', async (t) => {
  const ns = netns(t);
  const tun = openTun({ netns: ns, addresses: ['10.231.8.1/24'] });
  t.after(() => tun.close());
  assert.equal(tun.linkType, 'ip');
  let answered = 0;
  tun.setReceiver((packet) => {
    const reply = answer(packet, new Uint8Array(6), ipv4('10.231.8.2'), false);
    if (reply === null) return;
    answered++;
    tun.transmit(reply);
  });
  const ping = await run('ip', [
    'netns',
    'exec',
    ns,
    'ping',
    '-c',
    '2',
    '-i',
    '0.2',
    '-W',
    '2',
    '10.231.8.2',
  ]);
  assert.equal(ping.code, 0, ping.out);
  assert.equal(answered, 2);
});

test('routes and attaching to an existing persistent TAP leave it as it was', (t) => {
  const local = uniqueName('skper');
  sh(`ip tuntap add dev ${local} mode tap`);
  t.after(() => {
    spawnSync('ip', ['link', 'del', local]);
  });
  const tap = openTap({ name: local, addresses: ['10.231.9.1/24'], routes: ['10.231.99.0/24'] });
  assert.equal(tap.created, false);
  assert.match(sh(`ip route show 10.231.99.0/24`), new RegExp(`dev ${local}`));
  tap.close();
  assert.match(sh(`ip link show dev ${local}`), new RegExp(local), 'a persistent TAP stays');
  assert.doesNotMatch(sh(`ip addr show dev ${local}`), /10\.231\.9\.1/, 'our address is removed');
  assert.equal(sh('ip route show 10.231.99.0/24').trim(), '', 'our route is removed');
});

test('errors are typed and name the call', (t) => {
  const ns = netns(t);
  assert.throws(
    () => openTap({ name: 'lo' }),
    (err: unknown) =>
      err instanceof SysError && err.syscall === 'ioctl' && /TUNSETIFF lo failed: E/.test(err.message),
  );
  assert.throws(() => openTap({ name: 'a-name-that-is-too-long' }), /longer than 15 bytes/);
  assert.throws(() => openTap({ netns: `${ns}-missing` }), /ip link set .* failed/);
});

test('no fd or worker leak: open/close cycles, and a process that used a TAP exits by itself', async () => {
  const cycle = async () => {
    const tap = openTap();
    tap.setReceiver(() => {});
    await sleep(10);
    tap.close();
    await tap.released;
  };
  await cycle(); // the first worker and koffi set up what they keep for the process
  const before = openFds();
  for (let i = 0; i < 5; i++) await cycle();
  assert.equal(openFds(), before);
  const tapModule = fileURLToPath(new URL('../../../src/link/tap.ts', import.meta.url));
  for (const pump of ['uv', 'worker']) {
    const script = `
      import { openTap } from ${JSON.stringify(tapModule)};
      const tap = openTap({ addresses: ['10.231.10.1/24'], pump: '${pump}' });
      tap.setReceiver(() => {});
      setTimeout(() => { tap.close(); console.log('closed'); }, 100);
    `;
    const child = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      15_000,
    );
    assert.equal(child.code, 0, `${pump}: ${child.out}`);
    assert.match(child.out, /closed/);
  }
});
