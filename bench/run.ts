// `npm run bench` (root): synack side by side with the kernel, on the lab, as users run it.
//   node --import tsx bench/run.ts [--pairs N] [--only NAME[,NAME]] [--guard]
// Brings the lab up (or joins it), runs every comparison below as alternating pairs (A B A B ...),
// prints one table with both sides and the ratio, and writes it with the machine's description and
// load average to bench/results/throughput.md. synack is `bin/synack.js` exactly as the README's
// install command built it (dist/), never a special bundle.
//
// Throughput is body bytes from the request to the last body byte: synack's --stats "seconds",
// curl's time_total; both include the handshake. CPU is user+sys of the whole process (GNU time).
// --guard is CI's collapse guard: 10 MB, one pair, TAP default only; exit 1 if the ratio falls below
// a quarter of the target (0.5 / 4).
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { analyzeCaptureFile } from '../src/analysis/index.js';
import { Lab } from '../src/lab/lab.js';
import { CLIENT_LINK, HOST_LINK, LAB_NAMESPACES, LAB_PATHS, TAP_LINK } from '../src/lab/plan.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
/** SYNACK_BIN: another build of synack to measure (e.g. an older commit's checkout, for before/after). */
const SYNACK = process.env.SYNACK_BIN ?? here('../bin/synack.js');
const RESULTS = process.env.SYNACK_BENCH_OUT ?? here('./results/throughput.md');
const TARGET = 0.5;
const MB = 1e6;

const args = process.argv.slice(2);
const flag = (name: string): boolean => args.includes(`--${name}`);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
};
const guard = flag('guard');
const pairs = Number(option('pairs', guard ? '1' : '3'));
const only = option('only', guard ? 'tap' : '')
  .split(',')
  .filter(Boolean);
const work = mkdtempSync(join(tmpdir(), 'synack-bench-'));

/** One whole process: what it reported and what it cost. */
interface Sample {
  seconds: number;
  bytes: number;
  cpuSeconds: number;
  maxRssKb: number;
}

interface Case {
  name: string;
  what: string;
  ours: string;
  theirs: string;
  file: string;
  synack(): Sample;
  baseline(): Sample;
  setup?(): void;
  teardown?(): void;
  /** One extra traced synack run: the ACK delay and allocation figures. */
  detail?(): Detail;
}

interface Detail {
  ackDelayP50Ms: number;
  ackDelayP99Ms: number;
  heapBytesPerMb: number;
}

// ---- running processes under GNU time ---------------------------------------------------------

function timed(argv: string[], netns?: string): { stdout: string; stderr: string; cpu: number; rss: number } {
  const stats = join(work, 'time.txt');
  const full = ['/usr/bin/time', '-f', '%U %S %M', '-o', stats, ...argv];
  const cmd = netns ? ['ip', 'netns', 'exec', netns, ...full] : full;
  const r = spawnSync(cmd[0], cmd.slice(1), { encoding: 'utf8', timeout: 300_000, maxBuffer: 64 << 20 });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}`);
  const [user, sys, rss] = readFileSync(stats, 'utf8').trim().split('\n').pop()!.split(' ').map(Number);
  return { stdout: r.stdout, stderr: r.stderr, cpu: user + sys, rss };
}

function synackGet(url: string, extra: string[] = [], netns?: string, node: string[] = []): Sample {
  const r = timed(
    [process.execPath, ...node, SYNACK, 'get', '-s', '-o', '/dev/null', '--stats', ...extra, url],
    netns,
  );
  const line =
    r.stderr
      .trim()
      .split('\n')
      .find((l) => l.startsWith('{"url"')) ?? r.stdout.trim().split('\n').pop()!;
  const stats = JSON.parse(line) as { seconds: number; bytes: number };
  return { seconds: stats.seconds, bytes: stats.bytes, cpuSeconds: r.cpu, maxRssKb: r.rss };
}

function curlGet(url: string, netns?: string): Sample {
  const r = timed(['curl', '-sS', '-o', '/dev/null', '-w', '%{time_total} %{size_download}', url], netns);
  const [seconds, bytes] = r.stdout.trim().split(' ').map(Number);
  return { seconds, bytes, cpuSeconds: r.cpu, maxRssKb: r.rss };
}

// ---- the extra figures: ACK delay from a pcap, heap allocation from --trace-gc-nvp -------------

/** For each data segment the server sent: time from its arrival to the first ACK that covers it. */
function ackDelays(pcap: string): number[] {
  const { packets } = analyzeCaptureFile(pcap);
  const delays: number[] = [];
  const waiting: Array<{ end: number; at: number }> = [];
  let head = 0;
  for (const p of packets) {
    if (!p.fromClient && p.info.payloadLength > 0)
      waiting.push({ end: p.seq + p.info.payloadLength, at: p.info.time });
    if (p.fromClient && p.ack > 0) {
      while (head < waiting.length && waiting[head].end <= p.ack)
        delays.push(p.info.time - waiting[head++].at);
    }
  }
  return delays.sort((a, b) => a - b);
}

const quantile = (sorted: number[], q: number): number =>
  sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

function heapAllocated(gcLog: string): number {
  let total = 0;
  for (const m of gcLog.matchAll(/allocated=(\d+)/g)) total += Number(m[1]);
  return total;
}

function synackDetail(url: string, extra: string[] = [], netns?: string): Detail {
  const pcap = join(work, 'detail.pcap');
  synackGet(url, [...extra, '--pcap', pcap], netns);
  const delays = ackDelays(pcap);
  const gc = timed(
    [process.execPath, '--trace-gc-nvp', SYNACK, 'get', '-s', '-o', '/dev/null', ...extra, url],
    netns,
  );
  const size = Number(/(\d+)m\.bin/.exec(url)?.[1] ?? '1') * 1.048576;
  return {
    ackDelayP50Ms: quantile(delays, 0.5),
    ackDelayP99Ms: quantile(delays, 0.99),
    heapBytesPerMb: heapAllocated(gc.stdout + gc.stderr) / size,
  };
}

// ---- server offloads (for --no-offload: MTU-sized frames end to end) --------------------------

const SERVER_IFS = [HOST_LINK.server.ifname, CLIENT_LINK.server.ifname];
const OFFLOADS = ['tso', 'gso', 'gro'];

function serverOffloads(on: boolean): void {
  for (const ifname of SERVER_IFS) {
    const state = OFFLOADS.flatMap((o) => [o, on ? 'on' : 'off']);
    spawnSync('ip', ['netns', 'exec', LAB_NAMESPACES.server, 'ethtool', '-K', ifname, ...state]);
  }
  const host = OFFLOADS.flatMap((o) => [o, on ? 'on' : 'off']);
  spawnSync('ethtool', ['-K', HOST_LINK.host.ifname, ...host]);
}

// ---- synack serve for the upload case ---------------------------------------------------------

let server: ReturnType<typeof spawn> | undefined;

function startServe(): Promise<void> {
  server = spawn(process.execPath, [SYNACK, 'serve', '-q', '--port', '8080', '--dir', LAB_PATHS.wwwDir], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (/try: curl/.test(seen)) resolve();
    };
    server?.stdout?.on('data', onData);
    server?.stderr?.on('data', onData);
    server?.once('exit', (code) => reject(new Error(`synack serve exited ${code}: ${seen}`)));
  });
}

function stopServe(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s || s.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    s.once('exit', () => resolve());
    s.kill('SIGINT');
  });
}

// ---- the comparisons --------------------------------------------------------------------------

const V4 = HOST_LINK.server.ipv4;
const VETH = CLIENT_LINK.server.ipv4;
const CLI = LAB_NAMESPACES.client;
const bigFile = guard ? '10m.bin' : '100m.bin';
const spare = ['--iface', CLIENT_LINK.client.ifname, '--ip', `${CLIENT_LINK.spare.ipv4}/24`];
const hostIp = ['--iface', CLIENT_LINK.client.ifname, '--host-ip'];

const CASES: Case[] = [
  {
    name: 'tap',
    what: 'TAP (default, offloads on)',
    ours: 'synack get over TAP synack0',
    theirs: 'curl on the host, same route',
    file: bigFile,
    synack: () => synackGet(`http://${V4}/${bigFile}`),
    baseline: () => curlGet(`http://${V4}/${bigFile}`),
    detail: () => synackDetail(`http://${V4}/${bigFile}`),
  },
  {
    name: 'no-offload',
    what: 'TAP --no-offload, server offloads off',
    ours: 'synack get --no-offload',
    theirs: 'curl on the host, same route',
    file: bigFile,
    setup: () => serverOffloads(false),
    teardown: () => serverOffloads(true),
    synack: () => synackGet(`http://${V4}/${bigFile}`, ['--no-offload']),
    baseline: () => curlGet(`http://${V4}/${bigFile}`),
    detail: () => synackDetail(`http://${V4}/${bigFile}`, ['--no-offload']),
  },
  {
    name: 'spare',
    what: 'AF_PACKET, spare address on a veth',
    ours: `synack get --iface to-srv --ip ${CLIENT_LINK.spare.ipv4}/24`,
    theirs: 'curl in the client namespace',
    file: bigFile,
    synack: () => synackGet(`http://${VETH}/${bigFile}`, spare, CLI),
    baseline: () => curlGet(`http://${VETH}/${bigFile}`, CLI),
    detail: () => synackDetail(`http://${VETH}/${bigFile}`, spare, CLI),
  },
  {
    name: 'host',
    what: "AF_PACKET, the host's own address",
    ours: 'synack get --iface to-srv --host-ip',
    theirs: 'curl in the client namespace',
    file: bigFile,
    synack: () => synackGet(`http://${VETH}/${bigFile}`, hostIp, CLI),
    baseline: () => curlGet(`http://${VETH}/${bigFile}`, CLI),
  },
  {
    name: 'upload',
    what: 'upload: synack serve vs nginx, to curl on the host',
    ours: `curl from synack serve at ${TAP_LINK.stack.ipv4}`,
    theirs: `curl from nginx at ${V4}`,
    file: bigFile,
    synack: () => curlGet(`http://${TAP_LINK.stack.ipv4}:8080/${bigFile}`),
    baseline: () => curlGet(`http://${V4}/${bigFile}`),
  },
];

interface Row {
  c: Case;
  ours: Sample[];
  theirs: Sample[];
  ratios: number[];
  detail?: Detail;
  error?: string;
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? Number.NaN : s[Math.floor((s.length - 1) / 2)];
};
const mbps = (s: Sample): number => s.bytes / s.seconds / MB;

async function measure(c: Case): Promise<Row> {
  const row: Row = { c, ours: [], theirs: [], ratios: [] };
  try {
    c.setup?.();
    if (c.name === 'upload') await startServe();
    c.synack(); // warm-up pair, not counted: page cache, ARP, JIT of the kernel paths
    c.baseline();
    for (let i = 0; i < pairs; i++) {
      // A B, then B A: neither side always runs on a machine the other just warmed.
      const [ours, theirs] = i % 2 === 0 ? [c.synack(), c.baseline()] : [c.baseline(), c.synack()].reverse();
      row.ours.push(ours);
      row.theirs.push(theirs);
      row.ratios.push(mbps(ours) / mbps(theirs));
    }
    if (!guard) row.detail = c.detail?.();
  } catch (err) {
    row.error = err instanceof Error ? err.message.split('\n')[0] : String(err);
  } finally {
    if (c.name === 'upload') await stopServe();
    c.teardown?.();
  }
  return row;
}

const fmt = (x: number, digits = 1): string => (Number.isFinite(x) ? x.toFixed(digits) : 'n/a');

function cpuPerGb(samples: Sample[]): number {
  return median(samples.map((s) => (s.cpuSeconds / s.bytes) * 1e9));
}

function table(rows: Row[]): string {
  const head =
    '| comparison | file | synack MB/s | kernel MB/s | ratio (median of pairs) | target | synack CPU s/GB | kernel CPU s/GB | synack peak RSS MiB | ACK delay p50 / p99 ms | heap bytes allocated per MB |';
  const lines = [head, '|---|---|---:|---:|---:|---|---:|---:|---:|---|---:|'];
  for (const r of rows) {
    if (r.error) {
      lines.push(`| ${r.c.what} | ${r.c.file} | failed: ${r.error} | | | | | | | | |`);
      continue;
    }
    const target = r.c.name === 'no-offload' ? 0.25 : TARGET;
    const ratio = median(r.ratios);
    const d = r.detail;
    lines.push(
      [
        '',
        r.c.what,
        r.c.file,
        fmt(median(r.ours.map(mbps)), 0),
        fmt(median(r.theirs.map(mbps)), 0),
        fmt(ratio, 2),
        `>= ${target}: ${ratio >= target ? 'met' : 'NOT met'}`,
        r.c.name === 'upload' ? 'n/a' : fmt(cpuPerGb(r.ours), 2),
        fmt(cpuPerGb(r.theirs), 2),
        r.c.name === 'upload' ? 'n/a' : fmt(median(r.ours.map((s) => s.maxRssKb / 1024)), 0),
        d ? `${fmt(d.ackDelayP50Ms, 3)} / ${fmt(d.ackDelayP99Ms, 3)}` : '',
        d ? fmt(d.heapBytesPerMb, 0) : '',
        '',
      ]
        .join(' | ')
        .trim(),
    );
  }
  return lines.join('\n');
}

function machine(): string {
  const [l1, l5] = loadavg();
  const kernel = spawnSync('uname', ['-r'], { encoding: 'utf8' }).stdout.trim();
  return `${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GiB, kernel ${kernel}, Node ${process.version}; load average at start ${l1.toFixed(2)} (1 min), ${l5.toFixed(2)} (5 min)`;
}

async function main(): Promise<void> {
  if (process.getuid?.() !== 0) {
    console.error('bench: needs root (the lab, TAP devices, AF_PACKET): sudo npm run bench');
    process.exit(2);
  }
  const started = Date.now();
  const about = machine();
  const lab = await Lab.up();
  const rows: Row[] = [];
  try {
    for (const c of CASES) {
      if (only.length > 0 && !only.includes(c.name)) continue;
      process.stderr.write(`bench: ${c.what} (${pairs} pairs)...\n`);
      rows.push(await measure(c));
    }
  } finally {
    await lab.down();
    rmSync(work, { recursive: true, force: true });
  }
  const text = [
    '# Throughput: synack side by side with the kernel',
    '',
    `Generated by \`npm run bench\` (bench/run.ts) on ${new Date().toISOString().slice(0, 16)}Z in ${Math.round((Date.now() - started) / 1000)} s.`,
    `Machine: ${about}.`,
    `Each ratio is the median over ${pairs} alternating pairs (synack MB/s / kernel MB/s, pair by pair), after one warm-up pair.`,
    'MB = 10^6 bytes; throughput counts from the request to the last body byte; CPU is user+sys of the whole process.',
    "ACK delay: from a data segment's arrival at our device to our first ACK covering it (one extra run with --pcap).",
    '',
    table(rows),
    '',
    ...rows.map((r) => `- ${r.c.what}: ${r.c.ours} / ${r.c.theirs}`),
    '',
  ].join('\n');
  console.log(text);
  if (guard) {
    const ratio = median(rows[0]?.ratios ?? []);
    const floor = TARGET / 4;
    console.log(`guard: ratio ${fmt(ratio, 2)} against a collapse floor of ${floor}`);
    process.exit(rows[0]?.error || !(ratio >= floor) ? 1 : 0);
  }
  writeFileSync(RESULTS, text);
}

await main();
