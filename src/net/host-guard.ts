import { HostStateJournal, reapStaleJournals } from '../lab/host-state.js';
import { LAB_PATHS } from '../lab/plan.js';
import { CommandError, run } from '../lab/sys.js';

export const GUARD_TABLE = 'synack_guard';
export const GUARD_FAMILY = 'inet';

export interface GuardPortRange {
  low: number;
  high: number;
}

/** Above Linux's default ephemeral range (32768-60999), so the kernel's own connections never use it. */
export const DEFAULT_GUARDED_PORTS: GuardPortRange = { low: 61000, high: 61999 };

export class HostGuardError extends Error {
  override readonly name = 'HostGuardError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** The nft script that creates the guard table for `iface` and `ports`. */
export function guardRuleset(iface: string, ports: GuardPortRange): string {
  if (!/^[A-Za-z0-9_.:@-]{1,15}$/.test(iface))
    throw new HostGuardError(`bad interface name ${iface}`, 'check --iface');
  const range = `${ports.low}-${ports.high}`;
  return [
    `table ${GUARD_FAMILY} ${GUARD_TABLE} {`,
    '  chain prerouting {',
    '    type filter hook prerouting priority -300; policy accept;',
    `    iifname "${iface}" tcp dport ${range} drop comment "synack: the userspace stack owns these ports"`,
    '  }',
    '  chain output {',
    '    type filter hook output priority -300; policy accept;',
    `    oifname "${iface}" tcp sport ${range} tcp flags rst drop comment "synack: no kernel RST for our ports"`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export function guardTableExists(): boolean {
  try {
    run(['nft', 'list', 'table', GUARD_FAMILY, GUARD_TABLE]);
    return true;
  } catch {
    return false;
  }
}

/** The kernel's ephemeral port range (net.ipv4.ip_local_port_range). */
export function kernelEphemeralRange(): GuardPortRange {
  try {
    const [low, high] = run(['cat', '/proc/sys/net/ipv4/ip_local_port_range'])
      .trim()
      .split(/\s+/)
      .map(Number);
    return { low, high };
  } catch {
    return { low: 32768, high: 60999 };
  }
}

const JOURNAL_PREFIX = 'net-guard-';

/**
 * Removes the guard tables of synack processes that died without cleaning up (SIGKILL). Only
 * guard journals are touched: other tools' journals are theirs to reap, in their namespace.
 */
export function reapStaleGuards(stateDir: string = LAB_PATHS.stateDir): number {
  return reapStaleJournals(JOURNAL_PREFIX, stateDir);
}

export class HostGuard {
  private constructor(
    private readonly journal: HostStateJournal,
    readonly iface: string,
    readonly ports: GuardPortRange,
  ) {}

  /**
   * Removes leftovers of killed runs, then installs the guard table for `iface`. Throws
   * HostGuardError when nft is missing, a live process already guards, or the range overlaps the
   * kernel's own ephemeral ports.
   */
  static install(iface: string, ports: GuardPortRange = DEFAULT_GUARDED_PORTS): HostGuard {
    reapStaleGuards();
    const kernel = kernelEphemeralRange();
    if (ports.low <= kernel.high && ports.high >= kernel.low) {
      throw new HostGuardError(
        `port range ${ports.low}-${ports.high} overlaps the kernel's ephemeral ports ${kernel.low}-${kernel.high}`,
        'choose a range outside net.ipv4.ip_local_port_range',
      );
    }
    if (guardTableExists()) {
      throw new HostGuardError(
        `nftables table ${GUARD_FAMILY} ${GUARD_TABLE} already exists: another synack runs in --host-ip mode`,
        `stop it, or remove the table: nft delete table ${GUARD_FAMILY} ${GUARD_TABLE}`,
      );
    }
    const journal = HostStateJournal.create(`${JOURNAL_PREFIX}${process.pid}`);
    journal.add({ kind: 'nft-table', family: GUARD_FAMILY, name: GUARD_TABLE });
    try {
      run(['nft', '-f', '-'], { input: guardRuleset(iface, ports) });
    } catch (err) {
      journal.undoAll();
      const detail = err instanceof CommandError ? err.stderr.trim() : String(err);
      throw new HostGuardError(
        `could not install the nftables guard: ${detail}`,
        'is nftables installed (apt-get install nftables)?',
      );
    }
    return new HostGuard(journal, iface, ports);
  }

  /** Removes the table (idempotent). */
  remove(): void {
    const failures = this.journal.undoAll();
    if (failures.length > 0) throw new Error(`could not remove the nftables guard: ${failures[0].error}`);
  }
}
