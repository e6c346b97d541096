// Synchronous command execution for host-state changes. Synchronous on purpose: a signal is
// handled between two commands, never in the middle of one, so the undo journal stays exact.
import { execFileSync } from 'node:child_process';

export class CommandError extends Error {
  override readonly name = 'CommandError';
  constructor(
    readonly argv: readonly string[],
    readonly stderr: string,
    readonly status: number | null,
  ) {
    super(`${argv.join(' ')}: ${stderr.trim() || `exit status ${status}`}`);
  }
}

export interface RunOptions {
  /** Run inside this network namespace (`ip netns exec NAME ...`). */
  readonly netns?: string;
  readonly input?: string;
  readonly timeoutMs?: number;
}

/** Runs a command, returns stdout; throws CommandError with stderr on failure. */
export function run(argv: readonly string[], opts: RunOptions = {}): string {
  const full = opts.netns ? ['ip', 'netns', 'exec', opts.netns, ...argv] : [...argv];
  try {
    return execFileSync(full[0], full.slice(1), {
      encoding: 'utf8',
      input: opts.input,
      timeout: opts.timeoutMs ?? 30_000,
      stdio: ['pipe', 'pipe', 'pipe'],
      maxBuffer: 16 * 1024 * 1024,
    });
  } catch (err) {
    const e = err as { stderr?: string | Buffer; status?: number | null; message?: string };
    const stderr = e.stderr ? String(e.stderr) : (e.message ?? '');
    throw new CommandError(full, stderr, e.status ?? null);
  }
}

/** Runs a command and reports success instead of throwing. */
export function tryRun(argv: readonly string[], opts: RunOptions = {}): boolean {
  try {
    run(argv, opts);
    return true;
  } catch {
    return false;
  }
}

/** Blocks the thread for `ms` milliseconds (used only while undoing, where async is not possible). */
export function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

export function isRoot(): boolean {
  return process.getuid?.() === 0;
}
