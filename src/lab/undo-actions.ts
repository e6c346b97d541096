// Undo actions as data, so a later process can perform them after this one was killed.
// Each one is idempotent: undoing something that is already gone succeeds.
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { type ProcessId, processId, terminate } from './procs.js';
import { CommandError, run } from './sys.js';

export type UndoAction =
  /** Kills every process inside the namespace, then deletes it (its interfaces go with it). */
  | { readonly kind: 'netns'; readonly name: string }
  | { readonly kind: 'link'; readonly name: string; readonly netns?: string }
  | { readonly kind: 'nft-table'; readonly family: string; readonly name: string; readonly netns?: string }
  /** A route not tied to a device (which would go with it), e.g. `unreachable 10.77.0.0/16`. */
  | { readonly kind: 'route'; readonly route: readonly string[] }
  | { readonly kind: 'process'; readonly pid: number; readonly startTime: string }
  /** Restores a sysctl to its previous value. */
  | { readonly kind: 'sysctl'; readonly key: string; readonly value: string }
  | { readonly kind: 'path'; readonly path: string }
  | { readonly kind: 'exec'; readonly argv: readonly string[]; readonly netns?: string };

/** Performs one undo action synchronously. Throws CommandError if it could not be undone. */
export function performUndo(action: UndoAction): void {
  switch (action.kind) {
    case 'netns':
      deleteNetns(action.name);
      break;
    case 'link':
      deleteLink(action.name, action.netns);
      break;
    case 'nft-table':
      deleteNftTable(action.family, action.name, action.netns);
      break;
    case 'route':
      deleteRoute(action.route);
      break;
    case 'process':
      terminate([action]);
      break;
    case 'sysctl':
      writeFileSync(sysctlPath(action.key), action.value);
      break;
    case 'path':
      rmSync(action.path, { recursive: true, force: true });
      break;
    case 'exec':
      run(action.argv, { netns: action.netns });
      break;
  }
}

/** One line a person can read: "netns synack-srv", "link synack-h0". */
export function describeUndo(action: UndoAction): string {
  switch (action.kind) {
    case 'netns':
      return `netns ${action.name}`;
    case 'link':
      return `link ${action.name}${action.netns ? ` (netns ${action.netns})` : ''}`;
    case 'nft-table':
      return `nft table ${action.family} ${action.name}${action.netns ? ` (netns ${action.netns})` : ''}`;
    case 'route':
      return `route ${action.route.join(' ')}`;
    case 'process':
      return `process ${action.pid}`;
    case 'sysctl':
      return `sysctl ${action.key}=${action.value}`;
    case 'path':
      return `path ${action.path}`;
    case 'exec':
      return `exec ${action.argv.join(' ')}`;
  }
}

export function sysctlPath(key: string): string {
  return `/proc/sys/${key.replaceAll('.', '/')}`;
}

export function netnsExists(name: string): boolean {
  return existsSync(`/run/netns/${name}`);
}

/** Pids of every process whose network namespace is `name`. */
export function netnsPids(name: string): ProcessId[] {
  if (!netnsExists(name)) return [];
  const out = run(['ip', 'netns', 'pids', name]);
  return out
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => processId(Number(line.trim())));
}

function deleteNetns(name: string): void {
  if (!netnsExists(name)) return;
  // Deleting a namespace does not stop the processes in it: they would keep it alive, unseen.
  terminate(netnsPids(name));
  ignoreMissing(() => run(['ip', 'netns', 'del', name]));
}

function deleteLink(name: string, netns?: string): void {
  if (netns && !netnsExists(netns)) return;
  const ns = netns ? ['-n', netns] : [];
  ignoreMissing(() => run(['ip', ...ns, 'link', 'del', name]));
}

function deleteNftTable(family: string, name: string, netns?: string): void {
  if (netns && !netnsExists(netns)) return;
  ignoreMissing(() => run(['nft', 'delete', 'table', family, name], { netns }));
}

/** `ip route del` of the exact route; the family follows from the prefix. */
function deleteRoute(route: readonly string[]): void {
  const family = route.some((part) => part.includes(':')) ? ['-6'] : [];
  ignoreMissing(() => run(['ip', ...family, 'route', 'del', ...route]));
}

const MISSING = /Cannot find device|No such file or directory|No such process|does not exist|not found/i;

function ignoreMissing(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof CommandError && MISSING.test(err.stderr)) return;
    throw err;
  }
}
