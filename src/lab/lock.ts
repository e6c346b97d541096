// One lab command at a time: an exclusive lock file holding the owner's pid; a dead owner's lock
// (the process was killed) is taken over.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { LabError } from './errors.js';
import { isAlive, processId } from './procs.js';

export const LAB_LOCK_PATH = '/run/synack/lab.lock';

export async function withLabLock<T>(
  fn: () => Promise<T>,
  path = LAB_LOCK_PATH,
  waitMs = 60_000,
): Promise<T> {
  await acquire(path, waitMs);
  try {
    return await fn();
  } finally {
    rmSync(path, { force: true });
  }
}

async function acquire(path: string, waitMs: number): Promise<void> {
  mkdirSync(dirname(path), { recursive: true });
  const me = processId(process.pid);
  const deadline = Date.now() + waitMs;
  for (;;) {
    try {
      writeFileSync(path, `${me.pid} ${me.startTime}\n`, { flag: 'wx' });
      return;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = readHolder(path);
    // An empty lock file is one being written right now, unless it is old (its writer died).
    if (!holder && !isOld(path)) {
      await new Promise((r) => setTimeout(r, 20));
      continue;
    }
    if (!holder || !isAlive(holder)) {
      rmSync(path, { force: true });
      continue;
    }
    if (Date.now() > deadline) {
      throw new LabError(
        `another synack lab command (pid ${holder.pid}) is running`,
        'wait for it to finish',
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

function readHolder(path: string): { pid: number; startTime: string } | undefined {
  try {
    const [pid, startTime] = readFileSync(path, 'utf8').trim().split(' ');
    return Number(pid) > 0 ? { pid: Number(pid), startTime: startTime ?? '' } : undefined;
  } catch {
    return undefined;
  }
}

function isOld(path: string): boolean {
  try {
    return Date.now() - statSync(path).mtimeMs > 2000;
  } catch {
    return true;
  }
}

// ---- exclusive use, for the lab's own lifecycle tests ----

export const LAB_EXCLUSIVE_PATH = '/run/synack/lab.exclusive';
/** Child processes of the holder (the CLI under test) carry its token and are let through. */
export const LAB_EXCLUSIVE_ENV = 'SYNACK_LAB_EXCLUSIVE';

interface ExclusiveHolder {
  pid: number;
  startTime: string;
  token: string;
}

function readExclusive(): ExclusiveHolder | undefined {
  try {
    const [pid, startTime, token] = readFileSync(LAB_EXCLUSIVE_PATH, 'utf8').trim().split(' ');
    const holder = { pid: Number(pid), startTime: startTime ?? '', token: token ?? '' };
    return holder.pid > 0 && isAlive(holder) ? holder : undefined;
  } catch {
    return undefined;
  }
}

/** True if a live process other than this one (and its children) holds the lab exclusively. */
export function heldExclusivelyByOther(): boolean {
  const holder = readExclusive();
  return holder !== undefined && holder.token !== process.env[LAB_EXCLUSIVE_ENV];
}

/** Waits while another process holds the lab exclusively (tests of up/down/kill are running). */
export async function waitUntilNotExclusive(waitMs = 10 * 60_000): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const holder = readExclusive();
    if (!holder || holder.token === process.env[LAB_EXCLUSIVE_ENV]) return;
    if (Date.now() > deadline) {
      throw new LabError(`the lab is held exclusively by pid ${holder.pid}`, 'wait for its tests to finish');
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}

/**
 * Takes the lab for exclusive use once no other live process uses it (`isFree`), so tests that
 * bring the lab up and down do not pull it from under other programs. Returns the release function.
 */
export async function claimLabExclusive(isFree: () => boolean, waitMs = 10 * 60_000): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  const me = processId(process.pid);
  const token = `${me.pid}-${me.startTime}-${Math.random().toString(36).slice(2)}`;
  mkdirSync(dirname(LAB_EXCLUSIVE_PATH), { recursive: true });
  const pause = () => new Promise((r) => setTimeout(r, 200));
  // First the claim (new users wait from now on), then wait for the current users to finish.
  for (;;) {
    if (!readExclusive()) rmSync(LAB_EXCLUSIVE_PATH, { force: true });
    try {
      writeFileSync(LAB_EXCLUSIVE_PATH, `${me.pid} ${me.startTime} ${token}\n`, { flag: 'wx' });
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    if (Date.now() > deadline) throw new LabError('another process holds the lab exclusively');
    await pause();
  }
  process.env[LAB_EXCLUSIVE_ENV] = token;
  const release = () => {
    if (readExclusive()?.token === token) rmSync(LAB_EXCLUSIVE_PATH, { force: true });
    delete process.env[LAB_EXCLUSIVE_ENV];
  };
  while (!(await withLabLock(async () => isFree()))) {
    if (Date.now() > deadline) {
      release();
      throw new LabError('the lab stayed in use by other processes');
    }
    await pause();
  }
  return release;
}
