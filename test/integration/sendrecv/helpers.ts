// Shared by the sendrecv integration tests: a namespace of the test's own joined to the host by a
// veth pair (so AF_PACKET in this process sees the kernel's traffic to it), a server in it, and
// kernel traffic generators. Everything is journaled and removed by t.after.
import { type ChildProcess, spawn } from 'node:child_process';
import { HostStateJournal } from '../../../src/lab/host-state.js';
import { run } from '../../../src/lab/sys.js';
import { type Cleanup, uniqueName } from '../../helpers/netns.js';

export interface VethNamespace {
  /** The namespace (peer interface `eth0`). */
  netns: string;
  /** The host end, in this process's namespace. */
  hostIf: string;
  hostV4: string;
  hostV6: string;
  /** The namespace end's addresses. */
  peerV4: string;
  peerV6: string;
  /** An address on the link nobody owns (for the stack's spare-address mode). */
  spareV4: string;
  prefix: string;
}

/** A private subnet per test process, so parallel runs do not collide. */
function subnetIndex(): number {
  return 100 + (process.pid % 150);
}

export function vethNamespace(t: Cleanup): VethNamespace {
  const base = uniqueName();
  const netns = `${base}-n`;
  const hostIf = base.slice(0, 15);
  const n = subnetIndex();
  const journal = HostStateJournal.create(`test-${base}`);
  t.after(() => journal.undoAll());
  journal.add({ kind: 'netns', name: netns });
  run(['ip', 'netns', 'add', netns]);
  run(['ip', '-n', netns, 'link', 'set', 'lo', 'up']);
  journal.add({ kind: 'link', name: hostIf });
  run(['ip', 'link', 'add', 'name', hostIf, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', netns]);
  const v = {
    netns,
    hostIf,
    hostV4: `10.96.${n}.1`,
    hostV6: `fd96:${n}::1`,
    peerV4: `10.96.${n}.2`,
    peerV6: `fd96:${n}::2`,
    spareV4: `10.96.${n}.3`,
    prefix: `10.96.${n}.0/24`,
  };
  run(['ip', 'addr', 'add', `${v.hostV4}/24`, 'dev', hostIf]);
  run(['ip', '-6', 'addr', 'add', `${v.hostV6}/64`, 'dev', hostIf, 'nodad']);
  run(['ip', 'link', 'set', hostIf, 'up']);
  run(['ip', '-n', netns, 'addr', 'add', `${v.peerV4}/24`, 'dev', 'eth0']);
  run(['ip', '-n', netns, '-6', 'addr', 'add', `${v.peerV6}/64`, 'dev', 'eth0', 'nodad']);
  run(['ip', '-n', netns, 'link', 'set', 'eth0', 'up']);
  return v;
}

/** Python's HTTP server on addr:port inside netns; resolves once it accepts connections. */
export async function startHttpServer(t: Cleanup, netns: string, addr: string, port: number): Promise<void> {
  const child = spawn(
    'ip',
    ['netns', 'exec', netns, 'python3', '-m', 'http.server', String(port), '--bind', addr],
    {
      stdio: 'ignore',
    },
  );
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  const host = addr.includes(':') ? `[${addr}]` : addr;
  for (let i = 0; i < 200; i++) {
    try {
      run(['curl', '-s', '-o', '/dev/null', '--max-time', '1', `http://${host}:${port}/`], { netns });
      return;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`http.server on ${addr}:${port} did not start`);
}

/** Starts a command in the background; killed by t.after if still running. */
export function background(t: Cleanup, argv: string[]): ChildProcess {
  const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore' });
  t.after(() => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  });
  return child;
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
