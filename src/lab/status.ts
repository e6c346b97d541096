// What the lab looks like right now, read from the kernel and the servers (not from our notes):
// namespaces, addresses, forwarding, servers listening and reachable, file checksums, loss.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { sha256File } from './content.js';
import { HostStateJournal } from './host-state.js';
import { currentLoss, type LossSetting } from './loss.js';
import {
  CLIENT_LINK,
  HOST_LINK,
  LAB_FILES,
  LAB_JOURNAL,
  LAB_NAMESPACES,
  LAB_PATHS,
  LAB_PORTS,
  type LabServerName,
} from './plan.js';
import { isAlive } from './procs.js';
import { LAB_SERVERS, listeningPorts, runningServer } from './servers.js';
import { run } from './sys.js';
import { readSysctl, tapPresent } from './topology.js';
import { netnsExists } from './undo-actions.js';

export interface LinkStatus {
  readonly netns: string;
  readonly ifname: string;
  readonly addresses: string[];
  readonly up: boolean;
}

export interface ServerStatus {
  readonly name: LabServerName;
  readonly port: number;
  readonly process: string;
  readonly running: boolean;
  readonly listening: boolean;
  /** TCP connect results from the host (TAP path) and from the client namespace, per family. */
  readonly reachable: { host4: boolean; host6: boolean; client4: boolean; client6: boolean };
}

export interface LabStatus {
  /** Everything present, every server listening and reachable, every file intact. */
  readonly up: boolean;
  /** "kept" (lab up), "process N" (a program's lab), "stale" (its process died), "none". */
  readonly owner: string;
  readonly namespaces: Array<{ name: string; present: boolean }>;
  readonly links: LinkStatus[];
  readonly forwarding: { ipv4: boolean; ipv6: boolean };
  readonly tapPresent: boolean;
  readonly servers: ServerStatus[];
  readonly files: Array<{ name: string; size: number; state: 'ok' | 'missing' | 'corrupt' }>;
  readonly loss: LossSetting | null;
}

export async function labStatus(opts: { verifyFiles?: boolean } = {}): Promise<LabStatus> {
  const namespaces = [LAB_NAMESPACES.server, LAB_NAMESPACES.client].map((name) => ({
    name,
    present: netnsExists(name),
  }));
  const links = [
    linkStatus('host', HOST_LINK.host.ifname),
    linkStatus(LAB_NAMESPACES.server, HOST_LINK.server.ifname),
    linkStatus(LAB_NAMESPACES.server, CLIENT_LINK.server.ifname),
    linkStatus(LAB_NAMESPACES.client, CLIENT_LINK.client.ifname),
  ];
  const forwarding = {
    ipv4: readSysctl('net.ipv4.ip_forward') === '1',
    ipv6: readSysctl('net.ipv6.conf.all.forwarding') === '1',
  };
  const loss = namespaces[0].present ? (currentLoss() ?? null) : null;
  // With loss set, a SYN or SYN-ACK may be dropped: allow for three retransmissions (RFC 6298 backoff).
  const timeoutMs = loss ? 8000 : 3000;
  const [servers, files] = await Promise.all([
    serverStatuses(timeoutMs),
    fileStatuses(opts.verifyFiles ?? true),
  ]);
  const up =
    namespaces.every((n) => n.present) &&
    links.every((l) => l.up) &&
    forwarding.ipv4 &&
    forwarding.ipv6 &&
    servers.every((s) => s.listening && Object.values(s.reachable).every(Boolean)) &&
    files.every((f) => f.state === 'ok');
  return {
    up,
    owner: owner(),
    namespaces,
    links,
    forwarding,
    tapPresent: tapPresent(),
    servers,
    files,
    loss,
  };
}

function owner(): string {
  const journal = HostStateJournal.open(LAB_JOURNAL);
  if (!journal) return 'none';
  const proc = journal.owner();
  if (!proc) return 'kept';
  return isAlive(proc) ? `process ${proc.pid}` : `stale (process ${proc.pid} is gone)`;
}

function linkStatus(netns: string, ifname: string): LinkStatus {
  const inHost = netns === 'host';
  if (!inHost && !netnsExists(netns)) return { netns, ifname, addresses: [], up: false };
  const ns = inHost ? [] : ['-n', netns];
  let info: Array<{
    operstate?: string;
    addr_info?: Array<{ local: string; prefixlen: number; scope: string }>;
  }>;
  try {
    info = JSON.parse(run(['ip', ...ns, '-j', 'addr', 'show', 'dev', ifname]));
  } catch {
    return { netns, ifname, addresses: [], up: false };
  }
  const addresses = (info[0]?.addr_info ?? [])
    .filter((a) => a.scope === 'global')
    .map((a) => `${a.local}/${a.prefixlen}`);
  return { netns, ifname, addresses, up: info[0]?.operstate === 'UP' };
}

const PORT_NAMES = Object.entries(LAB_PORTS) as Array<[LabServerName, number]>;

async function serverStatuses(timeoutMs: number): Promise<ServerStatus[]> {
  const listening = listeningPorts();
  // Without the lab's link the host would route these addresses elsewhere (its default route).
  const probe = netnsExists(LAB_NAMESPACES.server) && existsSync(`/sys/class/net/${HOST_LINK.host.ifname}`);
  const tcpConnect = probe ? tcpConnectFromHost : async () => false;
  return Promise.all(
    PORT_NAMES.map(async ([name, port]) => {
      const spec = LAB_SERVERS.find((s) => s.ports.includes(port))!;
      const [host4, host6, client4, client6] = await Promise.all([
        tcpConnect(HOST_LINK.server.ipv4, port, timeoutMs),
        tcpConnect(HOST_LINK.server.ipv6, port, timeoutMs),
        tcpConnectFromClient(CLIENT_LINK.server.ipv4, port, timeoutMs),
        tcpConnectFromClient(CLIENT_LINK.server.ipv6, port, timeoutMs),
      ]);
      return {
        name,
        port,
        process: spec.name,
        running: runningServer(spec) !== undefined,
        listening: listening.has(port),
        reachable: { host4, host6, client4, client6 },
      };
    }),
  );
}

function tcpConnectFromHost(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: timeoutMs });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.once('connect', () => done(true));
    socket.once('timeout', () => done(false));
    socket.once('error', () => done(false));
  });
}

function tcpConnectFromClient(host: string, port: number, timeoutMs: number): Promise<boolean> {
  if (!netnsExists(LAB_NAMESPACES.client)) return Promise.resolve(false);
  const probe = `exec 3<>/dev/tcp/${host}/${port}`;
  const argv = [
    'netns',
    'exec',
    LAB_NAMESPACES.client,
    'timeout',
    String(timeoutMs / 1000),
    'bash',
    '-c',
    probe,
  ];
  return new Promise((resolve) => execFile('ip', argv, (err) => resolve(!err)));
}

async function fileStatuses(verify: boolean): Promise<LabStatus['files']> {
  return Promise.all(
    LAB_FILES.map(async (file) => {
      const path = join(LAB_PATHS.wwwDir, file.name);
      if (!existsSync(path)) return { name: file.name, size: file.size, state: 'missing' as const };
      if (!verify) return { name: file.name, size: file.size, state: 'ok' as const };
      const ok = (await sha256File(path)) === file.sha256;
      return { name: file.name, size: file.size, state: ok ? ('ok' as const) : ('corrupt' as const) };
    }),
  );
}

/** The short human table `synack lab status` prints. */
export function formatLabStatus(s: LabStatus): string {
  const yes = (b: boolean) => (b ? 'ok' : '--');
  const lines: string[] = [];
  lines.push(`lab: ${s.up ? 'up' : 'NOT up'} (owner: ${s.owner})`);
  lines.push(`namespaces: ${s.namespaces.map((n) => `${n.name} ${yes(n.present)}`).join(', ')}`);
  lines.push(
    `forwarding: ipv4 ${yes(s.forwarding.ipv4)}, ipv6 ${yes(s.forwarding.ipv6)}; TAP synack0 ${s.tapPresent ? 'present' : 'absent (the stack opens it)'}`,
  );
  lines.push('links:');
  for (const l of s.links) {
    lines.push(
      `  ${pad(l.netns, 11)} ${pad(l.ifname, 10)} ${pad(l.up ? 'UP' : 'DOWN', 5)} ${l.addresses.join(' ')}`,
    );
  }
  lines.push(`servers:     port  proc     run  listen  host-v4 host-v6 cli-v4 cli-v6`);
  for (const v of s.servers) {
    const r = v.reachable;
    lines.push(
      `  ${pad(v.name, 10)} ${pad(String(v.port), 5)} ${pad(v.process, 8)} ${pad(yes(v.running), 4)} ${pad(yes(v.listening), 7)} ` +
        `${pad(yes(r.host4), 7)} ${pad(yes(r.host6), 7)} ${pad(yes(r.client4), 6)} ${yes(r.client6)}`,
    );
  }
  lines.push(
    `files: ${s.files.map((f) => `${f.name} ${f.state === 'ok' ? 'sha256 ok' : f.state}`).join(', ')}`,
  );
  lines.push(
    `loss: ${s.loss ? `${s.loss.percent}% (${s.loss.direction}, nft inet synack_lab in ${LAB_NAMESPACES.server})` : 'none'}`,
  );
  return lines.join('\n');
}

function pad(text: string, width: number): string {
  return text.padEnd(width);
}
