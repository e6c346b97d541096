// `synack demo --only A` in a fresh process, as root and as an unprivileged user (which re-runs
// itself in `unshare -Urnm`): the article's scenario A must complete, and our handshake ACK must
// answer the server's first SYN-ACK, so the capture holds exactly one SYN-ACK and no SYN-ACK
// retransmission (a slow first ACK makes Linux resend it: the failure the seed article is about).
// Root; run one file at a time.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, test } from 'node:test';
import { type AnalyzedPacket, analyzeCaptureFile } from '../../../src/analysis/index.js';
import { LAB_NAMESPACES } from '../../../src/lab/plan.js';
import { CLI_ENTRY } from '../../helpers/cli.js';
import { synack } from './app-helpers.js';

const SYN = 0x02;
const ACK = 0x10;
const NOBODY = '65534';
/** The repository root: where `--import tsx` resolves. */
const REPO = join(dirname(CLI_ENTRY), '..', '..');

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function outDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'synack-demo-hs-'));
  chmodSync(dir, 0o777); // the unprivileged run writes here too
  dirs.push(dir);
  return dir;
}

/** The capture of scenario A: one SYN-ACK, answered by our ACK, no retransmitted SYN-ACK. */
function assertHandshakeAnsweredOnce(pcap: string): void {
  const { packets } = analyzeCaptureFile(pcap);
  const isSynAck = (p: AnalyzedPacket) => (p.info.flags & (SYN | ACK)) === (SYN | ACK);
  const synAcks = packets.filter(isSynAck);
  assert.equal(synAcks.length, 1, 'the server sent its SYN-ACK exactly once');
  assert.ok(
    !packets.some((p) => p.labels.some((l) => l.kind === 'syn-retransmission')),
    'no SYN or SYN-ACK retransmission',
  );
  const i = packets.indexOf(synAcks[0]);
  const reply = packets.slice(i + 1).find((p) => p.fromClient);
  assert.ok(reply, 'we sent something after the SYN-ACK');
  assert.ok(
    reply.labels.some((l) => l.kind === 'handshake' && l.step === 3),
    `our next packet completes the handshake: ${JSON.stringify(reply.labels)}`,
  );
  assert.ok(
    packets.some((p) => !p.fromClient && p.labels.some((l) => l.kind === 'fin-after-http10')),
    'the page arrived and the server closed',
  );
}

test('demo scenario A as root: our ACK answers the first SYN-ACK (no retransmission)', async () => {
  const labWasUp = existsSync(`/run/netns/${LAB_NAMESPACES.server}`);
  const out = outDir();
  const r = await synack(['demo', '--only', 'A', '--out', out]);
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /<- handshake 3\/3 \(ACK\)/);
  assertHandshakeAnsweredOnce(join(out, 'a-http10-small-page.pcap'));
  if (!labWasUp) assert.equal(existsSync(`/run/netns/${LAB_NAMESPACES.server}`), false, 'lab taken down');
});

/**
 * Runs the demo as nobody, with /dev/net/tun replaced (in a private mount namespace of its own) by
 * a copy of the device node with `mode`: 0o666 lets the demo's user namespace open the TAP; 0o600
 * (root-owned, as on many machines) makes that open fail for real, whatever the host's node is.
 */
function demoAsNobody(out: string, tunMode: number) {
  const asNobody = ['--reuid', NOBODY, '--regid', NOBODY, '--clear-groups', 'env', `HOME=${out}`];
  const devDir = join(out, 'dev');
  const node = join(devDir, 'tun');
  const script = [
    // A tmpfs of our own, so a nodev /tmp cannot spoil the copy.
    `mkdir ${devDir}`,
    `mount -t tmpfs -o mode=0755 synack-test-dev ${devDir}`,
    `mknod -m ${tunMode.toString(8)} ${node} c 10 200`,
    `mount --bind ${node} /dev/net/tun`,
    'exec "$@"',
  ].join(' && ');
  const demo = [process.execPath, '--import', 'tsx', CLI_ENTRY, 'demo', '--only', 'A', '--out', out];
  return spawnSync(
    'unshare',
    ['-m', '--propagation', 'private', 'sh', '-c', script, 'sh', 'setpriv', ...asNobody, ...demo],
    {
      encoding: 'utf8',
      timeout: 300_000,
      cwd: REPO,
    },
  );
}

const FALLBACK =
  /cannot open \/dev\/net\/tun \(EACCES\): using a veth pair synack0\/synack0-s with AF_PACKET/;

for (const [tunMode, tapAllowed] of [
  [0o666, true],
  [0o600, false],
] as const) {
  const how = tapAllowed ? 'TAP allowed' : 'TAP forbidden, veth + AF_PACKET';
  test(`demo scenario A unprivileged (${how}): re-run in a user namespace, nginx and the lab work there`, () => {
    const out = outDir();
    const asNobody = ['--reuid', NOBODY, '--regid', NOBODY, '--clear-groups', 'env', `HOME=${out}`];
    const probe = spawnSync('setpriv', [...asNobody, 'unshare', '-Urnm', 'true'], { encoding: 'utf8' });
    const labWasUp = existsSync(`/run/netns/${LAB_NAMESPACES.server}`);
    const r = demoAsNobody(out, tunMode);
    if (probe.status !== 0) {
      // This kernel forbids unprivileged user namespaces: the demo must say so and what to run.
      assert.equal(r.status, 1, r.stderr);
      assert.match(r.stderr, /this kernel does not allow unprivileged user namespaces/);
      assert.match(r.stderr, /run it as root: sudo /);
      return;
    }
    assert.equal(r.status, 0, `stdout:\n${r.stdout}\nstderr:\n${r.stderr}`);
    assert.match(r.stderr, /re-running inside a private user\+network namespace/);
    if (tapAllowed) assert.doesNotMatch(r.stdout + r.stderr, /cannot open \/dev\/net\/tun/);
    else assert.match(r.stdout + r.stderr, FALLBACK);
    assert.match(r.stdout, /<- handshake 1\/3 \(SYN\)/);
    assert.match(r.stdout, /=> HTTP 200, /);
    assertHandshakeAnsweredOnce(join(out, 'a-http10-small-page.pcap'));
    // The namespace's lab was private: the host's lab state is what it was.
    assert.equal(existsSync(`/run/netns/${LAB_NAMESPACES.server}`), labWasUp);
  });
}
