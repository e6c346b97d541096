// The lab's server processes, started inside the server namespace with pid files in the run
// directory. Each is registered in the undo journal; deleting the namespace also stops them.
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CHUNKED_RESPONDER_PY } from './chunked-responder.js';
import { DNS_RESPONDER_PY } from './dns-responder.js';
import { LabError } from './errors.js';
import type { HostStateJournal } from './host-state.js';
import { nginxConf } from './nginx-conf.js';
import { HOST_LINK, LAB_DNS, LAB_NAMESPACES, LAB_PATHS, LAB_PORTS } from './plan.js';
import { isAlive, type ProcessId, processId, terminate } from './procs.js';
import { run } from './sys.js';

const SRV = LAB_NAMESPACES.server;
export const PYTHON = '/usr/bin/python3';

export interface ServerSpec {
  /** nginx, http10, chunked */
  readonly name: string;
  readonly ports: readonly number[];
  readonly describe: string;
  /** Writes config files, returns the command line. */
  prepare(paths: typeof LAB_PATHS): string[];
}

export const LAB_SERVERS: readonly ServerSpec[] = [
  {
    name: 'nginx',
    ports: [LAB_PORTS.http, LAB_PORTS.https],
    describe: 'nginx HTTP/1.1 keep-alive + HTTPS',
    prepare(paths) {
      const conf = join(paths.runDir, 'nginx.conf');
      writeFileSync(conf, nginxConf(paths));
      mkdirSync(join(paths.runDir, 'nginx-tmp'), { recursive: true });
      return ['nginx', '-p', paths.runDir, '-c', conf, '-e', join(paths.runDir, 'nginx-error.log')];
    },
  },
  {
    name: 'http10',
    ports: [LAB_PORTS.http10],
    describe: 'Python http.server, HTTP/1.0 (closes)',
    prepare(paths) {
      return [PYTHON, '-u', '-m', 'http.server', String(LAB_PORTS.http10), '--bind', '::'].concat([
        '--directory',
        paths.wwwDir,
      ]);
    },
  },
  {
    name: 'dns',
    ports: [LAB_DNS.port],
    describe: `DNS for *.${LAB_DNS.zone} (UDP; other names: NXDOMAIN)`,
    prepare(paths) {
      const script = join(paths.runDir, 'dns.py');
      writeFileSync(script, DNS_RESPONDER_PY);
      const { ipv4, ipv6 } = HOST_LINK.server;
      return [PYTHON, '-u', script, String(LAB_DNS.port), LAB_DNS.zone, ipv4, ipv6];
    },
  },
  {
    name: 'chunked',
    ports: [LAB_PORTS.chunked],
    describe: 'Python responder, Transfer-Encoding: chunked',
    prepare(paths) {
      const script = join(paths.runDir, 'chunked.py');
      writeFileSync(script, CHUNKED_RESPONDER_PY);
      return [PYTHON, '-u', script, String(LAB_PORTS.chunked), paths.wwwDir];
    },
  },
];

function pidFile(spec: ServerSpec, paths: typeof LAB_PATHS): string {
  return join(paths.runDir, `${spec.name}.server.pid`);
}

/** The recorded process of a server if it is still running. */
export function runningServer(spec: ServerSpec, paths: typeof LAB_PATHS = LAB_PATHS): ProcessId | undefined {
  try {
    const [pid, startTime] = readFileSync(pidFile(spec, paths), 'utf8').trim().split(' ');
    const proc = { pid: Number(pid), startTime: startTime ?? '' };
    return isAlive(proc) ? proc : undefined;
  } catch {
    return undefined;
  }
}

/** TCP and UDP ports with a listening (bound) socket inside the server namespace. */
export function listeningPorts(): Set<number> {
  const ports = new Set<number>();
  if (!existsSync(`/run/netns/${SRV}`)) return ports;
  for (const line of run(['ss', '-Hltun'], { netns: SRV }).split('\n')) {
    const local = line.trim().split(/\s+/)[4]; // Netid State Recv-Q Send-Q Local Peer
    if (local) ports.add(Number(local.slice(local.lastIndexOf(':') + 1)));
  }
  return ports;
}

/** Starts every server that is not running and listening; returns the names it started. */
export async function ensureServers(journal: HostStateJournal, paths = LAB_PATHS): Promise<string[]> {
  const started: string[] = [];
  const listening = listeningPorts();
  for (const spec of LAB_SERVERS) {
    const proc = runningServer(spec, paths);
    if (proc && spec.ports.every((p) => listening.has(p))) continue;
    if (proc) terminate([proc]); // running but not listening: replace it
    startServer(journal, spec, paths);
    started.push(spec.name);
  }
  await waitListening(started, paths);
  return started;
}

function startServer(journal: HostStateJournal, spec: ServerSpec, paths: typeof LAB_PATHS): void {
  const argv = spec.prepare(paths);
  const log = openSync(join(paths.runDir, `${spec.name}.log`), 'a');
  try {
    // `ip netns exec` enters the namespace and execs the server: the pid is the server's own.
    const child = spawn('ip', ['netns', 'exec', SRV, ...argv], {
      detached: true,
      stdio: ['ignore', log, log],
    });
    child.unref();
    if (child.pid === undefined) throw new LabError(`could not start ${spec.name}`);
    const proc = processId(child.pid);
    journal.add({ kind: 'process', ...proc });
    writeFileSync(pidFile(spec, paths), `${proc.pid} ${proc.startTime}\n`);
  } finally {
    closeSync(log);
  }
}

async function waitListening(names: string[], paths: typeof LAB_PATHS, timeoutMs = 15_000): Promise<void> {
  const specs = LAB_SERVERS.filter((s) => names.includes(s.name));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const listening = listeningPorts();
    const waiting = specs.filter((s) => !s.ports.every((p) => listening.has(p)));
    if (waiting.length === 0) return;
    const dead = waiting.find((s) => !runningServer(s, paths));
    if (dead || Date.now() > deadline) {
      const spec = dead ?? waiting[0];
      throw new LabError(
        `${spec.name} did not start listening on port ${spec.ports.join(', ')}: ${lastLines(spec, paths)}`,
        `see ${join(paths.runDir, `${spec.name}.log`)}`,
      );
    }
    await new Promise((r) => setTimeout(r, 30));
  }
}

function lastLines(spec: ServerSpec, paths: typeof LAB_PATHS): string {
  const files = [join(paths.runDir, `${spec.name}.log`), join(paths.runDir, 'nginx-error.log')];
  const text = files
    .filter(existsSync)
    .map((f) => readFileSync(f, 'utf8'))
    .join('\n');
  return text.trim().split('\n').slice(-3).join(' | ') || 'no output';
}
