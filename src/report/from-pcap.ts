// reportFromPcap: a capture file in, the HTML report out.
import { basename } from 'node:path';
import { analyzeCaptureFile } from '../analysis/index.js';
import type { ReportInput } from './input.js';
import { renderReport } from './render.js';

export interface PcapReportOptions {
  stream?: number;
  title?: string;
  ladderEdge?: number;
}

export function reportFromPcap(path: string, opts: PcapReportOptions = {}): string {
  const analysis = analyzeCaptureFile(path);
  const input: ReportInput = {
    packets: analysis.packets,
    source:
      `${basename(path)}: ${analysis.frames.toLocaleString('en-US')} frames, ${analysis.packets.length.toLocaleString('en-US')} TCP` +
      (analysis.malformed > 0 ? `, ${analysis.malformed} malformed (skipped)` : ''),
  };
  if (opts.stream !== undefined) input.stream = opts.stream;
  if (opts.title !== undefined) input.title = opts.title;
  if (opts.ladderEdge !== undefined) input.ladderEdge = opts.ladderEdge;
  return renderReport(input);
}
