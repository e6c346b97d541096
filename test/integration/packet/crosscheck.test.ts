// Cross-checks on live traffic (root): curl against Python's http.server, ping over IPv4 and IPv6,
// a UDP exchange, ARP and neighbor discovery, IPv4 fragments and an ICMP port unreachable, all made
// between two throwaway namespaces and captured by tcpdump -w. Then:
//   - `synack read` must print what `tcpdump -n -r` prints (also with -e and --tt), line by line, up to
//     the end of the transport part (see test/unit/packet/tcpdump-lines.ts for the cut);
//   - `synack read --json` fields must equal tshark's for the same frames;
//   - a pcap written by writePcap must open in tshark without errors or malformed packets.
process.env.TZ = 'UTC';

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import {
  Ether,
  ICMP,
  ICMPv6EchoRequest,
  IP,
  IPv6,
  parseTcpFlags,
  Raw,
  readPcap,
  TCP,
  UDP,
  writePcap,
} from '../../../src/packet/index.js';
import { runCli } from '../../helpers/cli.js';
import { createNetnsPair, netnsExec, netnsSpawn, startCapture } from '../../helpers/netns.js';
import { cutToTransport, tcpdumpRecords } from '../../unit/packet/tcpdump-lines.js';

const UDP_ECHO = `
import socket
s = socket.socket(socket.AF_INET6, socket.SOCK_DGRAM)
s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
s.bind(("::", 9999))
while True:
    d, a = s.recvfrom(65535)
    s.sendto(d.upper(), a)
`;

const UDP_CLIENT = (v4: string, v6: string) => `
import socket
for fam, addr in ((socket.AF_INET, "${v4}"), (socket.AF_INET6, "${v6}")):
    s = socket.socket(fam, socket.SOCK_DGRAM)
    s.settimeout(2)
    s.sendto(b"hello synack", (addr, 9999))
    s.recvfrom(100)
    s.sendto(b"nobody listens", (addr, 9))
    try:
        s.recvfrom(100)
    except OSError:
        pass
`;

function tcpdump(args: string[]): string {
  return execFileSync('tcpdump', args, {
    stdio: ['ignore', 'pipe', 'ignore'],
    env: { ...process.env, TZ: 'UTC' },
  }).toString();
}

function compareWithTcpdump(pcap: string, synackArgs: string[], tcpdumpArgs: string[]): number {
  const r = runCli(['read', ...synackArgs, pcap]);
  assert.equal(r.status, 0, r.stderr);
  const ours = tcpdumpRecords(r.stdout);
  const theirs = tcpdumpRecords(tcpdump([...tcpdumpArgs, '-n', '-r', pcap]));
  assert.equal(ours.length, theirs.length, 'same number of packets');
  ours.forEach((line, i) => {
    assert.equal(line, cutToTransport(theirs[i], line), `packet ${i + 1} (${synackArgs.join(' ')})`);
  });
  return ours.length;
}

async function waitForHttp(netns: string, url: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      netnsExec(netns, ['curl', '-s', '-o', '/dev/null', '--max-time', '1', url]);
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`http server at ${url} did not come up`);
}

// ---- tshark fields vs synack --json ----

const TSHARK_FIELDS = [
  'eth.src',
  'eth.type',
  'arp.opcode',
  'arp.src.proto_ipv4',
  'ip.src',
  'ip.dst',
  'ip.ttl',
  'ip.id',
  'ip.len',
  'ipv6.src',
  'ipv6.plen',
  'tcp.srcport',
  'tcp.dstport',
  'tcp.seq_raw',
  'tcp.ack_raw',
  'tcp.flags',
  'tcp.window_size_value',
  'tcp.options.mss_val',
  'udp.srcport',
  'udp.length',
  'icmp.type',
  'icmp.seq',
  'icmpv6.type',
  'icmpv6.echo.sequence_number',
] as const;
type Field = (typeof TSHARK_FIELDS)[number];

interface JsonLayer {
  layer: string;
  [field: string]: unknown;
}

const hex4 = (n: number) => `0x${n.toString(16).padStart(4, '0')}`;

/** The same fields from synack's JSON, each as tshark lists occurrences (comma-separated). */
function oursFor(layers: JsonLayer[]): Record<Field, string> {
  const all = (name: string, pick: (l: JsonLayer) => unknown) =>
    layers
      .filter((l) => l.layer === name)
      .map(pick)
      .filter((v) => v !== undefined && v !== null)
      .join(',');
  const icmp6 = layers.filter((l) => l.layer.startsWith('ICMPv6'));
  return {
    'eth.src': all('Ether', (l) => l.src),
    'eth.type': all('Ether', (l) => hex4(l.type as number)),
    'arp.opcode': all('ARP', (l) => l.op),
    'arp.src.proto_ipv4': all('ARP', (l) => l.psrc),
    'ip.src': all('IP', (l) => l.src),
    'ip.dst': all('IP', (l) => l.dst),
    'ip.ttl': all('IP', (l) => l.ttl),
    'ip.id': all('IP', (l) => hex4(l.id as number)),
    'ip.len': all('IP', (l) => l.len),
    'ipv6.src': all('IPv6', (l) => l.src),
    'ipv6.plen': all('IPv6', (l) => l.plen),
    'tcp.srcport': all('TCP', (l) => l.sport),
    'tcp.dstport': all('TCP', (l) => l.dport),
    'tcp.seq_raw': all('TCP', (l) => l.seq),
    'tcp.ack_raw': all('TCP', (l) => l.ack),
    'tcp.flags': all('TCP', (l) => hex4(parseTcpFlags(l.flags as string))),
    'tcp.window_size_value': all('TCP', (l) => l.window),
    'tcp.options.mss_val': all(
      'TCP',
      (l) => (l.options as { kind: string; mss?: number }[]).find((o) => o.kind === 'mss')?.mss,
    ),
    'udp.srcport': all('UDP', (l) => l.sport),
    'udp.length': all('UDP', (l) => l.len),
    'icmp.type': all('ICMP', (l) => l.type),
    'icmp.seq': all('ICMP', (l) => (l.type === 0 || l.type === 8 ? l.seq : undefined)),
    'icmpv6.type': icmp6.map((l) => l.type).join(','),
    'icmpv6.echo.sequence_number': icmp6
      .filter((l) => l.type === 128 || l.type === 129)
      .map((l) => l.seq)
      .join(','),
  };
}

function tsharkRows(pcap: string): Record<Field, string>[] {
  const args = [
    '-r',
    pcap,
    '-o',
    'ip.defragment:FALSE',
    '-o',
    'ipv6.defragment:FALSE',
    '-T',
    'fields',
    '-E',
    'separator=/t',
  ];
  for (const f of TSHARK_FIELDS) args.push('-e', f);
  const out = execFileSync('tshark', args, { stdio: ['ignore', 'pipe', 'pipe'] }).toString();
  return out
    .split('\n')
    .filter((l) => l.length > 0)
    .map((line) => {
      const cols = line.split('\t');
      return Object.fromEntries(TSHARK_FIELDS.map((f, i) => [f, cols[i] ?? ''])) as Record<Field, string>;
    });
}

function compareWithTshark(pcap: string): number {
  const r = runCli(['read', '--json', pcap]);
  assert.equal(r.status, 0, r.stderr);
  const ours = r.stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { layers: JsonLayer[] });
  const theirs = tsharkRows(pcap);
  assert.equal(ours.length, theirs.length);
  let compared = 0;
  ours.forEach((pkt, i) => {
    const mine = oursFor(pkt.layers);
    for (const f of TSHARK_FIELDS) {
      // tshark prints a few fields in its own notation; normalise only the notation, never the value.
      let want = theirs[i][f];
      if (f === 'icmpv6.type' && want.includes(',')) want = want.split(',')[0];
      assert.equal(String(mine[f]), want, `frame ${i + 1} ${f}`);
      if (want !== '') compared++;
    }
  });
  return compared;
}

test('synack read agrees with tcpdump and tshark on live traffic', { timeout: 120_000 }, async (t) => {
  const pair = createNetnsPair(t);
  const { a, b } = pair;
  netnsSpawn(t, b.netns, [
    '/usr/bin/python3',
    '-m',
    'http.server',
    '80',
    '--bind',
    '::',
    '--directory',
    '/usr/share/doc',
  ]);
  netnsSpawn(t, b.netns, ['/usr/bin/python3', '-c', UDP_ECHO]);
  await waitForHttp(a.netns, `http://${b.ipv4}/`);
  netnsExec(a.netns, ['ip', 'neigh', 'flush', 'dev', a.ifname]);
  netnsExec(a.netns, ['ip', '-6', 'neigh', 'flush', 'dev', a.ifname]);

  const cap = await startCapture(t, { netns: a.netns, iface: a.ifname });
  netnsExec(a.netns, ['ping', '-c', '2', '-i', '0.2', b.ipv4]);
  netnsExec(a.netns, ['ping', '-6', '-c', '2', '-i', '0.2', b.ipv6]);
  netnsExec(a.netns, ['curl', '-s', '-o', '/dev/null', `http://${b.ipv4}/`]);
  netnsExec(a.netns, ['curl', '-s', '-o', '/dev/null', `http://[${b.ipv6}]/`]);
  netnsExec(a.netns, ['/usr/bin/python3', '-c', UDP_CLIENT(b.ipv4, b.ipv6)]);
  netnsExec(a.netns, ['ping', '-c', '1', '-s', '3000', b.ipv4]);
  const { packets } = await cap.stop();
  assert.ok(packets > 40, `captured ${packets} packets`);

  const n = compareWithTcpdump(cap.path, [], []);
  assert.equal(n, packets);
  compareWithTcpdump(cap.path, ['-e'], ['-e']);
  compareWithTcpdump(cap.path, ['--tt'], ['-tt']);

  // The capture has what the brief asks for.
  const text = runCli(['read', cap.path]).stdout;
  for (const want of [
    /ARP, Request who-has/,
    /ARP, Reply .* is-at/,
    /ICMP echo request, id \d+, seq 1, length 64/,
    /ICMP6, echo reply/,
    /ICMP6, neighbor solicitation, who has/,
    /Flags \[S\], seq \d+, win \d+, options \[mss \d+,sackOK,TS val \d+ ecr 0,nop,wscale \d+\], length 0/,
    /Flags \[P\.\], seq 1:\d+, ack 1, win \d+, options \[nop,nop,TS val \d+ ecr \d+\], length \d+: HTTP: GET \/ HTTP\/1\.1/,
    /HTTP: HTTP\/1\.0 200 OK/,
    /UDP, length 12/,
    /udp port 9 unreachable/,
    /ip-proto-1/,
  ]) {
    assert.match(text, want);
  }

  const compared = compareWithTshark(cap.path);
  assert.ok(compared > 300, `compared ${compared} field values with tshark`);

  // A pcap written by synack opens in tshark without errors or malformed packets.
  const dir = mkdtempSync(join(tmpdir(), 'synack-xcheck-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const written = join(dir, 'written.pcap');
  const made = [
    Ether()
      .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
      .over(
        TCP({
          flags: 'S',
          options: [['MSS', 1460], ['SAckOK', ''], ['Timestamp', [1, 0]], ['NOP'], ['WScale', 7]],
        }),
      ),
    Ether()
      .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
      .over(UDP({ sport: 5000, dport: 6000 }))
      .over(Raw({ load: 'hi' })),
    Ether()
      .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
      .over(ICMP({ id: 1, seq: 1 })),
    Ether()
      .over(IPv6({ src: 'fd00::1', dst: 'fd00::2' }))
      .over(ICMPv6EchoRequest({ id: 1, seq: 1 })),
  ];
  const count = writePcap(written, [...readPcap(cap.path), ...made]);
  const res = execFileSync(
    'tshark',
    ['-r', written, '-T', 'fields', '-e', 'frame.number', '-e', '_ws.malformed', '-e', '_ws.expert.severity'],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  ).toString();
  const rows = res.trim().split('\n');
  assert.equal(rows.length, count);
  for (const row of rows) {
    const [, malformed, severity] = row.split('\t');
    assert.equal(malformed ?? '', '', `tshark: malformed frame ${row}`);
    assert.ok(!/error/i.test(severity ?? ''), `tshark expert error in ${row}`);
  }
  // What synack built itself must also carry correct checksums (the captured frames may not: veth
  // checksum offload leaves them partial).
  const built = join(dir, 'built.pcap');
  writePcap(built, made);
  const bad = execFileSync(
    'tshark',
    [
      '-r',
      built,
      '-o',
      'tcp.check_checksum:TRUE',
      '-o',
      'udp.check_checksum:TRUE',
      '-o',
      'ip.check_checksum:TRUE',
      '-Y',
      'ip.checksum.status != 2 && ip.checksum.status != 1 || tcp.checksum.status == 0 || udp.checksum.status == 0 || icmp.checksum.status == 0 || icmpv6.checksum.status == 0',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  ).toString();
  assert.equal(bad.trim(), '', 'no bad checksums in what synack built');
  const good = execFileSync(
    'tshark',
    [
      '-r',
      built,
      '-o',
      'tcp.check_checksum:TRUE',
      '-o',
      'udp.check_checksum:TRUE',
      '-o',
      'ip.check_checksum:TRUE',
      '-T',
      'fields',
      '-e',
      'ip.checksum.status',
      '-e',
      'tcp.checksum.status',
      '-e',
      'udp.checksum.status',
      '-e',
      'icmp.checksum.status',
      '-e',
      'icmpv6.checksum.status',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  ).toString();
  // tshark: 1 = good. Every built frame has at least one verified checksum and none that is not good.
  for (const row of good.trim().split('\n')) {
    const statuses = row.split('\t').filter((x) => x !== '');
    assert.ok(statuses.length > 0 && statuses.every((x) => x === '1'), `checksum status ${row}`);
  }
});
