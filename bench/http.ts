// HTTP downloads from the lab's nginx: `synack get` (the userspace stack on the TAP path) against curl
// over the same kind of path, in one run, plus K concurrent stack connections in one process and a CPU
// profile of the 100 MB synack fetch. Needs root and the lab (joined if up, else made and removed).
// Run: node --import tsx bench/http.ts [--runs N] [--runs-100m N] [--conc 100,1000] [--no-profile]
// Writes bench/results/http.md and prints it.
//
// Paths (src/lab/plan.ts):
//   synack     stack on TAP synack0 (10.77.1.2) -> host kernel routes -> synack-h0 -> nginx 10.77.2.2
//   curl host  host kernel socket                -> host kernel routes -> synack-h0 -> nginx 10.77.2.2
//   curl ns    namespace synack-cli (10.77.3.2)  -> veth to-srv                      -> nginx 10.77.3.1
// Throughput is body bytes / transfer time (curl's time_total; synack's request start to end of body,
// both including the TCP handshake). Each synack fetch runs in its own child process (this file with
// --child) so its peak RSS (process.resourceUsage().maxRSS) is its own. Targets of the performance work:
// 100 MB at >= 25% of curl's throughput, 1,000 concurrent connections, 1 GB in < 150 MB of memory
// (the lab has no 1 GB file: the 100 MB peak RSS stands in for it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire, SourceMap } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve as resolvePath } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HOST_LINK, LAB_FILES, LAB_NAMESPACES, LAB_PATHS, labUrl } from '../src/lab/plan.js';
import type { Stack } from '../src/socket/stack.js';

const here = (p: string): string => fileURLToPath(new URL(p, import.meta.url));
const REPO = here('..').replace(/\/$/, '');
const SELF = here('./http.ts');
const RESULTS = here('./results/http.md');
const CHILD_TIMEOUT_MS = 120_000;
const MB = 1e6;

const args = process.argv.slice(2);
const option = (name: string, fallback: string): string => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

// ---------------------------------------------------------------------------------------------
// Child side: one synack fetch, or K concurrent fetches, in this process; prints one JSON line.

interface GetSample {
  ok: boolean;
  error?: string;
  status: number;
  bytes: number;
  transferMs: number;
  maxRssKb: number;
  cpuMs: number;
}

async function childGet(url: string): Promise<GetSample> {
  const { fetchUrl } = await import('../src/app/get.js');
  const io = {
    stdout: process.stdout,
    log: (l: string) => process.stderr.write(`${l}\n`),
    stderrIsTty: false,
  };
  const r = await fetchUrl(url, { silent: true, output: '/dev/null' }, io, { waitForDeviceMs: 60_000 });
  const cpu = process.cpuUsage();
  return {
    ok: true,
    status: r.status,
    bytes: r.bytes,
    transferMs: r.elapsedMs,
    maxRssKb: process.resourceUsage().maxRSS,
    cpuMs: (cpu.user + cpu.system) / 1000,
  };
}

interface Percentiles {
  p50: number;
  p99: number;
  max: number;
}

interface ConcurrencySample {
  k: number;
  completed: number;
  failures: Record<string, number>;
  totalMs: number;
  /** Request start to the whole body. */
  latencyMs: Percentiles;
  /** Request start to the handshake done (SYN, SYN-ACK, ACK). */
  connectMs: Percentiles;
  rssBeforeKb: number;
  peakRssKb: number;
  maxRssKb: number;
  segmentsIn: number;
}

/** One GET of `path` on its own stack connection (no agent, so Connection: close); resolves to body bytes. */
function stackGetBytes(
  stack: Stack,
  host: string,
  port: number,
  path: string,
  onConnect: () => void,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      // No `agent` key: with one (even `agent: false`) Node ignores createConnection and uses the kernel.
      { host, port, path, createConnection: () => stack.connect({ host, port }, onConnect) as never },
      (res) => {
        let bytes = 0;
        res.on('data', (chunk: Buffer) => {
          bytes += chunk.length;
        });
        res.on('end', () => resolve(bytes));
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** "ESTABLISHED 9, TIME-WAIT 991": what the stack's connections are doing. */
function stateTally(stack: Stack): string {
  const counts = new Map<string, number>();
  for (const c of stack.connections()) counts.set(c.state, (counts.get(c.state) ?? 0) + 1);
  return [...counts].map(([state, n]) => `${state} ${n}`).join(', ') || 'none';
}

async function childConcurrency(k: number, host: string, path: string, size: number, limitMs: number) {
  const { openStackSessionWhenFree, settleConnections } = await import('../src/app/stack-session.js');
  const session = await openStackSessionWhenFree({ device: {} }, 60_000, () => {});
  try {
    const rssBeforeKb = process.memoryUsage().rss / 1024;
    let peakRssKb = rssBeforeKb;
    const sampler = setInterval(() => {
      peakRssKb = Math.max(peakRssKb, process.memoryUsage().rss / 1024);
    }, 20);
    const started = performance.now();
    const latencies: number[] = [];
    const connectTimes: number[] = [];
    const failures: Record<string, number> = {};
    const one = async (): Promise<void> => {
      const t0 = performance.now();
      try {
        const connected = () => connectTimes.push(performance.now() - t0);
        const bytes = await stackGetBytes(session.stack, host, 80, path, connected);
        if (bytes !== size) throw Object.assign(new Error('short body'), { code: 'SHORT_BODY' });
        latencies.push(performance.now() - t0);
      } catch (err) {
        const code = (err as { code?: string }).code ?? (err as Error).message;
        failures[code] = (failures[code] ?? 0) + 1;
      }
    };
    const all = Promise.all(Array.from({ length: k }, one));
    const limit = new Promise((resolve) => setTimeout(resolve, limitMs).unref());
    await Promise.race([all, limit]);
    const totalMs = performance.now() - started;
    clearInterval(sampler);
    const unfinished = k - latencies.length - Object.values(failures).reduce((a, b) => a + b, 0);
    if (unfinished > 0) {
      failures[
        `unfinished after ${limitMs / 1000} s (stack connections then: ${stateTally(session.stack)})`
      ] = unfinished;
    }
    const percentiles = (xs: number[]): Percentiles => {
      const sorted = [...xs].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
      return { p50: at(0.5), p99: at(0.99), max: sorted.at(-1) ?? 0 };
    };
    const sample: ConcurrencySample = {
      k,
      completed: latencies.length,
      failures,
      totalMs,
      latencyMs: percentiles(latencies),
      connectMs: percentiles(connectTimes),
      rssBeforeKb,
      peakRssKb,
      maxRssKb: process.resourceUsage().maxRSS,
      segmentsIn: session.stack.stats().segmentsIn,
    };
    await settleConnections(session.stack, 3000);
    return sample;
  } finally {
    session.close();
  }
}

async function child(): Promise<void> {
  const [, kind, ...rest] = args;
  let out: unknown;
  try {
    if (kind === 'get') out = await childGet(rest[0]);
    else out = await childConcurrency(Number(rest[0]), rest[1], rest[2], Number(rest[3]), Number(rest[4]));
  } catch (err) {
    out = { ok: false, error: (err as Error).message };
  }
  process.stdout.write(`\n${JSON.stringify(out)}\n`);
  process.exit(0);
}

// ---------------------------------------------------------------------------------------------
// Parent side: the lab, the runs, the table.

interface Run {
  ok: boolean;
  error?: string;
  mbps: number;
  maxRssKb: number;
  wallMs: number;
}

function lastJsonLine(text: string): unknown {
  const line = text.trim().split('\n').at(-1) ?? '';
  return JSON.parse(line);
}

/** How a child is started: plain node on the esbuild bundle (as users run compiled code), or tsx. */
interface ChildEntry {
  file: string;
  loader: string[];
  /** The bundle's source map, to name profile locations by their TypeScript source. */
  sourceMap?: SourceMap;
  what: string;
  remove(): void;
}

let entry: ChildEntry = {
  file: SELF,
  loader: ['--import', 'tsx'],
  what: 'from source through tsx',
  remove() {},
};

/** This file as one JavaScript bundle (esbuild, installed with tsx) inside bench/, so koffi resolves. */
function bundleSelf(): ChildEntry {
  const dir = mkdtempSync(here('.tmp-http-'));
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const file = join(dir, 'http-child.mjs');
  try {
    const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
    esbuild.buildSync({
      entryPoints: [SELF],
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: file,
      sourcemap: 'external',
      external: ['koffi'],
      logLevel: 'silent',
      banner: {
        js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
      },
    });
    const sourceMap = new SourceMap(JSON.parse(readFileSync(`${file}.map`, 'utf8')));
    return { file, loader: [], sourceMap, what: 'compiled JavaScript (one esbuild bundle)', remove };
  } catch (err) {
    remove();
    return {
      ...entry,
      what: `from source through tsx (bundling failed: ${(err as Error).message.split('\n')[0]})`,
    };
  }
}

function runChild(childArgs: string[], nodeFlags: string[] = []): { json: unknown; wallMs: number } {
  const t0 = performance.now();
  const argv = [...nodeFlags, ...entry.loader, entry.file, '--child', ...childArgs];
  const r = spawnSync(process.execPath, argv, {
    cwd: REPO,
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
    maxBuffer: 64 * 1024 * 1024,
  });
  const wallMs = performance.now() - t0;
  try {
    return { json: lastJsonLine(r.stdout), wallMs };
  } catch {
    return {
      json: { ok: false, error: `child: ${r.error?.message ?? r.stderr.trim().slice(-300)}` },
      wallMs,
    };
  }
}

function synackRun(url: string, size: number, nodeFlags: string[] = []): Run {
  const { json, wallMs } = runChild(['get', url], nodeFlags);
  const s = json as GetSample;
  if (!s.ok) return { ok: false, error: s.error, mbps: 0, maxRssKb: 0, wallMs };
  if (s.status !== 200 || s.bytes !== size) {
    return { ok: false, error: `status ${s.status}, ${s.bytes} bytes`, mbps: 0, maxRssKb: 0, wallMs };
  }
  return { ok: true, mbps: s.bytes / MB / (s.transferMs / 1000), maxRssKb: s.maxRssKb, wallMs };
}

/** curl -o /dev/null under /usr/bin/time (for its peak RSS), optionally inside a namespace. */
function curlRun(url: string, size: number, netns?: string): Run {
  const curl = [
    '/usr/bin/time',
    '-f',
    '%M',
    'curl',
    '-s',
    '-o',
    '/dev/null',
    '-w',
    '%{time_total} %{size_download} %{http_code}',
    url,
  ];
  const argv = netns ? ['ip', 'netns', 'exec', netns, ...curl] : curl;
  const t0 = performance.now();
  const r = spawnSync(argv[0], argv.slice(1), { encoding: 'utf8', timeout: CHILD_TIMEOUT_MS });
  const wallMs = performance.now() - t0;
  const [seconds, bytes, code] = r.stdout.trim().split(' ').map(Number);
  const maxRssKb = Number(r.stderr.trim().split('\n').at(-1));
  if (r.status !== 0 || code !== 200 || bytes !== size) {
    return {
      ok: false,
      error: `curl exit ${r.status}, http ${code}, ${bytes} bytes`,
      mbps: 0,
      maxRssKb,
      wallMs,
    };
  }
  return { ok: true, mbps: bytes / MB / seconds, maxRssKb, wallMs };
}

function median(xs: number[]): number {
  if (xs.length === 0) return Number.NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

interface SizeRow {
  name: string;
  size: number;
  runs: number;
  synack: Run[];
  curlHost: Run[];
  curlNs: Run[];
}

const okRuns = (runs: Run[]) => runs.filter((r) => r.ok);
const medianOf = (runs: Run[], key: 'mbps' | 'maxRssKb' | 'wallMs') =>
  median(okRuns(runs).map((r) => r[key]));

function measureSize(name: string, runs: number): SizeRow {
  const file = LAB_FILES.find((f) => f.name === name);
  if (!file) throw new Error(`no lab file ${name}`);
  const tapUrl = labUrl('http', name, { path: 'tap' });
  const vethUrl = labUrl('http', name, { path: 'veth' });
  const row: SizeRow = { name, size: file.size, runs, synack: [], curlHost: [], curlNs: [] };
  for (let i = 0; i < runs; i++) {
    // Interleaved, so that load from elsewhere on the machine falls on every column alike.
    row.synack.push(synackRun(tapUrl, file.size));
    row.curlHost.push(curlRun(tapUrl, file.size));
    row.curlNs.push(curlRun(vethUrl, file.size, LAB_NAMESPACES.client));
    process.stderr.write(
      `  ${name} run ${i + 1}/${runs}: synack ${row.synack.at(-1)?.mbps.toFixed(1)} MB/s\n`,
    );
  }
  return row;
}

// ---------------------------------------------------------------------------------------------
// The CPU profile.

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface SelfTime {
  fn: string;
  where: string;
  ms: number;
  share: number;
}

function topSelfTime(profilePath: string, count: number): { top: SelfTime[]; totalMs: number } {
  const profile = JSON.parse(readFileSync(profilePath, 'utf8')) as {
    nodes: ProfileNode[];
    samples: number[];
    timeDeltas: number[];
  };
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const micros = new Map<string, { fn: string; where: string; us: number }>();
  let totalUs = 0;
  profile.samples.forEach((id, i) => {
    // A sample's time is the gap to the next sample (Chrome DevTools' attribution).
    const us = Math.max(0, profile.timeDeltas[i + 1] ?? 0);
    const frame = byId.get(id)?.callFrame;
    if (!frame) return;
    const fn = frame.functionName || '(anonymous)';
    const where = location(frame);
    const key = `${fn}@${where}`;
    const entry = micros.get(key) ?? { fn, where, us: 0 };
    entry.us += us;
    micros.set(key, entry);
    totalUs += us;
  });
  const top = [...micros.values()]
    .sort((a, b) => b.us - a.us)
    .slice(0, count)
    .map((e) => ({ fn: e.fn, where: e.where, ms: e.us / 1000, share: e.us / totalUs }));
  return { top, totalMs: totalUs / 1000 };
}

/** file:line of a profile frame, through the bundle's source map when the frame is in the bundle. */
function location(frame: ProfileNode['callFrame']): string {
  if (!frame.url) return '';
  if (entry.sourceMap && frame.url.endsWith(entry.file)) {
    const found = entry.sourceMap.findEntry(frame.lineNumber, frame.columnNumber) as {
      originalSource?: string;
      originalLine?: number;
    };
    if (found.originalSource !== undefined && found.originalLine !== undefined) {
      const source = found.originalSource.replace(/^file:\/\//, '');
      return `${shortUrl(resolvePath(dirname(entry.file), source))}:${found.originalLine + 1}`;
    }
  }
  return `${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
}

function shortUrl(url: string): string {
  return url
    .replace(/^file:\/\//, '')
    .replace(`${REPO}/`, '')
    .replace(/^.*\/node_modules\//, 'node_modules/');
}

/** What a hot function is, for a reader of the table: by name (and place) first, then by where it lives. */
const KNOWN: Array<[RegExp, string, RegExp?]> = [
  [
    /^close$/,
    'teardown at the end of the run: the interface, TAP device or receive pump closing (once).',
    /^src\//,
  ],
  [
    /^poll$/,
    'the TCP engine polling a connection: timers, then what to send now (ACKs, window updates).',
    /^src\/tcp\//,
  ],
  [/^nextTick$/, 'process.nextTick: Node streams scheduling their callbacks, several per delivered chunk.'],
  [
    /^writeFrom$/,
    "write() of one frame (mostly our ACKs) to the TAP fd via koffi. Nearly all kernel time: the host forwards the frame to nginx inside the same syscall (softirq), and nginx's TCP, on the ACK, often sends its next segments right there.",
  ],
  [
    /^readInto$/,
    'read() of one frame from the TAP fd via koffi: the syscall and the copy out of the kernel, once per frame.',
  ],
  [/^readFrame$/, 'the device reading one frame (the syscall wrapper around read()).'],
  [
    /^drain$/,
    'the receive loop of the TAP device: reads frames until EAGAIN or the batch budget, hands each to the interface.',
  ],
  [/^writeBuffer$/, "Node's native fs write binding: body chunks going to the -o file (/dev/null here)."],
  [
    /^(checksumVerifies|sumWords|foldSum|internetChecksum)$/,
    'the Internet checksum in JavaScript (RFC 1071), run over every received segment (RFC 9293 §3.1): about 1.5 KB summed per frame.',
  ],
  [
    /^socketOnData$/,
    "Node's http client taking each chunk from the socket into its parser (llhttp), which emits the body.",
  ],
  [
    /^spawnSync$/,
    'the ip/nft commands run once at start and end to set up and remove the TAP host state (blocking).',
  ],
  [/^readAt$/, 'a copy out of the TCP receive ring buffer into the chunk handed to the socket stream.'],
  [/^writeAt$/, 'a copy of each segment payload into the TCP receive ring buffer.'],
  [/^onSegment$/, 'the stack demultiplexing a segment to its connection and running the engine on it.'],
  [
    /^processEstablishedAck$/,
    'the TCP engine handling the ACK field of a segment in ESTABLISHED (RFC 9293 §3.10.7.4).',
  ],
  [
    /^readTcpSegment$/,
    'parsing the TCP header and options of a received frame into the reused segment object.',
  ],
  [/^compileSourceTextModule$/, 'startup: V8 compiling the bundled module (once per process).'],
  [
    /^createUnsafeBuffer$/,
    'Buffer.allocUnsafe: a new Buffer for every chunk the socket delivers (an allocation per read).',
  ],
  [
    /^\(garbage collector\)$/,
    'V8 garbage collection: short-lived buffers, closures and segment objects per packet.',
  ],
  [
    /^\(program\)$/,
    'native code outside JavaScript: libuv, the koffi FFI trampolines, syscalls and V8 itself.',
  ],
  [/^\(idle\)$/, 'the event loop waiting for the next packet batch (not CPU use).'],
];

const KNOWN_WHERE: Array<[RegExp, string]> = [
  [
    /^node:internal\/streams/,
    'Node stream machinery (Readable/Writable buffering between the socket and http).',
  ],
  [/^node:_http|^node:internal\/http/, "Node's HTTP client parsing the response and moving the body along."],
  [/^node:internal\/fs/, 'Node file-system calls (the body written to /dev/null).'],
  [/^node:/, 'Node core library code.'],
  [/node_modules\/koffi/, 'the koffi FFI binding: crossing into libc for read()/write()/poll().'],
  [/^src\/sys\//, 'our syscall layer (src/sys): the raw read/write calls on the TAP fd through koffi.'],
  [/^src\/link\//, 'the link layer (src/link): the TAP device, receive pump and frame batching.'],
  [/^src\/wire\//, 'packet parsing/serialisation (src/wire): header views and checksums.'],
  [/^src\/net\//, 'the network layer (src/net): Ethernet/IP demux, routing and IP output.'],
  [/^src\/tcp\//, 'the TCP engine (src/tcp): segment processing, ACK generation, receive queue.'],
  [/^src\/socket\//, 'the stack driver and TcpSocket (src/socket): polling connections, delivering data.'],
  [/^src\/app\//, 'the `synack get` application code (src/app).'],
];

function describe(t: SelfTime): string {
  for (const [re, text, where] of KNOWN) if (re.test(t.fn) && (!where || where.test(t.where))) return text;
  for (const [re, text] of KNOWN_WHERE) if (re.test(t.where)) return text;
  return 'unclassified.';
}

function profileFetch(): { top: SelfTime[]; totalMs: number; run: Run } | undefined {
  const dir = mkdtempSync(join(tmpdir(), 'synack-prof-'));
  try {
    const file = LAB_FILES.find((f) => f.name === '100m.bin');
    if (!file) return undefined;
    const url = labUrl('http', file.name, { path: 'tap' });
    const run = synackRun(url, file.size, ['--cpu-prof', '--cpu-prof-dir', dir]);
    const prof = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
    if (!prof) return undefined;
    return { ...topSelfTime(join(dir, prof), 15), run };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Report.

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : '-');
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : '-');
const mib = (kb: number) => (Number.isFinite(kb) ? (kb / 1024).toFixed(0) : '-');
const pct = (p: Percentiles) => `${f1(p.p50)} / ${f1(p.p99)} / ${f1(p.max)}`;
const failed = (runs: Run[]) => runs.length - okRuns(runs).length;

function sizeTable(rows: SizeRow[]): string[] {
  const lines = [
    '| file | runs | synack MB/s | curl host MB/s | curl ns MB/s | synack / curl host | synack / curl ns | synack peak RSS MiB | curl peak RSS MiB | synack process wall s | failures |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|',
  ];
  for (const r of rows) {
    const s = medianOf(r.synack, 'mbps');
    const h = medianOf(r.curlHost, 'mbps');
    const n = medianOf(r.curlNs, 'mbps');
    const fails = [failed(r.synack), failed(r.curlHost), failed(r.curlNs)];
    const why = [...r.synack, ...r.curlHost, ...r.curlNs].find((x) => !x.ok)?.error;
    lines.push(
      `| ${r.name} | ${r.runs} | ${f1(s)} | ${f1(h)} | ${f1(n)} | ${f2(s / h)} | ${f2(s / n)} | ${mib(medianOf(r.synack, 'maxRssKb'))} | ${mib(medianOf(r.curlHost, 'maxRssKb'))} | ${f2(medianOf(r.synack, 'wallMs') / 1000)} | ${fails.join('/')}${why ? ` (${why})` : ''} |`,
    );
  }
  return lines;
}

function concurrencyTable(samples: Array<ConcurrencySample | { k: number; error: string }>): string[] {
  const lines = [
    '| K | completed | failures | total s | connect p50 / p99 / max ms | whole GET p50 / p99 / max ms | RSS before MiB | peak RSS MiB | KiB per connection | stack segments in |',
    '|---:|---:|---|---:|---|---|---:|---:|---:|---:|',
  ];
  for (const s of samples) {
    if ('error' in s) {
      lines.push(`| ${s.k} | 0 | ${s.error} | - | - | - | - | - | - | - |`);
      continue;
    }
    const fails = Object.entries(s.failures).map(([k, v]) => `${k}: ${v}`);
    const perConn = (s.peakRssKb - s.rssBeforeKb) / s.k;
    lines.push(
      `| ${s.k} | ${s.completed} | ${fails.join(', ') || 'none'} | ${f2(s.totalMs / 1000)} | ${pct(s.connectMs)} | ${pct(s.latencyMs)} | ${mib(s.rssBeforeKb)} | ${mib(s.peakRssKb)} | ${f1(perConn)} | ${s.segmentsIn} |`,
    );
  }
  return lines;
}

/** Observations the numbers themselves support (printed only when they hold). */
function concurrencyNotes(samples: Array<ConcurrencySample | { k: number; error: string }>): string[] {
  const notes: string[] = [];
  for (const s of samples) {
    if ('error' in s) continue;
    if (s.connectMs.p50 >= 900) {
      notes.push(
        `K=${s.k}: the median handshake took ${f1(s.connectMs.p50)} ms, about the 1 s initial RTO (RFC 6298 §2.1): most first SYNs were lost and retransmitted.`,
      );
    }
    if (s.segmentsIn === 0)
      notes.push(`K=${s.k}: the stack received no segment: the GETs did not run over it.`);
  }
  return notes;
}

function targetLines(
  rows: SizeRow[],
  conc: Array<ConcurrencySample | { k: number; error: string }>,
): string[] {
  const big = rows.find((r) => r.name === '100m.bin');
  const ratio = big ? medianOf(big.synack, 'mbps') / medianOf(big.curlHost, 'mbps') : Number.NaN;
  const rss = big ? medianOf(big.synack, 'maxRssKb') / 1024 : Number.NaN;
  const thousand = conc.find((c) => c.k === 1000);
  const thousandOk = thousand && !('error' in thousand) && thousand.completed === 1000;
  const mark = (ok: boolean) => (ok ? 'met' : 'NOT met');
  return [
    `- 100 MB at >= 25% of curl's throughput (curl host baseline): ratio ${f2(ratio)} -> ${mark(ratio >= 0.25)}.`,
    thousand
      ? `- 1,000 concurrent connections in one process: ${'error' in thousand ? thousand.error : `${thousand.completed}/1000 completed`} -> ${mark(Boolean(thousandOk))}.`
      : '- 1,000 concurrent connections: not run (--conc without 1000).',
    `- 1 GB in < 150 MB of memory: the lab has no 1 GB file; the 100 MB fetch peaked at ${f1(rss)} MiB RSS -> ${mark(rss < 150)} for 100 MB (a 1 GB run also needs flat memory over time, which this does not show).`,
  ];
}

function profileLines(p: ReturnType<typeof profileFetch>): string[] {
  if (!p) return ['(no profile: the profiled run or --cpu-prof failed, or --no-profile)'];
  const lines = [
    `One 100 MB \`synack get\` under \`node --cpu-prof\` (its own throughput under the profiler: ${f1(p.run.mbps)} MB/s; ` +
      `${f2(p.totalMs / 1000)} s sampled, startup and teardown included). Self time: time spent in the function itself, not in what it calls.`,
    '',
    '| # | function | where | self ms | share | what it is |',
    '|---:|---|---|---:|---:|---|',
  ];
  p.top.forEach((t, i) => {
    lines.push(
      `| ${i + 1} | \`${t.fn}\` | ${t.where || '-'} | ${f1(t.ms)} | ${(t.share * 100).toFixed(1)}% | ${describe(t)} |`,
    );
  });
  return lines;
}

function report(parts: {
  rows: SizeRow[];
  conc: Array<ConcurrencySample | { k: number; error: string }>;
  profile: ReturnType<typeof profileFetch>;
  notes: string[];
  seconds: number;
}): string {
  return [
    '# HTTP downloads: synack vs curl over the lab',
    '',
    'Generated by `node --import tsx bench/http.ts` (root). Lab nginx, HTTP/1.1, MTU 1500. MB = 10^6 bytes.',
    'synack: `synack get` (fetchUrl, src/app/get.ts) from the userspace stack on TAP synack0, routed by the',
    "host kernel to nginx at 10.77.2.2. curl host: curl on the host to the same address through the host's",
    'veth (the same kernel route the TAP traffic takes, minus the TAP hop). curl ns: curl in the client',
    'namespace straight over its veth to 10.77.3.1. Throughput: body bytes / transfer time including the',
    'handshake, median over the runs; ratios compare medians. Peak RSS: maxRSS of the whole process',
    '(Node included for synack). "process wall": the whole synack process, startup and TAP setup included.',
    '',
    '## Downloads',
    '',
    ...sizeTable(parts.rows),
    '',
    '## Concurrency: K connections in one process, each GET /100k.bin (Stack API, http.request + stack.connect)',
    '',
    ...concurrencyTable(parts.conc),
    '',
    '## Targets',
    '',
    ...targetLines(parts.rows, parts.conc),
    '',
    '## Where the time goes: top 15 self-time functions, 100 MB synack fetch',
    '',
    ...profileLines(parts.profile),
    '',
    '## Notes',
    '',
    ...[...parts.notes, ...concurrencyNotes(parts.conc)].map((n) => `- ${n}`),
    `- Whole benchmark: ${parts.seconds.toFixed(0)} s.`,
    '',
  ].join('\n');
}

function nginxLimits(): string {
  let conf = '';
  try {
    conf = readFileSync(join(LAB_PATHS.runDir, 'nginx.conf'), 'utf8');
  } catch {
    return 'nginx.conf not readable';
  }
  const workers = /worker_processes\s+(\d+)/.exec(conf)?.[1] ?? '?';
  const conns = /worker_connections\s+(\d+)/.exec(conf)?.[1] ?? '?';
  return `lab nginx: worker_processes ${workers}, worker_connections ${conns} (listening sockets and the connections themselves share that limit)`;
}

function machineLoad(): string {
  const [one, five] = readFileSync('/proc/loadavg', 'utf8').split(' ');
  return `load average at start: ${one} (1 min), ${five} (5 min) on ${readFileSync('/proc/cpuinfo', 'utf8').match(/^processor/gm)?.length ?? '?'} cores; other work on the machine shows in every column alike (runs are interleaved)`;
}

async function parent(): Promise<void> {
  if (process.getuid?.() !== 0) throw new Error('bench/http.ts needs root (TAP device, network namespaces)');
  const started = performance.now();
  const runs = Number(option('runs', '5'));
  const runs100m = Number(option('runs-100m', '3'));
  const ks = option('conc', '100,1000')
    .split(',')
    .map(Number)
    .filter((k) => k > 0);
  const { Lab } = await import('../src/lab/lab.js');
  const notes = [machineLoad()];
  const lab = await Lab.up();
  entry = bundleSelf();
  notes.push(`synack ran as ${entry.what}, one child process per fetch`);
  try {
    notes.push(nginxLimits());
    const rows: SizeRow[] = [];
    for (const [name, n] of [
      ['100k.bin', runs],
      ['10m.bin', runs],
      ['100m.bin', runs100m],
    ] as const) {
      rows.push(measureSize(name, n));
    }
    const conc = ks.map((k) => {
      process.stderr.write(`  concurrency ${k}\n`);
      const size = LAB_FILES.find((f) => f.name === '100k.bin')?.size ?? 0;
      const { json } = runChild([
        'conc',
        String(k),
        HOST_LINK.server.ipv4,
        '/100k.bin',
        String(size),
        '60000',
      ]);
      const s = json as ConcurrencySample & { ok?: boolean; error?: string };
      return s.ok === false ? { k, error: s.error ?? 'failed' } : s;
    });
    process.stderr.write('  profiling the 100 MB fetch\n');
    const profile = args.includes('--no-profile') ? undefined : profileFetch();
    const md = report({ rows, conc, profile, notes, seconds: (performance.now() - started) / 1000 });
    writeFileSync(RESULTS, md);
    process.stdout.write(md);
  } finally {
    entry.remove();
    await lab.down();
  }
}

if (args[0] === '--child') await child();
else await parent();
