// Shared pieces of the src/net integration tests: a stack agent in a namespace, the CLI in a
// namespace, a namespace of our own, a TCP server, and counting RSTs in a capture.
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HostStateJournal } from '../../../src/lab/host-state.js';
import { run } from '../../../src/lab/sys.js';
import { CLI_ENTRY } from '../../helpers/cli.js';
import { type Cleanup, uniqueName } from '../../helpers/netns.js';

const AGENT = fileURLToPath(new URL('./agent.ts', import.meta.url));

export type AgentEvent = { event: string } & Record<string, unknown>;

export interface Agent {
  child: ChildProcess;
  events: AgentEvent[];
  /** Resolves with the exit code (or signal) once the agent is gone. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
  /** Tells an agent started with waitForGo to act. */
  go(): void;
}

/** Starts the agent inside `netns` and resolves once it reports "ready" (or fails). */
export async function startAgent(t: Cleanup, netns: string, request: unknown): Promise<Agent> {
  const child = spawn(
    'ip',
    ['netns', 'exec', netns, process.execPath, '--import', 'tsx', AGENT, JSON.stringify(request)],
    {
      stdio: ['pipe', 'pipe', 'pipe'],
    },
  );
  const events: AgentEvent[] = [];
  let err = '';
  let buffered = '';
  child.stdout!.setEncoding('utf8').on('data', (s: string) => {
    buffered += s;
    let nl = buffered.indexOf('\n');
    while (nl >= 0) {
      events.push(JSON.parse(buffered.slice(0, nl)) as AgentEvent);
      buffered = buffered.slice(nl + 1);
      nl = buffered.indexOf('\n');
    }
  });
  child.stderr!.setEncoding('utf8').on('data', (s: string) => {
    err += s;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  t.after(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  const agent = { child, events, exited, stderr: () => err, go: () => child.stdin!.write('go\n') };
  await waitUntil(
    () => events.some((e) => e.event === 'ready'),
    exited,
    () => `agent did not start: ${err}`,
  );
  return agent;
}

/** Runs an agent action to completion and returns its events. */
export async function runAgent(t: Cleanup, netns: string, request: unknown): Promise<AgentEvent[]> {
  const agent = await startAgent(t, netns, request);
  const { code } = await agent.exited;
  if (code !== 0) throw new Error(`agent failed (${code}): ${agent.stderr()}`);
  return agent.events;
}

export async function waitUntil(
  ready: () => boolean,
  exited: Promise<unknown> | null,
  why: () => string,
  timeoutMs = 20_000,
): Promise<void> {
  let gone = false;
  void exited?.then(() => {
    gone = true;
  });
  const deadline = Date.now() + timeoutMs;
  while (!ready()) {
    if (gone || Date.now() > deadline) throw new Error(why());
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** The synack CLI inside a namespace (synchronous). */
export function cliIn(netns: string, args: string[], timeoutMs = 60_000) {
  return spawnSync('ip', ['netns', 'exec', netns, process.execPath, '--import', 'tsx', CLI_ENTRY, ...args], {
    encoding: 'utf8',
    timeout: timeoutMs,
  });
}

/** The synack CLI inside a namespace as a child we can signal. */
export function spawnCliIn(t: Cleanup, netns: string, args: string[]): ChildProcess {
  // exec: the namespace wrapper becomes node itself, so signals reach the CLI directly.
  const child = spawn(
    'ip',
    ['netns', 'exec', netns, process.execPath, '--import', 'tsx', CLI_ENTRY, ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

/** A fresh namespace with loopback up, removed by t.after (and by the journal if we are killed). */
export function createNetns(t: Cleanup): string {
  const name = uniqueName('-n');
  const journal = HostStateJournal.create(`test-${name}`);
  t.after(() => journal.undoAll());
  journal.add({ kind: 'netns', name });
  run(['ip', 'netns', 'add', name]);
  run(['ip', '-n', name, 'link', 'set', 'lo', 'up']);
  return name;
}

/** Python's HTTP server listening on addr:port inside netns; resolves once it accepts. */
export async function startServer(t: Cleanup, netns: string, addr: string, port: number): Promise<void> {
  const child = spawn(
    'ip',
    ['netns', 'exec', netns, 'python3', '-m', 'http.server', String(port), '--bind', addr],
    {
      stdio: 'ignore',
    },
  );
  t.after(() => {
    if (child.exitCode === null) child.kill('SIGKILL');
  });
  await waitUntil(
    () => run(['ss', '-Hltn', `sport = :${port}`], { netns }).trim() !== '',
    new Promise((r) => child.once('exit', r)),
    () => 'the HTTP server did not start',
  );
}

export interface TcpSeen {
  src: string;
  flags: number;
}

/** TCP segments in a classic pcap of Ethernet frames (IPv4 and IPv6 without extension headers). */
export function tcpSegmentsInPcap(path: string): TcpSeen[] {
  const buf = readFileSync(path);
  const little = buf.readUInt32LE(0) === 0xa1b2c3d4 || buf.readUInt32LE(0) === 0xa1b23c4d;
  const u32 = (o: number) => (little ? buf.readUInt32LE(o) : buf.readUInt32BE(o));
  const out: TcpSeen[] = [];
  for (let off = 24; off + 16 <= buf.length; ) {
    const caplen = u32(off + 8);
    const frame = buf.subarray(off + 16, off + 16 + caplen);
    off += 16 + caplen;
    const type = frame.readUInt16BE(12);
    if (type === 0x0800 && frame[23] === 6) {
      const ihl = (frame[14] & 15) * 4;
      out.push({ src: [...frame.subarray(26, 30)].join('.'), flags: frame[14 + ihl + 13] });
    } else if (type === 0x86dd && frame[20] === 6) {
      out.push({ src: frame.subarray(22, 38).toString('hex'), flags: frame[14 + 40 + 13] });
    }
  }
  return out;
}

export const RST = 0x04;

/** iputils ping inside a namespace: the number of replies it got. */
export function kernelPing(netns: string, addr: string, count = 2, size = 56): number {
  const args = ['-c', String(count), '-i', '0.2', '-W', '2', '-s', String(size), addr];
  const r = spawnSync('ip', ['netns', 'exec', netns, 'ping', ...args], {
    encoding: 'utf8',
    timeout: 30_000,
  });
  const m = /(\d+) received/.exec(r.stdout);
  return m ? Number(m[1]) : 0;
}

export function nftTableExists(netns: string): boolean {
  try {
    run(['nft', 'list', 'table', 'inet', 'synack_guard'], { netns });
    return true;
  } catch {
    return false;
  }
}
