// Cleanup robustness, as root: a lab command or program killed with SIGKILL leaves a journal whose
// owner is dead, and the next up/down removes what it made; SIGINT, exit and crashes undo at once.
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, type TestContext, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { HostStateJournal, reapStaleHostState } from '../../../src/lab/host-state.js';
import { LAB_JOURNAL, LAB_NAMESPACES } from '../../../src/lab/plan.js';
import { CLI_ENTRY, runCli } from '../../helpers/cli.js';
import { uniqueName } from '../../helpers/netns.js';
import { claimLabForTest, labLeftovers, labProcesses } from './lab-helpers.js';

const FIXTURE = fileURLToPath(new URL('./fixtures/hold-lab.ts', import.meta.url));
const SRV_NETNS = `/run/netns/${LAB_NAMESPACES.server}`;

claimLabForTest({ before, after });

/** Node (with tsx) in a child process; killed when the test ends, whatever happened. */
function spawnNode(
  t: TestContext,
  args: string[],
): { child: ChildProcess; exited: Promise<void>; stdout: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    out += s;
  });
  child.stderr!.resume();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  return { child, exited, stdout: () => out };
}

/** Polls (bounded) until `ready` holds; fails the test if it never does. */
async function until(ready: () => boolean, what: string, timeoutMs = 20_000, stepMs = 2): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

/** Starts `synack lab up` and kills it with `signal` as soon as the server namespace exists. */
async function interruptUp(t: TestContext, signal: NodeJS.Signals): Promise<ChildProcess> {
  const { child, exited } = spawnNode(t, [CLI_ENTRY, 'lab', 'up']);
  await until(() => existsSync(SRV_NETNS) || child.exitCode !== null, 'the server namespace');
  child.kill(signal);
  await exited;
  return child;
}

for (const next of ['up', 'down'] as const) {
  test(`SIGKILL in the middle of up: the next ${next} removes the leftovers`, async (t) => {
    const child = await interruptUp(t, 'SIGKILL');
    assert.equal(child.signalCode, 'SIGKILL', 'the kill must land while up is still running');
    const journal = HostStateJournal.open(LAB_JOURNAL);
    assert.ok(journal, 'the killed up left its journal');
    assert.equal(journal.owner()?.pid, child.pid);
    assert.ok(existsSync(SRV_NETNS), 'and left the namespace behind');
    const status = runCli(['lab', 'status', '--no-verify']);
    assert.match(status.stdout, /owner: stale \(process \d+ is gone\)/);

    const r = runCli(['lab', next]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stdout, new RegExp(`removed leftovers of a killed run \\(lab, pid ${child.pid}\\)`));
    if (next === 'up') {
      const up = runCli(['lab', 'status', '--no-verify']);
      assert.equal(up.status, 0, up.stdout);
      const down = runCli(['lab', 'down']);
      assert.equal(down.status, 0, down.stderr + down.stdout);
    }
    assert.deepEqual(labLeftovers(), []);
  });
}

test('SIGINT during up undoes what it made and dies by SIGINT', async (t) => {
  const child = await interruptUp(t, 'SIGINT');
  assert.equal(child.signalCode, 'SIGINT');
  assert.deepEqual(labLeftovers(), []);
});

test('a program holding a lab is SIGKILLed: the next down removes the lab', async (t) => {
  const { child, exited, stdout } = spawnNode(t, [FIXTURE, 'hold']);
  await until(() => stdout().includes('ready') || child.exitCode !== null, 'the lab', 30_000, 20);
  assert.match(stdout(), /ready/);
  const pids = labProcesses();
  assert.ok(pids.length >= 4);
  child.kill('SIGKILL');
  await exited;
  assert.ok(existsSync(SRV_NETNS), 'SIGKILL cannot undo anything itself');
  const down = runCli(['lab', 'down']);
  assert.equal(down.status, 0, down.stderr);
  assert.match(down.stdout, /removed leftovers of a killed run/);
  assert.deepEqual(labLeftovers(pids), []);
});

test('programs share a lab: it stays while one of them runs, and goes with the last', async (t) => {
  const first = spawnNode(t, [FIXTURE, 'hold']);
  await until(() => first.stdout().includes('ready') || first.child.exitCode !== null, 'lab 1', 30_000, 20);
  const second = spawnNode(t, [FIXTURE, 'hold']);
  await until(() => second.stdout().includes('ready') || second.child.exitCode !== null, 'lab 2', 30_000, 20);
  first.child.kill('SIGTERM');
  await first.exited;
  assert.equal(first.child.signalCode, 'SIGTERM');
  assert.ok(existsSync(SRV_NETNS), 'the lab stays for the second program');
  assert.equal(HostStateJournal.open(LAB_JOURNAL)?.owner()?.pid, second.child.pid, 'which now owns it');
  const status = runCli(['lab', 'status', '--no-verify']);
  assert.equal(status.status, 0, status.stdout);
  second.child.kill('SIGTERM');
  await second.exited;
  assert.deepEqual(labLeftovers(), []);
});

test('a program that exits without down(), or crashes inside withLab, leaves nothing', async (t) => {
  for (const mode of ['exit', 'crash']) {
    const { child, exited } = spawnNode(t, [FIXTURE, mode]);
    await exited;
    assert.notEqual(child.exitCode, 0, mode);
    assert.deepEqual(labLeftovers(), [], mode);
  }
});

test('the undo registry: a SIGKILLed owner is found dead and its actions undone', async (t) => {
  const tmp = mkdtempSync(join(tmpdir(), 'synack-journal-'));
  t.after(() => rmSync(tmp, { recursive: true, force: true }));
  const dir = join(tmp, 'made-by-child');
  const netns = uniqueName('-j');
  const { child, exited } = spawnNode(t, [FIXTURE, 'journal', dir, netns]);
  await exited;
  assert.equal(child.signalCode, 'SIGKILL');
  assert.ok(existsSync(dir) && existsSync(`/run/netns/${netns}`), 'the child made both');
  const report = reapStaleHostState();
  const mine = report.reaped.find((r) => r.owner.pid === child.pid);
  assert.ok(mine, 'the dead owner was found');
  assert.deepEqual(mine.undone, [`path ${dir}`, `netns ${netns}`]);
  assert.deepEqual(mine.failures, []);
  assert.ok(!existsSync(dir) && !existsSync(`/run/netns/${netns}`));
  assert.equal(reapStaleHostState().reaped.length, 0, 'reaping twice finds nothing');
});
