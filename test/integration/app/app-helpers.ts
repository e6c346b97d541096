// Shared by the app integration tests: the CLI run from source, retried while another program
// holds the TAP device (several test files of the project use synack0), and file hashing.
import { type ChildProcess, type SpawnSyncReturns, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { LAB_FILES } from '../../../src/lab/plan.js';
import { CLI_ENTRY, runCli } from '../../helpers/cli.js';

const BUSY = /is in use by another program/;

/** runCli, but waits (up to `waitMs`) while synack0 is busy with another test's stack. */
export async function synack(args: string[], waitMs = 180_000): Promise<SpawnSyncReturns<string>> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const result = runCli(args, { timeoutMs: 300_000 });
    if (!BUSY.test(result.stderr) || Date.now() > deadline) return result;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

export function labFile(name: string) {
  const f = LAB_FILES.find((x) => x.name === name);
  if (!f) throw new Error(`no lab file ${name}`);
  return f;
}

/** Starts the CLI as a child (for serve); resolves once `ready` shows on stdout or stderr. */
export function startCli(
  args: string[],
  ready: RegExp,
  timeoutMs = 180_000,
): Promise<{ child: ChildProcess; output: () => string }> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const child = spawn(process.execPath, ['--import', 'tsx', CLI_ENTRY, ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${ready}: ${seen}`)), timeoutMs);
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (ready.test(seen)) {
        clearTimeout(timer);
        resolve({ child, output: () => seen });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before ${ready}: ${seen}`));
    });
  });
}

export function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGINT'): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => {
    child.once('exit', (code) => resolve(code));
    child.kill(signal);
  });
}
