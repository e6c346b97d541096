// Analyzes a whole capture file: every TCP frame through the analyzer, each with its tcpdump line.
import { TcpdumpFormatter } from '../packet/index.js';
import { type CaptureRecord, readCaptureFile } from '../wire/index.js';
import type { AnalyzedPacket } from './analyzed-packet.js';
import { CaptureExplainer } from './capture-explainer.js';
import type { AnalyzerLimits } from './connection.js';

export interface CaptureAnalysis {
  packets: AnalyzedPacket[];
  /** Frames in the file, TCP or not. */
  frames: number;
  /** Frames with malformed headers (skipped). */
  malformed: number;
}

export function recordTimeMs(record: CaptureRecord): number {
  return record.seconds * 1000 + record.nanoseconds / 1e6;
}

/** Reads a pcap/pcapng file and analyzes its TCP packets (keeps them all in memory). */
export function analyzeCaptureFile(path: string, limits: Partial<AnalyzerLimits> = {}): CaptureAnalysis {
  const explainer = new CaptureExplainer(limits);
  const formatter = new TcpdumpFormatter({ timestamps: 'none' });
  const packets: AnalyzedPacket[] = [];
  let frames = 0;
  for (const record of readCaptureFile(path)) {
    frames++;
    const line = formatter.format(record.data, record.linkType, record.origLength);
    const packet = explainer.analyzeFrame(record.data, record.linkType, recordTimeMs(record), { line });
    if (packet) packets.push(packet);
  }
  return { packets, frames, malformed: explainer.malformed };
}
