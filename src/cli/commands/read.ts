// `synack read FILE [--json|--explain]`: every packet of a pcap/pcapng file as `tcpdump -n -r FILE`
// prints it, streamed (pcap files are read record by record) through a buffered writer; with
// --explain each TCP line is followed by what it means, in plain words (src/analysis).
import { existsSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { CaptureExplainer } from '../../analysis/capture-explainer.js';
import { dissect } from '../../packet/dissect.js';
import { LineWriter } from '../../packet/line-writer.js';
import { TcpdumpFormatter } from '../../packet/tcpdump/formatter.js';
import type { TimestampFormat } from '../../packet/tcpdump/timestamp.js';
import { WireError } from '../../wire/errors.js';
import type { CaptureRecord } from '../../wire/pcap.js';
import { forEachRecord } from '../../wire/pcapng.js';
import { UserError } from '../errors.js';

interface ReadOptions {
  json?: boolean;
  explain?: boolean;
  e?: boolean;
  tt?: boolean;
  t?: boolean;
}

export function registerRead(program: Command): void {
  program
    .command('read')
    .description('print every packet of a pcap/pcapng file as tcpdump -n does')
    .argument('<file>', 'pcap or pcapng file')
    .option('--json', 'one JSON object a line with every layer and field')
    .option(
      '--explain',
      'follow each TCP line with what it means in plain words (handshake, SACK, retransmission...)',
    )
    .option('-e', 'print the link-level header on each line (tcpdump -e)')
    .option('--tt', 'print timestamps as seconds since the epoch (tcpdump -tt)')
    .option('-t', 'print no timestamps (tcpdump -t)')
    .action((file: string, opts: ReadOptions) => {
      readCommand(file, opts);
    });
}

export function readCommand(file: string, opts: ReadOptions, out = new LineWriter(1)): number {
  checkFile(file);
  const timestamps: TimestampFormat = opts.t ? 'none' : opts.tt ? 'epoch' : 'default';
  const formatter = new TcpdumpFormatter({ link: opts.e ?? false, timestamps });
  const explainer = opts.explain ? new CaptureExplainer() : undefined;
  let count = 0;
  try {
    forEachRecord(file, (rec) => {
      if (opts.json) out.line(jsonLine(rec));
      else {
        const line = formatter.line(rec.data, rec.linkType, rec.seconds, rec.nanoseconds, rec.origLength);
        out.line(explainer ? explainedLine(explainer, rec, line) : line);
      }
      count++;
      return !out.closed;
    });
  } catch (err) {
    out.flush();
    if (err instanceof WireError) throw badCapture(file, err, count);
    throw err;
  }
  out.flush();
  return count;
}

function explainedLine(explainer: CaptureExplainer, rec: CaptureRecord, line: string): string {
  const timeMs = rec.seconds * 1000 + rec.nanoseconds / 1e6;
  const explanation = explainer.explainFrame(rec.data, rec.linkType, timeMs, { line });
  return explanation ? `${line}   <- ${explanation}` : line;
}

function jsonLine(rec: CaptureRecord): string {
  const pkt = dissect(rec.data, rec.linkType);
  return JSON.stringify({
    time: `${rec.seconds}.${String(rec.nanoseconds).padStart(9, '0')}`,
    caplen: rec.data.length,
    len: rec.origLength,
    linktype: rec.linkType,
    layers: pkt.toJSON(),
  });
}

function checkFile(file: string): void {
  if (!existsSync(file)) {
    throw new UserError(
      `cannot read ${file}: no such file`,
      'check the path, or capture one: tcpdump -w FILE',
    );
  }
  if (statSync(file).isDirectory())
    throw new UserError(`cannot read ${file}: it is a directory`, 'give a pcap file');
}

function badCapture(file: string, err: WireError, count: number): UserError {
  if (count === 0) {
    return new UserError(
      `${file} is not a pcap or pcapng file (${err.message})`,
      'synack read takes files written by tcpdump -w, dumpcap, Wireshark or synack',
    );
  }
  return new UserError(
    `${file}: damaged after ${count} packets (${err.message})`,
    'the file may be truncated',
  );
}
