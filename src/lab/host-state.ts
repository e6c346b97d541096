// The undo registry for anything that changes host state (namespaces, links, nft tables, sysctls,
// processes, files). Write-ahead: register the undo action, then make the change. Each registry is
// a journal file under /run/synack/state/, so if its process is killed (SIGKILL), the next
// `reapStaleHostState()` finds the dead owner and undoes what it left behind.
//
//   const journal = HostStateJournal.create('my-tool');   // owned by this process, undone on exit
//   journal.add({ kind: 'nft-table', family: 'inet', name: 'synack_x' });
//   run(['nft', 'add', 'table', 'inet', 'synack_x']);
//   ...
//   journal.undoAll();           // or let exit / SIGINT / SIGTERM / a crash do it
//
// Shared state (the lab): other processes join() a journal; when a process leaves (leave() or
// exit), the state is undone only if no other live user remains, otherwise ownership passes on.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LAB_PATHS } from './plan.js';
import { isAlive, type ProcessId, processId } from './procs.js';
import { describeUndo, performUndo, type UndoAction } from './undo-actions.js';

export type { UndoAction } from './undo-actions.js';
export { describeUndo } from './undo-actions.js';

interface JournalEntry {
  readonly id: number;
  readonly action: UndoAction;
}

interface JournalData {
  readonly version: 1;
  readonly name: string;
  /** The process whose exit undoes everything; null once released (kept until undone explicitly). */
  owner: ProcessId | null;
  /** Other processes using the state; it is undone only when the last one leaves. */
  users?: ProcessId[];
  nextId: number;
  entries: JournalEntry[];
}

export interface UndoFailure {
  readonly action: UndoAction;
  readonly error: string;
}

export class HostStateJournal {
  private constructor(
    /** Absolute path of the journal file. */
    readonly path: string,
    readonly name: string,
  ) {}

  /** Creates (or takes over) the journal `name`, owned by this process and armed for exit. */
  static create(name: string, stateDir: string = LAB_PATHS.stateDir): HostStateJournal {
    const journal = new HostStateJournal(journalPath(stateDir, name), name);
    const existing = readJournal(journal.path);
    writeJournal(journal.path, {
      version: 1,
      name,
      owner: processId(process.pid),
      nextId: existing?.nextId ?? 1,
      entries: existing?.entries ?? [],
    });
    armExitHandlers(journal);
    return journal;
  }

  /** Opens an existing journal without taking ownership; undefined if there is none. */
  static open(name: string, stateDir: string = LAB_PATHS.stateDir): HostStateJournal | undefined {
    const path = journalPath(stateDir, name);
    return readJournal(path) ? new HostStateJournal(path, name) : undefined;
  }

  /** Registers an undo action (before making the change it undoes); returns its id. */
  add(action: UndoAction): number {
    const data = this.load();
    const id = data.nextId++;
    data.entries.push({ id, action });
    writeJournal(this.path, data);
    return id;
  }

  /** Drops an action without performing it (the change was undone some other way). */
  forget(id: number): void {
    const data = this.load();
    data.entries = data.entries.filter((e) => e.id !== id);
    writeJournal(this.path, data);
  }

  /** Performs one registered action now and drops it. */
  undo(id: number): void {
    const entry = this.load().entries.find((e) => e.id === id);
    if (entry) performUndo(entry.action);
    this.forget(id);
  }

  actions(): UndoAction[] {
    return this.load().entries.map((e) => e.action);
  }

  owner(): ProcessId | null {
    return this.load().owner;
  }

  /** Keeps everything after this process exits (e.g. `lab up`); only undoAll() removes it. */
  release(): void {
    const data = this.load();
    data.owner = null;
    writeJournal(this.path, data);
    disarm(this);
  }

  /** Makes this process the owner: its exit, or a signal, undoes everything. */
  adopt(): void {
    const data = this.load();
    data.owner = processId(process.pid);
    writeJournal(this.path, data);
    armExitHandlers(this);
  }

  /** Adds this process as a user: the state stays while it lives (see leave()). */
  join(): void {
    const data = this.load();
    const me = process.pid;
    if (data.owner?.pid !== me && !(data.users ?? []).some((u) => u.pid === me)) {
      data.users = [...(data.users ?? []), processId(me)];
      writeJournal(this.path, data);
    }
    armExitHandlers(this);
  }

  /** Live processes other than this one that own or use the state. */
  otherUsers(): ProcessId[] {
    const data = this.load();
    return [data.owner, ...(data.users ?? [])].filter(
      (p): p is ProcessId => p !== null && p.pid !== process.pid && isAlive(p),
    );
  }

  /**
   * This process stops using the state. Returns true if it was the last live user of state that
   * is not kept (then the caller undoes it); otherwise hands ownership on to a live user.
   */
  leave(): boolean {
    const data = this.load();
    disarm(this);
    const others = this.otherUsers();
    if (data.owner === null || others.length > 0) {
      data.users = (data.users ?? []).filter((u) => u.pid !== process.pid && isAlive(u));
      if (data.owner !== null && (data.owner.pid === process.pid || !isAlive(data.owner))) {
        data.owner = others[0];
        data.users = data.users.filter((u) => u.pid !== others[0].pid);
      }
      writeJournal(this.path, data);
      return false;
    }
    return true;
  }

  /** Undoes every action, newest first; deletes the journal if all succeeded. */
  undoAll(): UndoFailure[] {
    const failures: UndoFailure[] = [];
    for (const entry of [...this.load().entries].reverse()) {
      try {
        performUndo(entry.action);
        this.forget(entry.id);
      } catch (err) {
        failures.push({ action: entry.action, error: err instanceof Error ? err.message : String(err) });
      }
    }
    if (failures.length === 0) rmSync(this.path, { force: true });
    disarm(this);
    return failures;
  }

  private load(): JournalData {
    return readJournal(this.path) ?? { version: 1, name: this.name, owner: null, nextId: 1, entries: [] };
  }
}

export interface ReapReport {
  /** Journals whose owner was dead, with what was undone. */
  readonly reaped: Array<{ name: string; owner: ProcessId; undone: string[]; failures: UndoFailure[] }>;
}

/** Undoes the leftovers of every journal whose owning process is gone (killed, crashed). */
export function reapStaleHostState(stateDir: string = LAB_PATHS.stateDir): ReapReport {
  const reaped: ReapReport['reaped'] = [];
  let names: string[];
  try {
    names = readdirSync(stateDir).filter((f) => f.endsWith('.json'));
  } catch {
    return { reaped };
  }
  for (const file of names) {
    const name = file.slice(0, -'.json'.length);
    const data = readJournal(join(stateDir, file));
    if (!data?.owner || isAlive(data.owner)) continue;
    const journal = HostStateJournal.open(name, stateDir)!;
    const heir = (data.users ?? []).find(isAlive);
    if (heir) {
      // The owner died but others still use the state: the first live user inherits it.
      data.owner = heir;
      data.users = (data.users ?? []).filter((u) => u.pid !== heir.pid && isAlive(u));
      writeJournal(journal.path, data);
      continue;
    }
    const undone = data.entries.map((e) => describeUndo(e.action));
    const failures = journal.undoAll();
    reaped.push({ name, owner: data.owner, undone, failures });
  }
  return { reaped };
}

/**
 * Undoes the journals named `prefix...` whose owner died (SIGKILL), and only those: a tool reaps
 * its own leftovers without touching other tools' state. Returns how many it undid.
 */
export function reapStaleJournals(prefix: string, stateDir: string = LAB_PATHS.stateDir): number {
  let files: string[];
  try {
    files = readdirSync(stateDir).filter((f) => f.startsWith(prefix) && f.endsWith('.json'));
  } catch {
    return 0;
  }
  let reaped = 0;
  for (const file of files) {
    const journal = HostStateJournal.open(file.slice(0, -'.json'.length), stateDir);
    const owner = journal?.owner();
    if (!journal || !owner || isAlive(owner)) continue;
    journal.undoAll();
    reaped++;
  }
  return reaped;
}

function journalPath(stateDir: string, name: string): string {
  if (!/^[A-Za-z0-9._-]+$/.test(name)) throw new Error(`invalid journal name: ${name}`);
  return join(stateDir, `${name}.json`);
}

function readJournal(path: string): JournalData | undefined {
  try {
    const data = JSON.parse(readFileSync(path, 'utf8')) as JournalData;
    return data.version === 1 && Array.isArray(data.entries) ? data : undefined;
  } catch {
    return undefined;
  }
}

/** Atomic replace, so a kill in the middle of a write never leaves a torn journal. */
function writeJournal(path: string, data: JournalData): void {
  mkdirSync(join(path, '..'), { recursive: true, mode: 0o755 });
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, `${JSON.stringify(data, null, 1)}\n`);
  renameSync(tmp, path);
}

// ---- exit handling: one set of process handlers for every armed journal ----

const armed = new Set<string>();
const EXIT_SIGNALS: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
let installed = false;

function armExitHandlers(journal: HostStateJournal): void {
  armed.add(journal.path);
  if (installed) return;
  installed = true;
  // 'exit' also runs after an uncaught exception or unhandled rejection ends the process.
  process.on('exit', undoArmedJournals);
  for (const signal of EXIT_SIGNALS) process.on(signal, onSignal);
}

function disarm(journal: HostStateJournal): void {
  armed.delete(journal.path);
  if (armed.size > 0 || !installed) return;
  installed = false;
  process.off('exit', undoArmedJournals);
  for (const signal of EXIT_SIGNALS) process.off(signal, onSignal);
}

function undoArmedJournals(): void {
  for (const path of [...armed]) {
    const data = readJournal(path);
    armed.delete(path);
    if (!data) continue;
    const journal = HostStateJournal.open(data.name, join(path, '..'));
    if (!journal?.leave()) continue;
    const failures = journal.undoAll();
    for (const f of failures) console.error(`synack: could not undo ${describeUndo(f.action)}: ${f.error}`);
  }
}

function onSignal(signal: NodeJS.Signals): void {
  undoArmedJournals();
  installed = false;
  process.off('exit', undoArmedJournals);
  for (const s of EXIT_SIGNALS) process.off(s, onSignal);
  // Re-raise with the default action so the parent sees death by this signal (exit 128+n).
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}
