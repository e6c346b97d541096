// Nothing of the lab leaves the machine. The lab turns on host-wide forwarding (the host routes
// between the stack's TAP and the server), and the host has a default route out of its uplink, so
// without this a packet for a lab address that no lab link owns (a TTL-limited probe, a curl to
// 10.77.9.9) would follow the default route out. Two fences, both undone with the lab:
//  - unreachable routes for the lab's whole prefixes: the lab's own routes are more specific and
//    win (longest prefix, RFC 1812 5.2.4.3); everything else in the prefixes gets ICMP unreachable;
//  - an nftables forward chain: the host forwards a lab interface's packets only to another lab
//    interface, and lab addresses only between lab interfaces.
import type { HostStateJournal } from './host-state.js';
import { LAB_FORWARD_TABLE, LAB_IFNAME_PATTERN, LAB_PREFIXES } from './plan.js';
import { run, tryRun } from './sys.js';

/** The unreachable routes, as `ip route` takes them. */
export const UNREACHABLE_ROUTES: readonly (readonly string[])[] = [
  ['unreachable', LAB_PREFIXES.ipv4],
  ['unreachable', LAB_PREFIXES.ipv6],
];

/** The forward chain (priority filter, policy accept: forwarding that is not the lab's is not ours to judge). */
export function forwardRuleset(): string {
  const { family, name } = LAB_FORWARD_TABLE;
  const lab = `"${LAB_IFNAME_PATTERN}"`;
  return `table ${family} ${name} {
  chain forward {
    type filter hook forward priority filter; policy accept;
    iifname ${lab} oifname ${lab} accept
    iifname ${lab} counter drop comment "a lab packet may not leave the lab"
    oifname ${lab} counter drop comment "nothing from outside is forwarded into the lab"
    ip saddr ${LAB_PREFIXES.ipv4} counter drop comment "lab addresses travel between lab links only"
    ip daddr ${LAB_PREFIXES.ipv4} counter drop
    ip6 saddr ${LAB_PREFIXES.ipv6} counter drop
    ip6 daddr ${LAB_PREFIXES.ipv6} counter drop
  }
}
`;
}

/** Puts both fences up (idempotent, write-ahead journaled); returns what it made. */
export function ensureContainment(journal: HostStateJournal): string[] {
  const made: string[] = [];
  for (const route of UNREACHABLE_ROUTES) {
    if (routePresent(route)) continue;
    journal.add({ kind: 'route', route });
    run(['ip', ...familyFlag(route), 'route', 'add', ...route]);
    made.push(`route ${route.join(' ')}`);
  }
  const { family, name } = LAB_FORWARD_TABLE;
  if (!tryRun(['nft', 'list', 'table', family, name])) {
    journal.add({ kind: 'nft-table', family, name });
    made.push(`nft table ${family} ${name}`);
  }
  // Always (re)load the rules: `nft -f` with a flush keeps the table's content exactly ours.
  run(['nft', '-f', '-'], {
    input: `table ${family} ${name}\nflush table ${family} ${name}\n${forwardRuleset()}`,
  });
  return made;
}

function familyFlag(route: readonly string[]): string[] {
  return route.some((part) => part.includes(':')) ? ['-6'] : [];
}

export function routePresent(route: readonly string[]): boolean {
  const out = run(['ip', ...familyFlag(route), 'route', 'show', 'type', route[0], route[1]]);
  return out.trim() !== '';
}
