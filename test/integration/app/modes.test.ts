// `synack get` in the two AF_PACKET kernel-interference modes (root; run one file at a time): the
// stack runs inside the lab's client namespace on its veth to the server, either with a spare
// address no kernel owns (mode 2) or with the interface's own address behind the nftables guard
// (mode 3). Bodies must be sha256-exact over IPv4 and IPv6. The TAP mode (mode 1) is covered by
// get.test.ts.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Lab } from '../../../src/lab/lab.js';
import { CLIENT_LINK, type IpFamily, LAB_NAMESPACES, serverAddress } from '../../../src/lab/plan.js';
import { CLI_ENTRY } from '../../helpers/cli.js';
import { labFile, sha256File } from './app-helpers.js';

const IFACE = CLIENT_LINK.client.ifname;
const GUARD_TABLE = ['inet', 'synack_guard'];

interface Mode {
  readonly name: string;
  /** The `mode` field of --stats. */
  readonly id: 'spare' | 'host';
  readonly args: readonly string[];
  /** What the CLI says on stderr (with -v) about the mode it chose. */
  readonly banner: RegExp;
}

const MODES: readonly Mode[] = [
  {
    name: 'spare address (mode 2)',
    id: 'spare',
    args: [
      '--iface',
      IFACE,
      '--ip',
      `${CLIENT_LINK.spare.ipv4}/${CLIENT_LINK.ipv4Prefix}`,
      '--ip',
      `${CLIENT_LINK.spare.ipv6}/${CLIENT_LINK.ipv6Prefix}`,
    ],
    banner: /spare-address mode/,
  },
  {
    name: 'host address with nftables guard (mode 3)',
    id: 'host',
    args: ['--iface', IFACE, '--host-ip'],
    banner: /host-address mode/,
  },
];

/** Bounded per size: a stuck transfer fails the test instead of hanging the file. */
const TIMEOUT_MS: Record<string, number> = {
  '2k.bin': 30_000,
  '100k.bin': 30_000,
  '10m.bin': 60_000,
  '100m.bin': 120_000,
};

const dir = mkdtempSync(join(tmpdir(), 'synack-modes-'));
let lab: Lab;

before(async () => {
  lab = await Lab.up();
});

after(async () => {
  await lab?.down();
  rmSync(dir, { recursive: true, force: true });
});

function url(family: IpFamily, name: string): string {
  const host = serverAddress('veth', family);
  return family === 4 ? `http://${host}/${name}` : `http://[${host}]/${name}`;
}

/** The CLI from source inside the client namespace. */
function getInClient(args: readonly string[], timeoutMs: number) {
  return spawnSync(
    'ip',
    ['netns', 'exec', LAB_NAMESPACES.client, process.execPath, '--import', 'tsx', CLI_ENTRY, 'get', ...args],
    { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
  );
}

function guardTableExists(): boolean {
  const r = spawnSync(
    'ip',
    ['netns', 'exec', LAB_NAMESPACES.client, 'nft', 'list', 'table', ...GUARD_TABLE],
    {
      encoding: 'utf8',
    },
  );
  return r.status === 0;
}

/** The last stderr line of a --stats run. */
function statsOf(stderr: string): { mode: string; bytes: number; segmentsIn: number } {
  return JSON.parse(stderr.trim().split('\n').pop() ?? '');
}

function fetchExact(mode: Mode, family: IpFamily, name: string): void {
  const out = join(dir, `${name}-${family}-${Math.random().toString(36).slice(2)}`);
  const target = url(family, name);
  const r = getInClient(['-v', '--stats', '-o', out, ...mode.args, target], TIMEOUT_MS[name]);
  try {
    assert.equal(r.error, undefined, `${mode.name} ${target}: ${r.error?.message}\n${r.stderr}`);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, mode.banner);
    const file = labFile(name);
    const stats = statsOf(r.stderr);
    assert.equal(stats.mode, mode.id);
    assert.equal(stats.bytes, file.size);
    // The stack itself took the data in (GSO frames on a veth carry up to ~64 KB each).
    assert.ok(stats.segmentsIn >= file.size / 65536, `segmentsIn ${stats.segmentsIn}`);
    assert.equal(sha256File(out), file.sha256, `${target} body`);
    assert.equal(guardTableExists(), false, 'no guard table left behind');
  } finally {
    rmSync(out, { force: true });
  }
}

for (const mode of MODES) {
  describe(`bodies are sha256-exact in ${mode.name}`, () => {
    for (const family of [4, 6] as const) {
      for (const name of ['2k.bin', '100k.bin', '10m.bin']) {
        test(`nginx ${name} over IPv${family}`, () => fetchExact(mode, family, name));
      }
    }
    test('nginx 100m.bin over IPv4', () => fetchExact(mode, 4, '100m.bin'));
  });
}

test('host mode: the guard table exists while get runs and is removed when it exits', async () => {
  assert.equal(guardTableExists(), false, 'no table before');
  // Delay on the link keeps the transfer running long enough to look at the table mid-flight.
  const child = spawn(
    'ip',
    [
      'netns',
      'exec',
      LAB_NAMESPACES.client,
      process.execPath,
      '--import',
      'tsx',
      CLI_ENTRY,
      'get',
      '-v',
      '-o',
      '/dev/null',
      '--impair',
      'delay=400ms',
      '--max-time',
      '60',
      '--iface',
      IFACE,
      '--host-ip',
      url(4, '100k.bin'),
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const bannerSeen = new Promise<boolean>((resolve) => {
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
      if (/host-address mode/.test(stderr)) resolve(true);
    });
    exited.then(() => resolve(false));
  });
  try {
    assert.ok(await bannerSeen, `no host-mode banner: ${stderr}`);
    assert.equal(guardTableExists(), true, 'guard table installed while running');
    assert.equal(await exited, 0, stderr);
    assert.equal(guardTableExists(), false, 'guard table removed on exit');
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }
});
