// TAP mode where /dev/net/tun cannot be opened (root; run one file at a time): in a private mount
// namespace /dev/net is an empty tmpfs, so open() fails for real with ENOENT, as on a kernel
// without the tun driver. The stack falls back to a veth pair with AF_PACKET, says so in one line,
// fetches exactly, and removes the pair on exit; after a SIGKILL the next run removes the leftover.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { Lab } from '../../../src/lab/lab.js';
import { HOST_LINK, LAB_PATHS, TAP_LINK } from '../../../src/lab/plan.js';
import { stackSideName } from '../../../src/net/tap-stand-in.js';
import { CLI_ENTRY } from '../../helpers/cli.js';

const TAP = TAP_LINK.host.ifname;
const STACK_SIDE = stackSideName(TAP);
const NOTICE = /cannot open \/dev\/net\/tun \(ENOENT\): using a veth pair synack0\/synack0-s with AF_PACKET/;
/** Generous: a CLI start from source on a busy 2-core machine. */
const READY_DEADLINE_MS = 120_000;
let lab: Lab;

before(async () => {
  lab = await Lab.up();
});
after(async () => {
  await lab?.down();
});

/** The CLI from source with /dev/net hidden behind an empty tmpfs (private mount namespace). */
function withoutTun(args: string[]): string[] {
  const script = 'mount -t tmpfs synack-no-tun /dev/net && exec "$@"';
  return [
    '-m',
    '--propagation',
    'private',
    'sh',
    '-c',
    script,
    'sh',
    process.execPath,
    '--import',
    'tsx',
    CLI_ENTRY,
    ...args,
  ];
}

/** `synack get -o /dev/null` of a lab file, with /dev/net hidden. */
function getWithoutTun(file: string) {
  const url = `http://${HOST_LINK.server.ipv4}/${file}`;
  return spawnSync('unshare', withoutTun(['get', '-s', '-o', '/dev/null', url]), {
    encoding: 'utf8',
    timeout: 300_000,
  });
}

const linkExists = (name: string) => existsSync(`/sys/class/net/${name}`);
const standInJournals = () => readdirSync(LAB_PATHS.stateDir).filter((f) => f.startsWith('tap-stand-in-'));

test('without /dev/net/tun, get runs on a veth pair, says so, and removes the pair', () => {
  const r = getWithoutTun('100k.bin');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stderr, NOTICE);
  assert.equal(r.stderr.match(/cannot open \/dev\/net\/tun/g)?.length, 1, 'one line');
  assert.equal(linkExists(STACK_SIDE), false, 'the pair is gone');
  assert.equal(linkExists(TAP), false);
  assert.deepEqual(standInJournals(), []);
});

function waitForOutput(child: ChildProcess, ready: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => reject(new Error(`no ${ready} within ${READY_DEADLINE_MS} ms: ${seen}`)),
      READY_DEADLINE_MS,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ${ready}: ${seen}`));
    });
  });
}

test('a killed run leaves the pair journaled; the next run removes it', async () => {
  const serve = spawn('unshare', withoutTun(['serve', '--port', '8080']), {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise((resolve) => serve.once('exit', resolve));
  const seen = await waitForOutput(serve, /try: curl/);
  assert.match(seen, NOTICE);
  assert.equal(linkExists(STACK_SIDE), true);
  assert.equal(standInJournals().length, 1);
  // unshare and sh exec the CLI, so this is the CLI's own pid: no exit handler runs.
  serve.kill('SIGKILL');
  await exited;
  assert.equal(linkExists(STACK_SIDE), true, 'a kill cannot clean up');
  const r = getWithoutTun('2k.bin');
  assert.equal(r.status, 0, r.stderr);
  assert.equal(linkExists(STACK_SIDE), false, 'the leftover pair was reaped, and the new one removed');
  assert.deepEqual(standInJournals(), []);
});
