// `synack report FILE -o out.html`: a self-contained HTML report (ladder diagram, time-sequence
// graph, RTT, events) about one TCP connection of a pcap/pcapng capture.
import { existsSync, writeFileSync } from 'node:fs';
import { basename, extname } from 'node:path';
import type { Command } from 'commander';
import { analyzeCaptureFile } from '../../analysis/index.js';
import { renderReport } from '../../report/index.js';
import { WireError } from '../../wire/errors.js';
import { UserError } from '../errors.js';

interface ReportOptions {
  output?: string;
  stream?: string;
  edge: string;
  title?: string;
}

function nonNegativeInteger(text: string, what: string): number {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 0)
    throw new UserError(`${what} must be a whole number >= 0, not "${text}"`, undefined, 2);
  return n;
}

function analyze(file: string) {
  if (!existsSync(file))
    throw new UserError(`no such file: ${file}`, 'give the path of a pcap or pcapng capture');
  try {
    return analyzeCaptureFile(file);
  } catch (err) {
    if (err instanceof WireError) {
      throw new UserError(
        `${file} is not a readable capture (${err.message})`,
        'capture with: tcpdump -i IFACE -w FILE.pcap',
      );
    }
    throw err;
  }
}

function runReport(file: string, opts: ReportOptions): void {
  const analysis = analyze(file);
  if (analysis.packets.length === 0) {
    throw new UserError(
      `no TCP packets in ${file} (${analysis.frames} frames)`,
      'capture TCP traffic, e.g. tcpdump -i lo -w FILE.pcap port 80',
    );
  }
  const output = opts.output ?? `${basename(file, extname(file))}.html`;
  const streams = new Set(analysis.packets.map((p) => p.connection.stream));
  const stream = opts.stream === undefined ? undefined : nonNegativeInteger(opts.stream, '--stream');
  if (stream !== undefined && !streams.has(stream)) {
    throw new UserError(
      `no TCP stream ${stream} in ${file}`,
      `streams are numbered 0 to ${streams.size - 1}`,
    );
  }
  const html = renderReport({
    packets: analysis.packets,
    source: `${basename(file)}: ${analysis.frames.toLocaleString('en-US')} frames, ${streams.size} TCP connection(s)`,
    ladderEdge: nonNegativeInteger(opts.edge, '--edge') || 1,
    ...(stream === undefined ? {} : { stream }),
    ...(opts.title === undefined ? {} : { title: opts.title }),
  });
  writeFileSync(output, html);
  process.stdout.write(
    `wrote ${output} (${(html.length / 1024).toFixed(0)} KiB, ${streams.size} TCP connection(s) in the capture)\n`,
  );
}

export function registerReport(program: Command): void {
  program
    .command('report')
    .description(
      'write a self-contained HTML report (ladder diagram, time-sequence graph, RTT) of a TCP capture',
    )
    .argument('<file>', 'pcap or pcapng file')
    .option('-o, --output <file.html>', 'where to write the report (default: FILE with .html)')
    .option('--stream <n>', 'which TCP connection (default: the one with the most packets)')
    .option('--edge <n>', 'long connections: segments shown at the start and at the end of the ladder', '300')
    .option('--title <text>', 'page title')
    .action((file: string, opts: ReportOptions) => runReport(file, opts));
}
