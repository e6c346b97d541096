// The lab's namespaces, veth pairs, addresses and routes, made idempotently: each step checks what
// is there, registers its undo action (write-ahead), then changes the host.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { ensureContainment } from './containment.js';
import type { HostStateJournal } from './host-state.js';
import { CLIENT_LINK, HOST_LINK, LAB_NAMESPACES, TAP_LINK } from './plan.js';
import { run, tryRun } from './sys.js';
import { netnsExists, sysctlPath } from './undo-actions.js';

const SRV = LAB_NAMESPACES.server;
const CLI = LAB_NAMESPACES.client;

/** Sysctls the host needs so it routes between the TAP subnet and the server (RFC 1812 router role). */
export const HOST_SYSCTLS = ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding'] as const;

/** Builds (or repairs) everything; returns what it had to create. */
export function ensureTopology(journal: HostStateJournal): string[] {
  const made: string[] = [];
  for (const ns of [SRV, CLI]) if (ensureNetns(journal, ns)) made.push(`netns ${ns}`);
  if (ensureHostVeth(journal)) made.push(`veth ${HOST_LINK.host.ifname}`);
  if (ensureClientVeth(journal)) made.push(`veth ${CLIENT_LINK.server.ifname}`);
  configureAddresses();
  configureRoutes();
  // The fences go up before forwarding is switched on, never after.
  made.push(...ensureContainment(journal));
  for (const key of HOST_SYSCTLS) if (ensureSysctl(journal, key, '1')) made.push(`sysctl ${key}=1`);
  return made;
}

function ensureNetns(journal: HostStateJournal, name: string): boolean {
  if (netnsExists(name)) return false;
  journal.add({ kind: 'netns', name });
  run(['ip', 'netns', 'add', name]);
  run(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
  return true;
}

function linkExists(ifname: string, netns?: string): boolean {
  return tryRun(['ip', ...(netns ? ['-n', netns] : []), 'link', 'show', 'dev', ifname]);
}

function ensureHostVeth(journal: HostStateJournal): boolean {
  const { host, server } = HOST_LINK;
  if (linkExists(host.ifname) && linkExists(server.ifname, SRV)) return false;
  tryRun(['ip', 'link', 'del', host.ifname]); // half a pair (peer lost): start over
  journal.add({ kind: 'link', name: host.ifname });
  run(
    ['ip', 'link', 'add', host.ifname, 'address', host.mac, 'type', 'veth'].concat([
      'peer',
      'name',
      server.ifname,
      'address',
      server.mac,
      'netns',
      SRV,
    ]),
  );
  return true;
}

function ensureClientVeth(journal: HostStateJournal): boolean {
  const { server, client } = CLIENT_LINK;
  if (linkExists(server.ifname, SRV) && linkExists(client.ifname, CLI)) return false;
  tryRun(['ip', '-n', SRV, 'link', 'del', server.ifname]);
  journal.add({ kind: 'link', name: server.ifname, netns: SRV });
  run(
    ['ip', '-n', SRV, 'link', 'add', server.ifname, 'address', server.mac, 'type', 'veth'].concat([
      'peer',
      'name',
      client.ifname,
      'address',
      client.mac,
      'netns',
      CLI,
    ]),
  );
  return true;
}

/** `ip addr replace` is idempotent: safe on every up. */
function configureAddresses(): void {
  const ends: Array<[string | undefined, { ifname: string; ipv4: string; ipv6: string }, number, number]> = [
    [undefined, HOST_LINK.host, HOST_LINK.ipv4Prefix, HOST_LINK.ipv6Prefix],
    [SRV, HOST_LINK.server, HOST_LINK.ipv4Prefix, HOST_LINK.ipv6Prefix],
    [SRV, CLIENT_LINK.server, CLIENT_LINK.ipv4Prefix, CLIENT_LINK.ipv6Prefix],
    [CLI, CLIENT_LINK.client, CLIENT_LINK.ipv4Prefix, CLIENT_LINK.ipv6Prefix],
  ];
  for (const [netns, end, p4, p6] of ends) {
    const ns = netns ? ['-n', netns] : [];
    run(['ip', ...ns, 'addr', 'replace', `${end.ipv4}/${p4}`, 'dev', end.ifname]);
    run(['ip', ...ns, '-6', 'addr', 'replace', `${end.ipv6}/${p6}`, 'dev', end.ifname, 'nodad']);
    run(['ip', ...ns, 'link', 'set', end.ifname, 'up']);
  }
}

function configureRoutes(): void {
  // The server answers the userspace stack on the TAP subnet through the host.
  run(['ip', '-n', SRV, 'route', 'replace', TAP_LINK.ipv4Subnet, 'via', HOST_LINK.host.ipv4]);
  run(['ip', '-n', SRV, '-6', 'route', 'replace', TAP_LINK.ipv6Subnet, 'via', HOST_LINK.host.ipv6]);
  // The client reaches every server address (also 10.77.2.2) through the server's veth, and the
  // stack on the TAP through the server, which routes (its forwarding is its own namespace's).
  run(['ip', '-n', CLI, 'route', 'replace', 'default', 'via', CLIENT_LINK.server.ipv4]);
  run(['ip', '-n', CLI, '-6', 'route', 'replace', 'default', 'via', CLIENT_LINK.server.ipv6]);
  for (const key of SERVER_SYSCTLS) run(['sysctl', '-qw', `${key}=1`], { netns: SRV });
  // The host reaches the client subnet through the server, so replies from the TAP come back.
  run(['ip', 'route', 'replace', CLIENT_LINK.ipv4Subnet, 'via', HOST_LINK.server.ipv4]);
  run(['ip', '-6', 'route', 'replace', CLIENT_LINK.ipv6Subnet, 'via', HOST_LINK.server.ipv6]);
}

/** The server namespace routes between the client link and the host link. */
const SERVER_SYSCTLS = ['net.ipv4.ip_forward', 'net.ipv6.conf.all.forwarding'] as const;

export function readSysctl(key: string): string {
  return readFileSync(sysctlPath(key), 'utf8').trim();
}

function ensureSysctl(journal: HostStateJournal, key: string, value: string): boolean {
  const before = readSysctl(key);
  if (before === value) return false;
  journal.add({ kind: 'sysctl', key, value: before });
  writeFileSync(sysctlPath(key), value);
  return true;
}

/** True if the host end of the TAP path exists (opened by a running userspace stack). */
export function tapPresent(): boolean {
  return existsSync(`/sys/class/net/${TAP_LINK.host.ifname}`);
}
