// `synack demo`: the seed article's experiments, done properly. Brings the lab up, runs each
// scenario with the real stack against the real kernel's servers, prints the numbered, explained
// trace, writes pcaps, explained traces and HTML reports (linked from index.html) and takes the lab
// down again, also on Ctrl-C.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type AnalyzedPacket, isRetransmission } from '../analysis/index.js';
import { UserError } from '../cli/errors.js';
import { LabError } from '../lab/errors.js';
import { Lab } from '../lab/lab.js';
import { DropNthDataSegment } from './demo/drop-one.js';
import { renderIndexPage, type ScenarioOutcome } from './demo/index-page.js';
import { ensurePrivileges, insideUserNamespace, sudoCommand } from './demo/privileges.js';
import { SCENARIOS, type Scenario } from './demo/scenarios.js';
import { curlTimeMs, formatMs, median, transferSpanMs } from './demo/timing.js';
import { fetchUrl, type GetIo } from './get.js';

export interface DemoOptions {
  /** Output directory (default ./synack-demo). */
  out?: string;
  /** Only these scenarios, e.g. "A,C". */
  only?: string;
}

export interface DemoIo {
  print(line: string): void;
}

const stdoutIo: DemoIo = { print: (line) => process.stdout.write(`${line}\n`) };

export async function runDemo(options: DemoOptions, io: DemoIo = stdoutIo): Promise<number> {
  const scenarios = pickScenarios(options.only);
  const reexec = ensurePrivileges();
  if (reexec !== undefined) return reexec;
  const out = resolve(options.out ?? 'synack-demo');
  mkdirSync(out, { recursive: true });
  io.print('synack demo: bringing the lab up (network namespaces, nginx, Python servers)...');
  const lab = await bringLabUp();
  const outcomes: ScenarioOutcome[] = [];
  try {
    for (const scenario of scenarios) outcomes.push(await runScenario(scenario, out, io));
  } finally {
    io.print('');
    io.print('synack demo: taking the lab down...');
    await lab.down();
  }
  const index = join(out, 'index.html');
  writeFileSync(index, renderIndexPage(outcomes, new Date()));
  io.print(`Done. Open ${index} for the reports; the pcaps open in Wireshark.`);
  return 0;
}

/** Lab.up with its failures as one clear message; inside the user namespace, why it cannot work. */
async function bringLabUp(): Promise<Lab> {
  try {
    return await Lab.up();
  } catch (err) {
    if (!(err instanceof LabError)) throw err;
    if (insideUserNamespace()) {
      throw new UserError(
        `the lab cannot run in an unprivileged user namespace here: ${err.message}`,
        `run the demo as root: ${sudoCommand()}`,
      );
    }
    throw new UserError(err.message, err.hint ?? 'see synack lab status');
  }
}

function pickScenarios(only: string | undefined): readonly Scenario[] {
  if (!only) return SCENARIOS;
  const wanted = only
    .toUpperCase()
    .split(/[\s,]+/)
    .filter(Boolean);
  const unknown = wanted.filter((w) => !SCENARIOS.some((s) => s.id === w));
  if (unknown.length > 0) {
    throw new UserError(
      `no scenario ${unknown.join(', ')}`,
      `pick from ${SCENARIOS.map((s) => s.id).join(', ')}`,
      2,
    );
  }
  return SCENARIOS.filter((s) => wanted.includes(s.id));
}

async function runScenario(scenario: Scenario, out: string, io: DemoIo): Promise<ScenarioOutcome> {
  const files = {
    pcap: `${scenario.slug}.pcap`,
    report: `${scenario.slug}.html`,
    trace: `${scenario.slug}.txt`,
    body: `${scenario.slug}.body`,
  };
  const command = `synack get${scenario.http10 ? ' --http1.0' : ''} --explain ${scenario.url}`;
  io.print('');
  io.print(`=== ${scenario.title} ===`);
  for (const line of scenario.intro) io.print(`  ${line}`);
  io.print('');
  io.print(
    `$ ${command}${scenario.dropSegment ? `   (with data segment #${scenario.dropSegment} from the server dropped)` : ''}`,
  );
  const traced: string[] = [];
  const getIo: GetIo = {
    stdout: process.stdout,
    log: (line) => {
      traced.push(line);
      io.print(line);
    },
    stderrIsTty: false,
  };
  const drop = scenario.dropSegment;
  const result = await fetchUrl(
    scenario.url,
    {
      explain: true,
      http10: scenario.http10,
      pcap: join(out, files.pcap),
      report: join(out, files.report),
      output: join(out, files.body),
      silent: true,
      // The article's view: every segment as the server's NIC would send it, so the burst is ten
      // segments and the fault injector drops exactly one of them (not a 64 KB super-frame).
      offload: false,
    },
    getIo,
    {
      waitForDeviceMs: 5 * 60_000,
      wrapDevice: drop
        ? (inner) =>
            new DropNthDataSegment(inner, drop, (len) =>
              getIo.log(
                `    ~~ the fault injector drops this ${len}-byte segment before our stack sees it ~~`,
              ),
            )
        : undefined,
    },
  );
  let summary = outcomeLine(scenario, result.status, result.bytes, result.packets);
  if (scenario.compareWithCurl) summary += `\n${await compareWithCurl(scenario)}`;
  io.print(summary);
  writeFileSync(join(out, files.trace), `$ ${command}\n${traced.join('\n')}\n${summary}\n`);
  return {
    id: scenario.id,
    title: scenario.title,
    intro: scenario.intro,
    command,
    summary,
    report: files.report,
    pcap: files.pcap,
    traceFile: files.trace,
  };
}

function outcomeLine(
  scenario: Scenario,
  status: number,
  bytes: number,
  packets: readonly AnalyzedPacket[],
): string {
  const span = transferSpanMs(packets);
  let line = `=> HTTP ${status}, ${bytes.toLocaleString('en-US')} bytes${span === null ? '' : ` in ${formatMs(span)} (SYN to last byte, while tracing)`}`;
  if (scenario.dropSegment) {
    const sacks = packets.filter((p) => p.fromClient && (p.sack?.length ?? 0) > 0).length;
    const resent = packets.filter(
      (p) => !p.fromClient && p.labels.some((l) => isRetransmission(l.kind)),
    ).length;
    line += `; our ACKs with SACK blocks: ${sacks}; segments the server sent again: ${resent}`;
  }
  return line;
}

/** The seed's point in numbers: quiet runs of ours (the same lost segment) next to curl (kernel TCP). */
async function compareWithCurl(scenario: Scenario): Promise<string> {
  const quietIo: GetIo = { stdout: process.stdout, log: () => {}, stderrIsTty: false };
  const spans: number[] = [];
  for (let i = 0; i < 3; i++) {
    const drop = scenario.dropSegment;
    const run = await fetchUrl(
      scenario.url,
      { output: '/dev/null', silent: true, http10: scenario.http10, offload: false },
      quietIo,
      {
        keepPackets: true,
        waitForDeviceMs: 60_000,
        wrapDevice: drop ? (inner) => new DropNthDataSegment(inner, drop) : undefined,
      },
    );
    const span = transferSpanMs(run.packets);
    if (span !== null) spans.push(span);
  }
  const curl = curlTimeMs(scenario.url);
  const ours = spans.length > 0 ? formatMs(median(spans)) : 'n/a';
  const lost = scenario.dropSegment ? ', one segment lost' : '';
  return curl === null
    ? `=> synack, untraced${lost}: ${ours} (curl is not installed for the comparison)`
    : `=> curl: ${formatMs(curl)}, synack: ${ours}  (median of 3, untraced${lost}; the article's hand-made stack took about 20 s for 100 KB)`;
}
