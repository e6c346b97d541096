// The lab end to end, as root: up (twice), curl from the client namespace for every server,
// family and file, the TAP path through the host, status, down (twice) leaving nothing behind.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, test } from 'node:test';
import { HostStateJournal } from '../../../src/lab/host-state.js';
import {
  CLIENT_LINK,
  HOST_LINK,
  LAB_DNS,
  LAB_FILES,
  LAB_FORWARD_TABLE,
  LAB_NAMESPACES,
  LAB_PATHS,
  LAB_PORTS,
  LAB_SERVER_NAME,
  labUrl,
  TAP_LINK,
} from '../../../src/lab/plan.js';
import type { LabStatus } from '../../../src/lab/status.js';
import { run } from '../../../src/lab/sys.js';
import { readSysctl } from '../../../src/lab/topology.js';
import { runCli } from '../../helpers/cli.js';
import { netnsExec, uniqueName } from '../../helpers/netns.js';
import { startCli, stopChild } from '../app/app-helpers.js';
import { claimLabForTest, curlFromClient, labLeftovers, labProcesses } from './lab-helpers.js';

const FORWARDING = ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding'];

/** One DNS question with scapy's parser: prints "NOERROR <address>" or the rcode's name. */
const DNS_ASK_PY = `
import socket, sys
from scapy.all import DNS, DNSQR
server, name, qtype = sys.argv[1:]
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(10)
s.sendto(bytes(DNS(id=7, rd=1, qd=DNSQR(qname=name, qtype=qtype))), (server, 53))
r = DNS(s.recv(4096))
print('NOERROR ' + str(r.an.rdata) if r.rcode == 0 and r.ancount else {3: 'NXDOMAIN'}.get(r.rcode, str(r.rcode)))
`;
let sysctlsBefore: string[] = [];

claimLabForTest({ before, after }, () => {
  sysctlsBefore = FORWARDING.map(readSysctl);
});

test('lab up builds the lab; a second up is a no-op', () => {
  const first = runCli(['lab', 'up']);
  assert.equal(first.status, 0, first.stderr);
  assert.match(first.stdout, /created netns synack-srv/);
  assert.match(first.stdout, /started nginx/);
  const second = runCli(['lab', 'up']);
  assert.equal(second.status, 0, second.stderr);
  assert.match(second.stdout, /lab already up: nothing to do/);
});

for (const family of [4, 6] as const) {
  test(`nginx serves every file with the right sha256 over IPv${family}`, async () => {
    for (const file of LAB_FILES) {
      const r = await curlFromClient([labUrl('http', file.name, { family })]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.headers, /^HTTP\/1\.1 200/);
      assert.equal(r.size, file.size, file.name);
      assert.equal(r.sha256, file.sha256, file.name);
    }
  });
}

test('nginx keeps the connection alive between requests', async () => {
  const r = await curlFromClient([labUrl('http', '2k.bin'), labUrl('http', '100k.bin')], ['-v']);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, /Re-using existing connection/);
  assert.equal(r.sha256, LAB_FILES[1].sha256);
});

for (const family of [4, 6] as const) {
  test(`Python answers with HTTP/1.0 and closes, over IPv${family}`, async () => {
    const r = await curlFromClient([labUrl('http10', '100k.bin', { family })], ['-v']);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.headers, /^HTTP\/1\.0 200/);
    assert.match(r.headers, /Content-Length: 102400/i);
    assert.match(r.stderr, /Closing connection/);
    assert.equal(r.sha256, LAB_FILES[1].sha256);
  });

  test(`the responder sends Transfer-Encoding: chunked, over IPv${family}`, async () => {
    for (const file of LAB_FILES.slice(0, 3)) {
      const r = await curlFromClient([labUrl('chunked', file.name, { family })]);
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.headers, /^HTTP\/1\.1 200/);
      assert.match(r.headers, /Transfer-Encoding: chunked/i);
      assert.doesNotMatch(r.headers, /Content-Length/i);
      assert.equal(r.sha256, file.sha256, file.name);
    }
  });

  test(`HTTPS verifies with the lab's CA and fails without it, over IPv${family}`, async () => {
    const url = labUrl('https', '10m.bin', { family });
    const good = await curlFromClient([url], ['--cacert', LAB_PATHS.caCert]);
    assert.equal(good.status, 0, good.stderr);
    assert.equal(good.sha256, LAB_FILES[2].sha256);
    const untrusted = await curlFromClient([url], ['--capath', '/nonexistent', '--cacert', '/dev/null']);
    assert.notEqual(untrusted.status, 0, 'a certificate no CA signed must be refused');
  });
}

test('HTTPS by the server name resolves to the lab certificate', async () => {
  const r = await curlFromClient(
    [`https://srv.synack.lab:${LAB_PORTS.https}/2k.bin`],
    [
      '--cacert',
      LAB_PATHS.caCert,
      '--resolve',
      `srv.synack.lab:${LAB_PORTS.https}:${CLIENT_LINK.server.ipv4}`,
    ],
  );
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.sha256, LAB_FILES[0].sha256);
});

test('the host routes the TAP subnet to the server (a veth stands in for synack0)', async (t) => {
  // The stack's TAP is not needed to prove the routing: a namespace holding an address of the TAP
  // subnet, behind a host interface, takes the same route through the host kernel. It uses
  // 10.77.1.250/32 and a /32 host route, so a real synack0 (10.77.1.1, stack at .2) is not disturbed.
  const stackNs = uniqueName('-stack');
  // A lab interface name (synack*): the host forwards only between the lab's own interfaces.
  const hostIf = `synack-t${process.pid % 100000}`;
  const v4 = '10.77.1.250';
  const v6 = 'fd77:1::250';
  const journal = HostStateJournal.create(`test-${stackNs}`);
  t.after(() => journal.undoAll());
  journal.add({ kind: 'netns', name: stackNs });
  run(['ip', 'netns', 'add', stackNs]);
  journal.add({ kind: 'link', name: hostIf });
  run(['ip', 'link', 'add', hostIf, 'type', 'veth', 'peer', 'name', 'tap0', 'netns', stackNs]);
  run(['ip', '-6', 'addr', 'add', 'fe80::1/64', 'dev', hostIf, 'nodad']);
  run(['ip', 'link', 'set', hostIf, 'up']);
  run(['ip', 'route', 'add', `${v4}/32`, 'dev', hostIf]);
  run(['ip', '-6', 'route', 'add', `${v6}/128`, 'dev', hostIf]);
  netnsExec(stackNs, ['ip', 'addr', 'add', `${v4}/32`, 'dev', 'tap0']);
  netnsExec(stackNs, ['ip', '-6', 'addr', 'add', `${v6}/128`, 'dev', 'tap0', 'nodad']);
  netnsExec(stackNs, ['ip', 'link', 'set', 'tap0', 'up']);
  netnsExec(stackNs, ['ip', 'route', 'add', 'default', 'via', HOST_LINK.host.ipv4, 'dev', 'tap0', 'onlink']);
  netnsExec(stackNs, ['ip', '-6', 'route', 'add', 'default', 'via', 'fe80::1', 'dev', 'tap0']);
  for (const family of [4, 6] as const) {
    const url = labUrl('http', '100k.bin', { path: 'tap', family });
    assert.ok(url.includes(family === 4 ? HOST_LINK.server.ipv4 : HOST_LINK.server.ipv6));
    const curl = [
      'curl',
      '-sS',
      '--max-time',
      '20',
      '-o',
      '/dev/null',
      '-w',
      '%{size_download} %{local_ip}',
      url,
    ];
    assert.equal(netnsExec(stackNs, curl), `102400 ${family === 4 ? v4 : v6}`);
  }
  // And the server's side of it: its route back to the TAP subnet goes through the host.
  const back = run(['ip', '-n', 'synack-srv', 'route', 'get', TAP_LINK.stack.ipv4]);
  assert.match(back, new RegExp(`via ${HOST_LINK.host.ipv4} dev ${HOST_LINK.server.ifname}`));
});

test('nothing of the lab leaves the machine: unreachable prefixes, forwarding only between lab links', async () => {
  // An address in the lab's prefixes that no lab link owns is unreachable, not sent out the uplink.
  assert.throws(() => run(['ip', 'route', 'get', '10.77.9.9']), /No route to host/);
  assert.throws(
    () => run(['ip', '-6', 'route', 'get', 'fd77:9::9']),
    /unreachable|No route|Network is unreachable/,
  );
  // The lab's own routes are more specific and win.
  assert.match(
    run(['ip', 'route', 'get', CLIENT_LINK.client.ipv4]),
    new RegExp(`via ${HOST_LINK.server.ipv4} dev ${HOST_LINK.host.ifname}`),
  );
  const ruleset = run(['nft', 'list', 'table', LAB_FORWARD_TABLE.family, LAB_FORWARD_TABLE.name]);
  assert.match(ruleset, /hook forward/);
  assert.match(ruleset, /iifname "synack\*" oifname "synack\*" accept/);
  // A curl from the client namespace to a lab address nobody owns fails inside the machine.
  const r = await curlFromClient(['http://10.77.9.9/'], ['--max-time', '10']);
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /unreachable|No route|Couldn't connect/i);
});

/** The packets the forward chain's first drop rule ("a lab packet may not leave the lab") counted. */
function leftLabDrops(): number {
  const ruleset = run(['nft', 'list', 'table', LAB_FORWARD_TABLE.family, LAB_FORWARD_TABLE.name]);
  const m = /counter packets (\d+) bytes \d+ drop comment "a lab packet may not leave the lab"/.exec(ruleset);
  assert.ok(m, ruleset);
  return Number(m[1]);
}

test('a stack on the TAP: the client namespace reaches it; its packets for the outside are dropped in the host', async () => {
  const serve = await startCli(['serve', '--port', '8080', '--dir', LAB_PATHS.wwwDir], /try: curl/);
  try {
    const r = await curlFromClient([`http://${TAP_LINK.stack.ipv4}:8080/${LAB_FILES[0].name}`]);
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.sha256, LAB_FILES[0].sha256);
  } finally {
    await stopChild(serve.child);
  }
  // TEST-NET-2 (RFC 5737) follows the host's default route: the forward chain stops it.
  const before = leftLabDrops();
  const ping = runCli(['ping', '-c', '1', '-W', '1', '198.51.100.7']);
  assert.notEqual(ping.status, 0, 'no answer from outside');
  assert.ok(leftLabDrops() > before, 'the echo request was dropped in the host');
});

test("the lab's DNS server answers its zone and says NXDOMAIN for every other name", () => {
  const ask = (name: string, type: 'A' | 'AAAA') =>
    spawnSync(
      'ip',
      [
        'netns',
        'exec',
        LAB_NAMESPACES.client,
        '/usr/bin/python3',
        '-c',
        DNS_ASK_PY,
        HOST_LINK.server.ipv4,
        name,
        type,
      ],
      { encoding: 'utf8' },
    ).stdout.trim();
  assert.equal(ask(LAB_SERVER_NAME, 'A'), `NOERROR ${HOST_LINK.server.ipv4}`);
  assert.equal(ask(`other.${LAB_DNS.zone}`, 'AAAA'), `NOERROR ${HOST_LINK.server.ipv6}`);
  assert.equal(ask('nosuchhost.invalid', 'A'), 'NXDOMAIN');
});

test('lab status reports everything up, as a table and as JSON', () => {
  const table = runCli(['lab', 'status']);
  assert.equal(table.status, 0, table.stdout + table.stderr);
  assert.match(table.stdout, /^lab: up \(owner: kept\)/);
  assert.match(table.stdout, /100m\.bin sha256 ok/);
  const json = runCli(['lab', 'status', '--json', '--no-verify']);
  const status = JSON.parse(json.stdout) as LabStatus;
  assert.equal(status.up, true);
  assert.equal(status.servers.length, 4);
  for (const s of status.servers)
    assert.deepEqual(Object.values(s.reachable), [true, true, true, true], s.name);
  assert.deepEqual(
    status.links.map((l) => l.up),
    [true, true, true, true],
  );
});

test('lab down leaves nothing behind; a second down is fine', () => {
  const pids = labProcesses();
  assert.ok(pids.length >= 4, `expected nginx (master+worker) and two Python servers, got ${pids}`);
  const down = runCli(['lab', 'down']);
  assert.equal(down.status, 0, down.stderr);
  assert.deepEqual(labLeftovers(pids), []);
  assert.deepEqual(FORWARDING.map(readSysctl), sysctlsBefore, 'forwarding restored');
  const again = runCli(['lab', 'down']);
  assert.equal(again.status, 0, again.stderr);
  assert.match(again.stdout, /nothing to do/);
  const status = runCli(['lab', 'status', '--no-verify']);
  assert.equal(status.status, 1);
  assert.match(status.stdout, /^lab: NOT up/);
});
