// Process identity and liveness from /proc: a pid plus its start time names one process, even
// after the pid number is reused.
import { readFileSync } from 'node:fs';
import { sleepSync } from './sys.js';

export interface ProcessId {
  readonly pid: number;
  /** Field 22 of /proc/PID/stat (clock ticks since boot); '' if unknown. */
  readonly startTime: string;
}

/** The start time of a running process, or undefined if there is no such process. */
export function processStartTime(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // proc(5): the command name (field 2) may hold spaces and parentheses; fields after it follow the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const state = fields[0];
    if (state === 'Z' || state === 'X') return undefined;
    return fields[19];
  } catch {
    return undefined;
  }
}

export function processId(pid: number): ProcessId {
  return { pid, startTime: processStartTime(pid) ?? '' };
}

/** True if the very process (pid and start time) is still running. */
export function isAlive(proc: ProcessId): boolean {
  const now = processStartTime(proc.pid);
  return now !== undefined && (proc.startTime === '' || now === proc.startTime);
}

/** SIGTERM, wait up to graceMs, then SIGKILL; returns once every process is gone. */
export function terminate(procs: readonly ProcessId[], graceMs = 2000): void {
  const signal = (p: ProcessId, sig: NodeJS.Signals) => {
    try {
      if (isAlive(p)) process.kill(p.pid, sig);
    } catch {
      // already gone
    }
  };
  for (const p of procs) signal(p, 'SIGTERM');
  for (let waited = 0; waited < graceMs && procs.some(isAlive); waited += 20) sleepSync(20);
  for (const p of procs) signal(p, 'SIGKILL');
  for (let waited = 0; waited < 2000 && procs.some(isAlive); waited += 20) sleepSync(20);
}
