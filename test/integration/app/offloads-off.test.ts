// Every mode with offloads off end to end (root; run one file at a time): the lab's server-side
// veths and the host's end of the server link send no TSO/GSO super-frames and compute every
// checksum (ethtool -K ... off), and `synack get --no-offload` asks for none either. Every frame is
// then MTU-sized, as with NICs that have no offloads: the stack verifies each checksum itself and
// its receive coalescer (software GRO) merges the segments. Bodies must still be sha256-exact over
// IPv4 and IPv6, in the TAP mode and in both AF_PACKET modes, and the stack must count the
// MTU-sized segments it took in (at least one per 1448 bytes).
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Lab } from '../../../src/lab/lab.js';
import {
  CLIENT_LINK,
  HOST_LINK,
  type IpFamily,
  LAB_NAMESPACES,
  serverAddress,
} from '../../../src/lab/plan.js';
import { CLI_ENTRY } from '../../helpers/cli.js';
import { labFile, sha256File } from './app-helpers.js';

const FEATURES = ['tso', 'gso', 'gro', 'tx'];
/** Each interface a frame of the test crosses, with the namespace it lives in ('' for the host). */
const LINKS: ReadonlyArray<[string, string]> = [
  [LAB_NAMESPACES.server, HOST_LINK.server.ifname],
  [LAB_NAMESPACES.server, CLIENT_LINK.server.ifname],
  [LAB_NAMESPACES.client, CLIENT_LINK.client.ifname],
  ['', HOST_LINK.host.ifname],
];
const TIMEOUT_MS = 120_000;
const MSS = 1448;

function setOffloads(state: 'on' | 'off'): void {
  for (const [ns, ifname] of LINKS) {
    const args = ['-K', ifname, ...FEATURES.flatMap((f) => [f, state])];
    const r =
      ns === '' ? spawnSync('ethtool', args) : spawnSync('ip', ['netns', 'exec', ns, 'ethtool', ...args]);
    assert.equal(r.status, 0, `ethtool ${args.join(' ')} in ${ns || 'the host'}: ${r.stderr}`);
  }
}

interface Mode {
  readonly name: string;
  /** The `mode` field of --stats. */
  readonly id: 'tap' | 'spare' | 'host';
  /** Runs in the client namespace (AF_PACKET on its veth) or on the host (the TAP). */
  readonly netns: string | null;
  readonly args: readonly string[];
  readonly path: 'tap' | 'veth';
}

const MODES: readonly Mode[] = [
  { name: 'TAP (mode 1)', id: 'tap', netns: null, args: [], path: 'tap' },
  {
    name: 'spare address (mode 2)',
    id: 'spare',
    netns: LAB_NAMESPACES.client,
    args: [
      '--iface',
      CLIENT_LINK.client.ifname,
      '--ip',
      `${CLIENT_LINK.spare.ipv4}/${CLIENT_LINK.ipv4Prefix}`,
      '--ip',
      `${CLIENT_LINK.spare.ipv6}/${CLIENT_LINK.ipv6Prefix}`,
    ],
    path: 'veth',
  },
  {
    name: 'host address (mode 3)',
    id: 'host',
    netns: LAB_NAMESPACES.client,
    args: ['--iface', CLIENT_LINK.client.ifname, '--host-ip'],
    path: 'veth',
  },
];

const dir = mkdtempSync(join(tmpdir(), 'synack-offloads-off-'));
let lab: Lab;

before(async () => {
  lab = await Lab.up();
  setOffloads('off');
});

after(async () => {
  try {
    setOffloads('on');
  } finally {
    await lab?.down();
    rmSync(dir, { recursive: true, force: true });
  }
});

function url(mode: Mode, family: IpFamily, name: string): string {
  const host = serverAddress(mode.path, family);
  return family === 4 ? `http://${host}/${name}` : `http://[${host}]/${name}`;
}

function get(mode: Mode, args: readonly string[]) {
  const cli = [process.execPath, '--import', 'tsx', CLI_ENTRY, 'get', ...args];
  const [cmd, ...argv] = mode.netns === null ? cli : ['ip', 'netns', 'exec', mode.netns, ...cli];
  return spawnSync(cmd, argv, { encoding: 'utf8', timeout: TIMEOUT_MS, maxBuffer: 16 * 1024 * 1024 });
}

function fetchExact(mode: Mode, family: IpFamily, name: string): void {
  const out = join(dir, `${mode.id}-${family}-${name}`);
  const target = url(mode, family, name);
  const r = get(mode, ['--no-offload', '--stats', '-o', out, ...mode.args, target]);
  try {
    assert.equal(r.error, undefined, `${mode.name} ${target}: ${r.error?.message}\n${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    const file = labFile(name);
    const stats = JSON.parse(r.stderr.trim().split('\n').pop() ?? '');
    assert.equal(stats.mode, mode.id);
    assert.equal(stats.bytes, file.size);
    assert.ok(stats.segmentsIn >= file.size / MSS, `MTU-sized segments: segmentsIn ${stats.segmentsIn}`);
    assert.equal(sha256File(out), file.sha256, `${target} body`);
  } finally {
    rmSync(out, { force: true });
  }
}

for (const mode of MODES) {
  describe(`offloads off, ${mode.name}: bodies are sha256-exact`, () => {
    for (const family of [4, 6] as const) {
      test(`nginx 10m.bin over IPv${family}`, () => fetchExact(mode, family, '10m.bin'));
    }
    test('nginx 100k.bin over IPv4', () => fetchExact(mode, 4, '100k.bin'));
  });
}
