// sniff() on a real interface sees the kernel's own traffic (ping, curl, UDP, ARP, fragments, IPv4
// and IPv6), and for a set of filter expressions selects exactly the packets `tcpdump -r FILE EXPR`
// selects from the same capture: same count, same bytes, same lines. Root; run alone.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { run } from '../../../src/lab/sys.js';
import { openPacketSocket } from '../../../src/link/packet-socket.js';
import { ARP, ICMP, IP, type Packet, TCP, TcpdumpFormatter } from '../../../src/packet/index.js';
import { readPcap, writePcap } from '../../../src/packet/pcap.js';
import { AsyncSniffer, compileFilter, sniff } from '../../../src/sendrecv/index.js';
import { background, exited, startHttpServer, vethNamespace } from './helpers.js';

function tcpdump(args: string[]): string {
  return execFileSync('tcpdump', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
}

test('sniff sees the kernel’s traffic, and filters select what tcpdump selects', async (t) => {
  const v = vethNamespace(t);
  await startHttpServer(t, v.netns, v.peerV4, 8000);
  await startHttpServer(t, v.netns, v.peerV6, 8000);
  const device = openPacketSocket(v.hostIf, { ignoreOutgoing: false });
  t.after(() => device.close());
  const sniffer = new AsyncSniffer({ device }).start();
  run(['ip', 'neigh', 'flush', 'dev', v.hostIf]);
  const traffic = [
    ['ping', '-c', '3', '-i', '0.2', v.peerV4],
    ['ping', '-6', '-c', '2', '-i', '0.2', v.peerV6],
    ['ping', '-c', '1', '-s', '3000', v.peerV4],
    ['curl', '-s', '-o', '/dev/null', `http://${v.peerV4}:8000/`],
    ['curl', '-s', '-o', '/dev/null', `http://[${v.peerV6}]:8000/`],
    ['bash', '-c', `echo hello > /dev/udp/${v.peerV4}/40404; echo hello > /dev/udp/${v.peerV6}/40404`],
  ];
  for (const argv of traffic) await exited(background(t, argv));
  await new Promise((r) => setTimeout(r, 300));
  const packets = await sniffer.stop();

  const v4 = (p: Packet) => p.find(IP);
  assert.ok(
    packets.filter((p) => p.find(ICMP)?.type === 8 && v4(p)?.dst === v.peerV4).length >= 3,
    'echo requests',
  );
  assert.ok(
    packets.filter((p) => p.find(ICMP)?.type === 0 && v4(p)?.src === v.peerV4).length >= 3,
    'echo replies',
  );
  assert.ok(
    packets.some((p) => p.find(TCP)?.flagStr === 'S' && p.find(TCP)?.dport === 8000),
    'curl’s SYN',
  );
  assert.ok(
    packets.some((p) => p.has(ARP)),
    'ARP',
  );
  assert.ok(
    packets.some((p) => (v4(p)?.frag ?? 0) > 0),
    'IPv4 fragments',
  );

  const dir = mkdtempSync(join(tmpdir(), 'synack-sniff-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'all.pcap');
  assert.equal(writePcap(file, packets), packets.length);
  const records = [...readPcap(file)];
  const expressions = [
    'tcp',
    'udp',
    'icmp',
    'icmp6',
    'arp',
    'ip',
    'ip6',
    `host ${v.peerV4}`,
    `src host ${v.hostV4}`,
    `dst ${v.peerV6}`,
    'port 8000',
    'tcp dst port 8000',
    'udp port 40404 or icmp',
    'portrange 5000-9000',
    `net ${v.prefix} and not arp`,
    'tcp[tcpflags] & tcp-syn != 0',
    'tcp[tcpflags] & (tcp-syn|tcp-fin) != 0 and not src port 8000',
    'icmp[icmptype] = icmp-echo',
    'ip[6:2] & 0x1fff != 0',
    'greater 1000',
    'less 64',
    '(tcp or udp) && !(port 40404)',
    'ether broadcast or ether multicast',
    `ether host ${run(['cat', `/sys/class/net/${v.hostIf}/address`]).trim()}`,
    'ip proto 17 or ip6 proto 58',
  ];
  for (const expr of expressions) {
    const accept = compileFilter(expr);
    const ours = records.filter((p) => accept(p.original as Uint8Array));
    const theirsFile = join(dir, 'theirs.pcap');
    tcpdump(['-r', file, '-w', theirsFile, expr]);
    const theirs = [...readPcap(theirsFile)];
    assert.equal(ours.length, theirs.length, `${expr}: count`);
    assert.ok(
      ours.every((p, i) => Buffer.compare(p.original as Uint8Array, theirs[i].original as Uint8Array) === 0),
      `${expr}: the same frames`,
    );
    const formatter = new TcpdumpFormatter({ timestamps: 'epoch' });
    const ourLines = ours.map((p) => formatter.formatPacket(p));
    const theirLines = tcpdump(['-r', file, '-n', '-tt', expr])
      .split('\n')
      .filter((l) => l !== '' && !/^\s/.test(l));
    assert.deepEqual(ourLines, theirLines, `${expr}: the same lines`);
  }
  assert.ok(records.length > 20, `a real capture (${records.length} packets)`);
});

test('sniff(): count, timeout and stopFilter end the capture; async iteration yields live packets', async (t) => {
  const v = vethNamespace(t);
  const device = openPacketSocket(v.hostIf, { ignoreOutgoing: false });
  t.after(() => device.close());
  const ping = background(t, ['ping', '-c', '20', '-i', '0.2', v.peerV4]);
  const three = await sniff({ device, count: 3, filter: 'icmp' });
  assert.equal(three.length, 3);
  assert.ok(three.every((p) => p.has(ICMP)));
  const stopped = await sniff({ device, filter: 'icmp', stopFilter: (p) => p.get(ICMP).type === 0 });
  assert.equal(stopped.at(-1)?.get(ICMP).type, 0);
  const quiet = await sniff({ device, filter: 'udp port 9', timeout: 0.3 });
  assert.deepEqual(quiet, []);
  const seen: number[] = [];
  for await (const p of new AsyncSniffer({ device, filter: 'icmp', count: 4 }).start())
    seen.push(p.get(ICMP).type);
  assert.equal(seen.length, 4);
  ping.kill('SIGKILL');
});
