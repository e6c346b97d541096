// Packets per second received and sent per device type (TAP, AF_PACKET on a veth), for each receive
// pump ('worker': poll() in a worker thread + Atomics; 'uv': koffi's uv_poll), with CPU time per
// packet of this process (process.cpuUsage). Needs root. Run: node --import tsx bench/devices.ts
// Options: --frames N (default 200000), --size BYTES (default 106), --batch N (frames per drain, 64).
//
// Receive: a separate generator process writes frames with AF_PACKET onto the kernel side (the TAP
// interface, or the veth peer) as fast as it can; we count what arrives. Send: we write frames as
// fast as transmit() goes.

import { execFileSync, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { FdDevice } from '../src/link/fd-device.js';
import { openPacketSocket } from '../src/link/packet-socket.js';
import { openTap } from '../src/link/tap.js';
import type { RxPumpKind } from '../src/sys/rx-pump.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const FRAMES = option('frames', 200_000);
const SIZE = option('size', 106);
const BATCH = option('batch', 64);
const tag = process.pid.toString(36);

interface Row {
  device: string;
  pump: string;
  direction: string;
  offered: number;
  handled: number;
  seconds: number;
  cpuMicros: number;
}

function frame(): Uint8Array {
  const f = new Uint8Array(SIZE);
  f.set([0x02, 0, 0, 0, 0, 0xfe, 0x02, 0, 0, 0, 0, 0xfd, 0x88, 0xb5], 0); // unknown EtherType
  return f;
}

const GENERATOR = fileURLToPath(new URL('../src/link/packet-socket.ts', import.meta.url));
/** A child process that sends `count` frames on `ifname` and prints how many the kernel took. */
function generate(ifname: string, count: number): Promise<{ sent: number; seconds: number }> {
  const script = `
    import { openPacketSocket } from ${JSON.stringify(GENERATOR)};
    const dev = openPacketSocket(${JSON.stringify(ifname)}, { txQueue: 4096 });
    const f = new Uint8Array(${SIZE});
    f.set([0x02,0,0,0,0,0xfe, 0x02,0,0,0,0,0xfd, 0x88,0xb5], 0);
    let left = ${count};
    const t0 = performance.now();
    const burst = () => {
      for (let i = 0; i < 256 && left > 0; i++, left--) dev.transmit(f);
      if (left > 0) setImmediate(burst);
      else {
        dev.flush();
        const seconds = (performance.now() - t0) / 1000;
        setTimeout(() => { dev.flush(); console.log(dev.stats.tx.sent, seconds); dev.close(); }, 50);
      }
    };
    burst();
  `;
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => {
      const [sent, seconds] = out.trim().split(' ').map(Number);
      if (code === 0) resolve({ sent, seconds });
      else reject(new Error(`generator exited with ${code}`));
    });
  });
}

const offeredRates: string[] = [];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measureRx(device: string, pump: RxPumpKind, open: () => FdDevice, kernelSide: string) {
  const dev = open();
  let received = 0;
  let first = 0;
  let last = 0;
  let cpu0 = process.cpuUsage();
  dev.setReceiver((f) => {
    if (f.length !== SIZE || f[12] !== 0x88 || f[13] !== 0xb5) return;
    if (received++ === 0) {
      first = performance.now();
      cpu0 = process.cpuUsage();
    }
    last = performance.now();
  });
  await sleep(100);
  const generator = await generate(kernelSide, FRAMES);
  // Let the last frames drain (stop when nothing arrived for 100 ms).
  for (let seen = -1; seen !== received; ) {
    seen = received;
    await sleep(100);
  }
  const cpu = process.cpuUsage(cpu0);
  dev.close();
  const seconds = (last - first) / 1000;
  // The CPU window ends 100 ms after the last frame: idle time costs (almost) nothing.
  offeredRates.push(
    `${device}/${pump}: ${Math.round(generator.sent / generator.seconds).toLocaleString('en-US')} pkt/s`,
  );
  return {
    device,
    pump,
    direction: 'rx',
    offered: generator.sent,
    handled: received,
    seconds,
    cpuMicros: cpu.user + cpu.system,
  };
}

async function measureTx(device: string, pump: RxPumpKind, open: () => FdDevice): Promise<Row> {
  const dev = open();
  const f = frame();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < FRAMES; i++) dev.transmit(f);
  dev.flush();
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  await sleep(20);
  const sent = dev.stats.tx.sent;
  dev.close();
  return {
    device,
    pump,
    direction: 'tx',
    offered: FRAMES,
    handled: sent,
    seconds,
    cpuMicros: cpu.user + cpu.system,
  };
}

function sh(cmd: string): void {
  execFileSync('sh', ['-c', cmd], { stdio: 'inherit' });
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error('bench/devices.ts needs root (TAP devices, AF_PACKET)');
    process.exit(1);
  }
  const rows: Row[] = [];
  const tapName = `skbt${tag}`.slice(0, 15);
  const vethA = `skba${tag}`.slice(0, 15);
  const vethB = `skbb${tag}`.slice(0, 15);
  sh(
    `ip link add ${vethA} type veth peer name ${vethB} && ip link set ${vethA} up && ip link set ${vethB} up`,
  );
  try {
    for (const pump of ['worker', 'uv'] as const) {
      const tap = () => openTap({ name: tapName, pump, batch: BATCH });
      const packet = () => openPacketSocket(vethA, { pump, batch: BATCH });
      rows.push(await measureRx('TAP', pump, tap, tapName));
      rows.push(await measureTx('TAP', pump, tap));
      rows.push(await measureRx('AF_PACKET/veth', pump, packet, vethB));
      rows.push(await measureTx('AF_PACKET/veth', pump, packet));
    }
  } finally {
    sh(`ip link del ${vethA} 2>/dev/null || true`);
  }
  printTable(rows);
}

function printTable(rows: Row[]): void {
  console.log(`\n${FRAMES} frames of ${SIZE} bytes; rx offered by a separate process as fast as it can\n`);
  const header = ['device', 'pump', 'dir', 'offered', 'handled', 'loss', 'pkt/s', 'cpu us/pkt', 'cpu %'];
  const lines = rows.map((r) => [
    r.device,
    r.pump,
    r.direction,
    String(r.offered),
    String(r.handled),
    `${(Math.max(0, 1 - r.handled / r.offered) * 100).toFixed(1)}%`,
    Math.round(r.handled / r.seconds).toLocaleString('en-US'),
    (r.cpuMicros / Math.max(1, r.handled)).toFixed(2),
    `${((r.cpuMicros / 1e6 / (r.seconds + (r.direction === 'rx' ? 0.1 : 0))) * 100).toFixed(0)}%`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)));
  const fmt = (cells: string[]) =>
    cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  console.log(fmt(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const l of lines) console.log(fmt(l));
  console.log('\nrx pkt/s: frames received between the first and the last one. Generator send rates:');
  for (const r of offeredRates) console.log(`  ${r}`);
}

await main();
