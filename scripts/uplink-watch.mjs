// The uplink watch: tcpdump on every interface that holds a default route in this network namespace,
// filtered to what must never leave the host while the integration suite runs: the lab's prefixes
// (10.77.0.0/16, fd77::/16) and DNS. scripts/run-tests.mjs runs it over the integration files, and
// test/integration/zz-uplink/no-leak.test.ts reads what it caught.
// A watch directory holds, per uplink IFACE: IFACE.pcap (tcpdump -w) and, once stopped, IFACE.json
// ({ iface, cleanStop, stderr }): cleanStop says tcpdump ran until stop() and exited 0, so the
// capture covers the whole watch.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const LEAK_FILTER = 'net 10.77.0.0/16 or net fd77::/16 or port 53';
// Generous, so a loaded machine (npm run test:busy) does not fail for nothing: tcpdump usually
// opens an interface, and flushes and exits on SIGINT, in well under a second.
const START_DEADLINE_MS = 10_000;
const STOP_DEADLINE_MS = 10_000;

/** The interfaces of every IPv4 and IPv6 default route (a multipath route has one per nexthop). */
export function uplinks() {
  const names = new Set();
  for (const family of ['-4', '-6']) {
    const out = execFileSync('ip', ['-j', family, 'route', 'show', 'default'], { encoding: 'utf8' });
    for (const route of JSON.parse(out.trim() || '[]')) {
      for (const hop of route.nexthops ?? [route]) if (hop.dev) names.add(hop.dev);
    }
  }
  return [...names].sort();
}

/** Starts tcpdump on each interface; resolves once every one reports "listening on". */
export async function startWatch(dir, ifaces = uplinks()) {
  const captures = ifaces.map((iface) => startTcpdump(dir, iface));
  const watch = {
    dir,
    ifaces,
    stop: async () => {
      await Promise.all(captures.map((c) => c.stop()));
    },
    kill: () => {
      for (const c of captures) c.kill();
    },
  };
  try {
    await Promise.all(captures.map((c) => c.listening));
  } catch (err) {
    watch.kill();
    throw err;
  }
  return watch;
}

function startTcpdump(dir, iface) {
  const pcap = join(dir, `${iface}.pcap`);
  // setpriv --pdeathsig: tcpdump dies with us even if we are SIGKILLed, instead of capturing forever;
  // -Z root keeps that working (tcpdump's switch to its own user would clear the death signal).
  // --immediate-mode and -U: each frame reaches the file at once, none waits in a buffer at SIGINT.
  const tcpdump = ['tcpdump', '-Z', 'root', '-i', iface, '-n', '--immediate-mode', '-U', '-w', pcap];
  const argv = ['--pdeathsig', 'KILL', ...tcpdump];
  const child = spawn('setpriv', [...argv, LEAK_FILTER], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (s) => {
    stderr += s;
  });
  const exited = new Promise((resolve) => {
    child.once('error', (err) => resolve({ code: null, error: err.message }));
    child.once('exit', (code) => resolve({ code }));
  });
  let running = true;
  void exited.then(() => {
    running = false;
  });
  const listening = untilListening(child, exited, () => stderr, iface);
  const kill = () => {
    if (running) child.kill('SIGKILL');
  };
  const stop = async () => {
    const wasRunning = running;
    if (running) child.kill('SIGINT');
    const end = await withDeadline(exited, STOP_DEADLINE_MS, kill);
    const cleanStop = wasRunning && end.code === 0;
    const record = { iface, cleanStop, stderr: end.error ? `${stderr}${end.error}\n` : stderr };
    writeFileSync(join(dir, `${iface}.json`), `${JSON.stringify(record)}\n`);
  };
  return { listening, stop, kill };
}

function untilListening(child, exited, stderr, iface) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(
        new Error(`tcpdump on ${iface} did not start within ${START_DEADLINE_MS / 1000} s: ${stderr()}`),
      );
    }, START_DEADLINE_MS);
    child.stderr.on('data', () => {
      if (!stderr().includes('listening on')) return;
      clearTimeout(timer);
      resolve();
    });
    void exited.then(({ error }) => {
      clearTimeout(timer);
      reject(new Error(`tcpdump on ${iface} exited before capturing: ${(error ?? stderr()).trim()}`));
    });
  });
}

async function withDeadline(promise, ms, onTimeout) {
  let timer;
  const late = new Promise((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  const first = await Promise.race([promise, late.then(() => null)]);
  clearTimeout(timer);
  if (first !== null) return first;
  onTimeout();
  return promise;
}

/** What a watch left in `dir`, per uplink; an uplink without its .json was never stopped cleanly. */
export function readWatch(dir) {
  return readdirSync(dir)
    .filter((name) => name.endsWith('.pcap'))
    .sort()
    .map((name) => {
      const iface = name.slice(0, -'.pcap'.length);
      const pcap = join(dir, name);
      try {
        const record = JSON.parse(readFileSync(join(dir, `${iface}.json`), 'utf8'));
        return { iface, pcap, cleanStop: record.cleanStop === true, stderr: record.stderr };
      } catch {
        return { iface, pcap, cleanStop: false, stderr: '(tcpdump was never stopped)' };
      }
    });
}

/** The capture's frames, one line each, as `tcpdump -n -r` prints them. */
export function framesOf(pcap) {
  const out = execFileSync('tcpdump', ['-n', '-r', pcap], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return out.split('\n').filter((line) => line !== '');
}
