// The lab as an object: `const lab = await Lab.up(); ...; await lab.down();` or `withLab(fn)`.
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { routePresent, UNREACHABLE_ROUTES } from './containment.js';
import { ensureLabFiles } from './content.js';
import { LabError } from './errors.js';
import { HostStateJournal, type ReapReport, reapStaleHostState } from './host-state.js';
import { heldExclusivelyByOther, waitUntilNotExclusive, withLabLock } from './lock.js';
import { applyLoss, type LossSetting } from './loss.js';
import {
  HOST_LINK,
  type IpFamily,
  LAB_FILES,
  LAB_FORWARD_TABLE,
  LAB_JOURNAL,
  LAB_NAMESPACES,
  LAB_PATHS,
  LAB_PLAN,
  type LabPlan,
  type LabServerName,
  labUrl,
} from './plan.js';
import { ensureServers, PYTHON } from './servers.js';
import { type LabStatus, labStatus } from './status.js';
import { isRoot, type RunOptions, run, tryRun } from './sys.js';
import { ensureTls } from './tls.js';
import { ensureTopology } from './topology.js';
import { describeUndo, netnsExists, performUndo } from './undo-actions.js';

export interface LabUpOptions {
  /** Kernel-side random loss at the server (percent, both directions), or a full setting. */
  readonly loss?: number | LossSetting;
  /**
   * Keep the lab after this process exits (what `synack lab up` does). Default false: the lab is
   * torn down when this process exits, is interrupted (SIGINT/SIGTERM) or crashes.
   */
  readonly persist?: boolean;
}

export interface LabUpReport {
  /** Leftovers of killed runs that were removed first. */
  readonly reaped: ReapReport['reaped'];
  readonly created: string[];
  readonly generated: string[];
  readonly started: string[];
  /** True if nothing had to be made: the lab was already complete. */
  readonly alreadyUp: boolean;
}

export interface LabDownReport {
  readonly reaped: ReapReport['reaped'];
  readonly removed: string[];
  readonly failures: string[];
}

export class Lab {
  readonly plan: LabPlan = LAB_PLAN;

  private constructor(
    readonly report: LabUpReport,
    /** True if this call created the lab (false: it joined a lab that was up). */
    readonly owned: boolean,
  ) {}

  /** Builds the lab, or repairs and reuses the one that is up. Needs root. */
  static async up(opts: LabUpOptions = {}): Promise<Lab> {
    requireRoot();
    requireTools();
    for (;;) {
      await waitUntilNotExclusive();
      const lab = await withLabLock(async () => (heldExclusivelyByOther() ? undefined : Lab.upLocked(opts)));
      if (lab) return lab;
    }
  }

  /** Lab.up's work, under the lab lock: reap leftovers, then create, repair or join the lab. */
  private static async upLocked(opts: LabUpOptions): Promise<Lab> {
    const { reaped } = reapStaleHostState();
    const existing = HostStateJournal.open(LAB_JOURNAL);
    const journal = existing ?? HostStateJournal.create(LAB_JOURNAL);
    try {
      const report = await build(journal, opts, reaped);
      if (opts.persist) journal.release();
      else if (existing) journal.join();
      return new Lab(report, existing === undefined);
    } catch (err) {
      if (!existing) journal.undoAll();
      throw err;
    }
  }

  /** Removes the lab, whoever made it, and any leftover of a killed run. `purge` also deletes the files. */
  static async down(opts: { purge?: boolean } = {}): Promise<LabDownReport> {
    requireRoot();
    for (;;) {
      await waitUntilNotExclusive();
      const report = await withLabLock(async () =>
        heldExclusivelyByOther() ? undefined : teardown(opts.purge ?? false),
      );
      if (report) return report;
    }
  }

  /** Processes other than this one that use the lab right now (empty: it is free to take down). */
  static users(): number[] {
    return (
      HostStateJournal.open(LAB_JOURNAL)
        ?.otherUsers()
        .map((p) => p.pid) ?? []
    );
  }

  /** Reads the lab's state from the kernel and the servers (see status.ts). */
  static status(opts: { verifyFiles?: boolean } = {}): Promise<LabStatus> {
    return labStatus(opts);
  }

  /**
   * This program is done with the lab: it is removed if this was its last user and it was not
   * made by `synack lab up` (kept); otherwise it stays for the others.
   */
  async down(): Promise<void> {
    const report = await withLabLock(async () => {
      const journal = HostStateJournal.open(LAB_JOURNAL);
      return journal?.leave() ? teardown(false) : undefined;
    });
    if (report && report.failures.length > 0) {
      throw new LabError(`lab down left: ${report.failures.join('; ')}`);
    }
  }

  /** Runs a command in the server or the client namespace; returns stdout. */
  exec(where: 'server' | 'client', argv: readonly string[], opts: Omit<RunOptions, 'netns'> = {}): string {
    return run(argv, { ...opts, netns: LAB_NAMESPACES[where] });
  }

  /** Sets (or with undefined removes) the kernel-side loss. */
  setLoss(loss: number | LossSetting | undefined): void {
    const journal = HostStateJournal.open(LAB_JOURNAL);
    if (!journal) throw new LabError('the lab is not up');
    applyLoss(journal, normalizeLoss(loss));
  }

  url(server: LabServerName, file = '', where: { path?: 'tap' | 'veth'; family?: IpFamily } = {}): string {
    return labUrl(server, file, where);
  }
}

/** Runs `fn` with a lab that is always torn down: on return, on throw, and on SIGINT/SIGTERM. */
export async function withLab<T>(fn: (lab: Lab) => Promise<T>, opts: LabUpOptions = {}): Promise<T> {
  const lab = await Lab.up({ ...opts, persist: false });
  try {
    return await fn(lab);
  } finally {
    await lab.down();
  }
}

async function build(
  journal: HostStateJournal,
  opts: LabUpOptions,
  reaped: ReapReport['reaped'],
): Promise<LabUpReport> {
  const created: string[] = [];
  if (!existsSync(LAB_PATHS.runDir)) {
    journal.add({ kind: 'path', path: LAB_PATHS.runDir });
    mkdirSync(LAB_PATHS.runDir, { recursive: true, mode: 0o755 });
    created.push(`dir ${LAB_PATHS.runDir}`);
  }
  created.push(...ensureTopology(journal));
  const { generated } = ensureLabFiles(LAB_PATHS.wwwDir, LAB_FILES);
  if (ensureTls()) created.push('TLS CA and server certificate');
  const started = await ensureServers(journal);
  applyLoss(journal, normalizeLoss(opts.loss));
  const alreadyUp = created.length === 0 && generated.length === 0 && started.length === 0;
  return { reaped, created, generated, started, alreadyUp };
}

function normalizeLoss(loss: number | LossSetting | undefined): LossSetting | undefined {
  if (loss === undefined || loss === 0) return undefined;
  const setting = typeof loss === 'number' ? { percent: loss, direction: 'both' as const } : loss;
  if (!(setting.percent > 0 && setting.percent <= 100)) {
    throw new LabError(`loss must be a percentage in (0, 100], not ${setting.percent}`);
  }
  return setting;
}

function teardown(purge: boolean): LabDownReport {
  const { reaped } = reapStaleHostState();
  const journal = HostStateJournal.open(LAB_JOURNAL);
  const removed = journal?.actions().map(describeUndo).reverse() ?? [];
  const failures = (journal?.undoAll() ?? []).map((f) => `${describeUndo(f.action)}: ${f.error}`);
  // Sweep by name too: a lab whose journal was lost must still go away.
  for (const name of [LAB_NAMESPACES.server, LAB_NAMESPACES.client]) {
    if (netnsExists(name))
      sweep(`netns ${name}`, () => performUndo({ kind: 'netns', name }), removed, failures);
  }
  if (existsSync(`/sys/class/net/${HOST_LINK.host.ifname}`)) {
    const name = HOST_LINK.host.ifname;
    sweep(`link ${name}`, () => performUndo({ kind: 'link', name }), removed, failures);
  }
  sweepContainment(removed, failures);
  if (existsSync(LAB_PATHS.runDir)) {
    sweep(`path ${LAB_PATHS.runDir}`, () => rmSync(LAB_PATHS.runDir, { recursive: true }), removed, failures);
  }
  const dataDir = dirname(LAB_PATHS.wwwDir);
  if (purge && existsSync(dataDir)) {
    sweep(`path ${dataDir}`, () => rmSync(dataDir, { recursive: true }), removed, failures);
  }
  return { reaped, removed, failures };
}

/** The fences of containment.ts, by name: a lost journal must not leave them up. */
function sweepContainment(removed: string[], failures: string[]): void {
  for (const route of UNREACHABLE_ROUTES) {
    const action = { kind: 'route', route } as const;
    if (routePresent(route)) sweep(describeUndo(action), () => performUndo(action), removed, failures);
  }
  const table = { kind: 'nft-table', ...LAB_FORWARD_TABLE } as const;
  if (tryRun(['nft', 'list', 'table', table.family, table.name])) {
    sweep(describeUndo(table), () => performUndo(table), removed, failures);
  }
}

function sweep(what: string, fn: () => void, removed: string[], failures: string[]): void {
  try {
    fn();
    removed.push(what);
  } catch (err) {
    failures.push(`${what}: ${err instanceof Error ? err.message : String(err)}`);
  }
}

function requireRoot(): void {
  if (!isRoot()) {
    throw new LabError(
      'the lab needs root (it creates network namespaces, veth pairs and nftables rules)',
      'run it with sudo, e.g. sudo synack lab up',
    );
  }
}

const TOOLS: Array<[string, string]> = [
  ['ip', '/usr/sbin/ip'],
  ['nft', '/usr/sbin/nft'],
  ['nginx', '/usr/sbin/nginx'],
  ['python3', PYTHON],
  ['openssl', '/usr/bin/openssl'],
  ['ss', '/usr/bin/ss'],
];

function requireTools(): void {
  const missing = TOOLS.filter(([, path]) => !existsSync(path)).map(([name]) => name);
  if (missing.length > 0) {
    throw new LabError(
      `the lab needs ${missing.join(', ')}`,
      'install them: sudo scripts/install-system-deps.sh',
    );
  }
}
