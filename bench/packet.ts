// Packet toolkit speed, side by side with Scapy and tcpdump in one run:
//   1. build: make + build the same four kinds of packets (TCP with data and timestamps, a bare ACK,
//      IPv6/UDP, ICMP echo) as Scapy's `bytes(Ether()/IP()/...)`;
//   2. dissect + summary over a >= 200,000-packet capture (written by step 1) vs Scapy's
//      PcapReader + summary();
//   3. `synack read FILE` vs `tcpdump -n -r FILE` wall time (output to /dev/null), median of 3. synack
//      runs as installed users run it: compiled JavaScript (here one esbuild bundle of src/cli/run.ts,
//      made in a temporary directory under bench/), and, for reference, from source through tsx.
// Scapy is too slow for the whole capture: it runs on a sample and its rate is scaled (rates are
// per packet, so a sample gives the same rate). Rates use CPU time (process_time / cpuUsage) so that
// other load on the machine counts less; wall-time rates are printed too.
// Run: node --import tsx bench/packet.ts [--packets N] [--scapy-sample N]
// Targets: >= 100x Scapy for build and for dissect+summary; synack read within 3x of tcpdump.
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  Ether,
  ICMP,
  IP,
  IPv6,
  type Packet,
  Raw,
  readPcap,
  TCP,
  UDP,
  writePcap,
} from '../src/packet/index.js';

const args = process.argv.slice(2);
const option = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const PACKETS = option('packets', 200_000);
const SCAPY_SAMPLE = option('scapy-sample', 5_000);
const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));

const payload = new Uint8Array(100).fill(0x61);
const M1 = '02:00:00:00:00:01';
const M2 = '02:00:00:00:00:02';

/** The four kinds of packets, rotating (the same as bench/scapy_rate.py builds). */
function make(i: number): Packet {
  switch (i % 4) {
    case 0:
      return Ether({ src: M1, dst: M2 })
        .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
        .over(
          TCP({
            sport: 40000 + (i % 50),
            dport: 8000,
            flags: 'PA',
            seq: i * 100,
            ack: 1,
            options: [['NOP'], ['NOP'], ['Timestamp', [i, i]]],
          }),
        )
        .over(Raw({ load: payload }));
    case 1:
      return Ether({ src: M2, dst: M1 })
        .over(IP({ src: '10.0.0.2', dst: '10.0.0.1' }))
        .over(TCP({ sport: 8000, dport: 40000 + (i % 50), flags: 'A', seq: 1, ack: i * 100 }));
    case 2:
      return Ether({ src: M1, dst: M2 })
        .over(IPv6({ src: 'fd00::1', dst: 'fd00::2' }))
        .over(UDP({ sport: 5000, dport: 9999 }))
        .over(Raw({ load: payload.subarray(0, 40) }));
    default:
      return Ether({ src: M1, dst: M2 })
        .over(IP({ src: '10.0.0.1', dst: '10.0.0.3' }))
        .over(ICMP({ type: 8, id: 7, seq: i & 0xffff }))
        .over(Raw({ load: payload.subarray(0, 56) }));
  }
}

interface Timing {
  packets: number;
  cpu: number;
  wall: number;
}

function timed(fn: () => number): Timing {
  const c0 = process.cpuUsage();
  const w0 = performance.now();
  const packets = fn();
  const c = process.cpuUsage(c0);
  return { packets, cpu: (c.user + c.system) / 1e6, wall: (performance.now() - w0) / 1e3 };
}

const pps = (t: Timing, clock: 'cpu' | 'wall'): number => t.packets / t[clock];
const fmt = (n: number): string => Math.round(n).toLocaleString('en-US');

/** Wall, user and system seconds of a command, stdout to /dev/null (GNU time). */
function runTimed(argv: string[]): { wall: number; cpu: number } {
  const devnull = openSync('/dev/null', 'w');
  try {
    const r = spawnSync('/usr/bin/time', ['-f', '%e %U %S', ...argv], {
      stdio: ['ignore', devnull, 'pipe'],
      env: { ...process.env, TZ: 'UTC' },
    });
    if (r.status !== 0) throw new Error(`${argv.join(' ')} failed: ${r.stderr}`);
    const [wall, user, sys] = r.stderr.toString().trim().split('\n').pop()!.split(' ').map(Number);
    return { wall, cpu: user + sys };
  } finally {
    closeSync(devnull);
  }
}

/**
 * The CLI as one JavaScript file (esbuild, already installed with tsx), like the compiled bin/synack.
 * When the whole CLI does not bundle (another command's source in the middle of a change), the bundle
 * is the `read` command alone, and `what` says so.
 */
function bundleCli(entry: string): { file: string; what: string; remove(): void } {
  // Inside the repository so that the native koffi module (left out of the bundle) resolves.
  const dir = mkdtempSync(here('.tmp-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, 'synack.mjs');
  const require = createRequire(import.meta.url);
  const esbuild = require('esbuild') as typeof import('esbuild');
  const build = (entryPoint: string) =>
    esbuild.buildSync({
      entryPoints: [entryPoint],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: file,
      external: ['koffi'],
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
  try {
    build(entry);
    return { file, what: 'the whole CLI', remove };
  } catch {
    const readOnly = join(dir, 'read-only.ts');
    writeFileSync(
      readOnly,
      [
        "import { Command } from 'commander';",
        `import { registerRead } from ${JSON.stringify(here('../src/cli/commands/read.ts'))};`,
        "const program = new Command('synack').version('0.1.0');",
        'registerRead(program);',
        "await program.parseAsync(process.argv.slice(2), { from: 'user' });",
      ].join('\n'),
    );
    try {
      build(readOnly);
    } catch (err) {
      remove();
      throw err;
    }
    return { file, what: 'the read command alone (the whole CLI did not bundle)', remove };
  }
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function main(): void {
  const dir = mkdtempSync(join(tmpdir(), 'synack-bench-'));
  try {
    const pcap = join(dir, 'bench.pcap');
    // Warm up the JIT on a few thousand packets first (Scapy gets no such help, but it has none to get).
    for (let i = 0; i < 5000; i++) make(i).build();
    const build = timed(() => {
      let bytes = 0;
      for (let i = 0; i < PACKETS; i++) bytes += make(i).build().length;
      return bytes > 0 ? PACKETS : 0;
    });
    writePcap(
      pcap,
      (function* () {
        for (let i = 0; i < PACKETS; i++) {
          const p = make(i);
          p.time = { seconds: 1_700_000_000 + Math.floor(i / 1000), nanoseconds: (i % 1000) * 1_000_000 };
          yield p;
        }
      })(),
    );
    // Warm the JIT for the dissect path too (the build path above warmed up the same way).
    let warm = 0;
    for (const p of readPcap(pcap)) if (p.summary() && ++warm >= 20_000) break;
    const dissect = timed(() => {
      let n = 0;
      let chars = 0;
      for (const p of readPcap(pcap)) {
        chars += p.summary().length;
        n++;
      }
      return chars > 0 ? n : 0;
    });

    const scapyOut = execFileSync(
      '/usr/bin/python3',
      [here('scapy_rate.py'), pcap, String(SCAPY_SAMPLE), String(Math.min(SCAPY_SAMPLE, 3000))],
      {
        stdio: ['ignore', 'pipe', 'ignore'],
      },
    ).toString();
    const scapy = JSON.parse(scapyOut) as { dissect: Timing; build: Timing };

    const cli = here('../src/cli/run.ts');
    const bundle = bundleCli(cli);
    let readRuns: { wall: number; cpu: number }[];
    let startRuns: { wall: number; cpu: number }[];
    try {
      readRuns = [0, 1, 2].map(() => runTimed([process.execPath, bundle.file, 'read', pcap]));
      startRuns = [0, 1, 2].map(() => runTimed([process.execPath, bundle.file, '--version']));
    } finally {
      bundle.remove();
    }
    const tcpdumpRuns = [0, 1, 2].map(() => runTimed(['tcpdump', '-n', '-r', pcap]));
    // For reference only: the CLI from source. It loads every command, so another engineer's change in
    // progress can stop it from loading; the measurement above does not depend on it.
    let tsx: { read: { wall: number; cpu: number }; start: { wall: number; cpu: number } } | string;
    try {
      tsx = {
        read: runTimed([process.execPath, '--import', 'tsx', cli, 'read', pcap]),
        start: runTimed([process.execPath, '--import', 'tsx', cli, '--version']),
      };
    } catch (err) {
      tsx = (err as Error).message.split('\n').find((l) => /Error/.test(l)) ?? 'failed';
    }

    const rows: [string, number, number, number, number][] = [
      [
        'build (make + build)',
        pps(build, 'cpu'),
        pps(scapy.build, 'cpu'),
        pps(build, 'wall'),
        pps(scapy.build, 'wall'),
      ],
      [
        'dissect + summary',
        pps(dissect, 'cpu'),
        pps(scapy.dissect, 'cpu'),
        pps(dissect, 'wall'),
        pps(scapy.dissect, 'wall'),
      ],
    ];
    console.log(
      `capture: ${PACKETS.toLocaleString('en-US')} packets, ${(statSync(pcap).size / 1e6).toFixed(1)} MB`,
    );
    console.log(
      `Scapy sample: ${scapy.dissect.packets} dissected, ${scapy.build.packets} built (rates scale per packet)\n`,
    );
    console.log('                        synack pkt/s    Scapy pkt/s   ratio (CPU)   ratio (wall)');
    for (const [name, ours, theirs, oursWall, theirsWall] of rows) {
      console.log(
        `${name.padEnd(22)} ${fmt(ours).padStart(13)} ${fmt(theirs).padStart(14)} ${`${(ours / theirs).toFixed(0)}x`.padStart(12)} ${`${(oursWall / theirsWall).toFixed(0)}x`.padStart(14)}`,
      );
    }
    const td = median(tcpdumpRuns.map((r) => r.wall));
    const sr = median(readRuns.map((r) => r.wall));
    const st = median(startRuns.map((r) => r.wall));
    console.log(
      `\ntcpdump -n -r: ${td.toFixed(2)} s wall (CPU ${median(tcpdumpRuns.map((r) => r.cpu)).toFixed(2)} s)`,
    );
    console.log(`synack as compiled JavaScript: ${bundle.what}`);
    console.log(
      `synack read:   ${sr.toFixed(2)} s wall (CPU ${median(readRuns.map((r) => r.cpu)).toFixed(2)} s), of which CLI start ${st.toFixed(2)} s`,
    );
    console.log(
      `ratio synack read / tcpdump: ${(sr / td).toFixed(2)}x (target <= 3x); without CLI start ${((sr - st) / td).toFixed(2)}x`,
    );
    if (typeof tsx === 'string')
      console.log(`from source (tsx): not measured, the CLI did not load (${tsx})`);
    else {
      console.log(
        `from source (tsx): ${tsx.read.wall.toFixed(2)} s wall (CPU ${tsx.read.cpu.toFixed(2)} s), of which start ${tsx.start.wall.toFixed(2)} s: ${(tsx.read.wall / td).toFixed(2)}x tcpdump`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
