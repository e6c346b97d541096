// Kernel-side random loss for the lab (this kernel has no netem): an nftables table in the server
// namespace whose chains drop a share of packets with `numgen random`. Covers both paths (TAP via
// the host, and the client veth), since every lab packet enters or leaves the server.
import type { HostStateJournal } from './host-state.js';
import { LAB_NAMESPACES, LAB_NFT_TABLE } from './plan.js';
import { run, tryRun } from './sys.js';

const SRV = LAB_NAMESPACES.server;
const TABLE = `${LAB_NFT_TABLE.family} ${LAB_NFT_TABLE.name}`;

/** Which packets lose: those the server receives, those it sends, or both (each independently). */
export type LossDirection = 'both' | 'to-server' | 'from-server';

export interface LossSetting {
  /** Percent of packets dropped, 0 < percent <= 100, in steps of 0.01. */
  readonly percent: number;
  readonly direction: LossDirection;
}

/** Parses "5", "5%", "0.5%". Undefined if it is not a percentage in (0, 100]. */
export function parseLossPercent(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d{1,2})?)\s*%?\s*$/.exec(text);
  if (!m) return undefined;
  const value = Number(m[1]);
  return value > 0 && value <= 100 ? value : undefined;
}

/** The nft script; `numgen random mod 10000 < N` gives 0.01 % steps. */
export function lossRuleset(loss: LossSetting): string {
  const threshold = Math.round(loss.percent * 100);
  const rule = `numgen random mod 10000 < ${threshold} counter drop`;
  const chains: string[] = [];
  if (loss.direction !== 'from-server') {
    chains.push(`  chain to_server { type filter hook prerouting priority -300; policy accept; ${rule}; }`);
  }
  if (loss.direction !== 'to-server') {
    chains.push(`  chain from_server { type filter hook postrouting priority 300; policy accept; ${rule}; }`);
  }
  // "add" then "delete" then the new table: replaces any older setting in one transaction.
  return [`add table ${TABLE}`, `delete table ${TABLE}`, `table ${TABLE} {`, ...chains, '}', ''].join('\n');
}

/** Sets the loss (or removes it when `loss` is undefined). */
export function applyLoss(journal: HostStateJournal, loss: LossSetting | undefined): void {
  if (!loss) {
    tryRun(['nft', 'delete', 'table', LAB_NFT_TABLE.family, LAB_NFT_TABLE.name], { netns: SRV });
    return;
  }
  if (!currentLoss()) journal.add({ kind: 'nft-table', ...LAB_NFT_TABLE, netns: SRV });
  run(['nft', '-f', '-'], { netns: SRV, input: lossRuleset(loss) });
}

/** Reads the loss back from the kernel: what is really in force. */
export function currentLoss(): LossSetting | undefined {
  let text: string;
  try {
    text = run(['nft', 'list', 'table', LAB_NFT_TABLE.family, LAB_NFT_TABLE.name], { netns: SRV });
  } catch {
    return undefined;
  }
  const m = /mod 10000 < (\d+)/.exec(text);
  if (!m) return undefined;
  const to = text.includes('chain to_server');
  const from = text.includes('chain from_server');
  const direction: LossDirection = to && from ? 'both' : to ? 'to-server' : 'from-server';
  return { percent: Number(m[1]) / 100, direction };
}
