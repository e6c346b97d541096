// Helpers for integration tests: throwaway namespace pairs, commands inside namespaces, and
// tcpdump captures. Everything is registered in a host-state journal (so even a SIGKILLed test
// run is cleaned up by the next reapStaleHostState()) and removed again by t.after.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HostStateJournal } from '../../src/lab/host-state.js';
import { type RunOptions, run } from '../../src/lab/sys.js';

/** The part of node:test's TestContext these helpers need. */
export interface Cleanup {
  after(fn: () => unknown): void;
}

export interface NetnsEnd {
  readonly netns: string;
  readonly ifname: string;
  readonly ipv4: string;
  readonly ipv6: string;
  readonly mac: string;
}

export interface NetnsPair {
  readonly a: NetnsEnd;
  readonly b: NetnsEnd;
  readonly ipv4Prefix: 24;
  readonly ipv6Prefix: 64;
}

let counter = 0;

/** A name no other test process uses: `synt-<pid>-<n>` (+ suffix). */
export function uniqueName(suffix = ''): string {
  counter += 1;
  return `synt-${process.pid}-${counter}${suffix}`;
}

/**
 * Two fresh namespaces joined by a veth pair (`veth0` in each), with IPv4 10.99.0.1/.2 and IPv6
 * fd99::1/::2 (no DAD), links up, removed by t.after. Namespaces are private, so the fixed
 * addresses never collide with the host or with another pair.
 */
export function createNetnsPair(t: Cleanup): NetnsPair {
  const base = uniqueName();
  const journal = HostStateJournal.create(`test-${base}`);
  t.after(() => journal.undoAll());
  const a: NetnsEnd = {
    netns: `${base}-a`,
    ifname: 'veth0',
    ipv4: '10.99.0.1',
    ipv6: 'fd99::1',
    mac: '02:99:00:00:00:01',
  };
  const b: NetnsEnd = {
    netns: `${base}-b`,
    ifname: 'veth0',
    ipv4: '10.99.0.2',
    ipv6: 'fd99::2',
    mac: '02:99:00:00:00:02',
  };
  for (const end of [a, b]) {
    journal.add({ kind: 'netns', name: end.netns });
    run(['ip', 'netns', 'add', end.netns]);
    run(['ip', '-n', end.netns, 'link', 'set', 'lo', 'up']);
  }
  run(
    ['ip', 'link', 'add', 'name', a.ifname, 'netns', a.netns, 'address', a.mac, 'type', 'veth'].concat([
      'peer',
      'name',
      b.ifname,
      'netns',
      b.netns,
      'address',
      b.mac,
    ]),
  );
  for (const end of [a, b]) {
    run(['ip', '-n', end.netns, 'addr', 'add', `${end.ipv4}/24`, 'dev', end.ifname]);
    run(['ip', '-n', end.netns, '-6', 'addr', 'add', `${end.ipv6}/64`, 'dev', end.ifname, 'nodad']);
    run(['ip', '-n', end.netns, 'link', 'set', end.ifname, 'up']);
  }
  return { a, b, ipv4Prefix: 24, ipv6Prefix: 64 };
}

/** Runs a command inside a namespace and returns its stdout (throws with stderr on failure). */
export function netnsExec(
  netns: string,
  argv: readonly string[],
  opts: Omit<RunOptions, 'netns'> = {},
): string {
  return run(argv, { ...opts, netns });
}

/** Starts a long-running command inside a namespace; killed by t.after if still running. */
export function netnsSpawn(t: Cleanup, netns: string, argv: readonly string[]): ChildProcess {
  const child = spawn('ip', ['netns', 'exec', netns, ...argv], { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

export interface Capture {
  /** The pcap file; complete once stop() resolves. Deleted by t.after unless `keep`. */
  readonly path: string;
  /** Stops tcpdump with SIGINT (it flushes and closes the file); resolves with its packet count. */
  stop(): Promise<{ packets: number }>;
}

export interface CaptureOptions {
  readonly netns?: string;
  readonly iface: string;
  /** A pcap-filter(7) expression, e.g. 'tcp port 80'. */
  readonly filter?: string;
  readonly path?: string;
  readonly keep?: boolean;
}

/** Starts tcpdump and resolves once it reports "listening on", so no packet is missed. */
export async function startCapture(t: Cleanup, opts: CaptureOptions): Promise<Capture> {
  const dir = opts.path ? undefined : mkdtempSync(join(tmpdir(), 'synack-cap-'));
  const path = opts.path ?? join(dir!, 'capture.pcap');
  // --immediate-mode: hand over each packet at once (TPACKET_V3 would hold it up to 1 s);
  // -U: write each one to the file as it arrives.
  const flags = ['-n', '--immediate-mode', '-U', '-w', path];
  const tcpdump = ['tcpdump', '-i', opts.iface, ...flags, ...(opts.filter ? [opts.filter] : [])];
  const argv = opts.netns ? ['ip', 'netns', 'exec', opts.netns, ...tcpdump] : tcpdump;
  const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    stderr += s;
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
    if (dir && !opts.keep) rmSync(dir, { recursive: true, force: true });
  });
  await waitFor(
    () => stderr.includes('listening on'),
    exited,
    () => `tcpdump did not start: ${stderr}`,
  );
  return {
    path,
    async stop() {
      // Let packets still in flight land: wait until the file stops growing (bounded).
      await settled(path);
      child.kill('SIGINT');
      await exited;
      const m = /(\d+) packets? captured/.exec(stderr);
      if (!m) throw new Error(`tcpdump did not report its count: ${stderr}`);
      return { packets: Number(m[1]) };
    },
  };
}

async function settled(path: string, quietMs = 100, maxMs = 2000): Promise<void> {
  const sizeOf = () => (existsSync(path) ? statSync(path).size : -1);
  let last = sizeOf();
  let quietSince = Date.now();
  for (const start = Date.now(); Date.now() - start < maxMs && Date.now() - quietSince < quietMs; ) {
    await new Promise((r) => setTimeout(r, 20));
    const now = sizeOf();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }
}

async function waitFor(ready: () => boolean, exited: Promise<void>, why: () => string, timeoutMs = 10_000) {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (gone || Date.now() > deadline) throw new Error(why());
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Number of packet records in a classic pcap file (what tcpdump -w writes). */
export function countPcapRecords(path: string): number {
  const buf = readFileSync(path);
  const magic = buf.readUInt32LE(0);
  const little = magic === 0xa1b2c3d4 || magic === 0xa1b23c4d;
  if (!little && buf.readUInt32BE(0) !== 0xa1b2c3d4 && buf.readUInt32BE(0) !== 0xa1b23c4d) {
    throw new Error(`${path}: not a pcap file`);
  }
  let count = 0;
  for (let off = 24; off + 16 <= buf.length; count++) {
    const caplen = little ? buf.readUInt32LE(off + 8) : buf.readUInt32BE(off + 8);
    off += 16 + caplen;
  }
  return count;
}
