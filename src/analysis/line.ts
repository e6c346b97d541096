// The numbered, annotated trace line: `  7  <tcpdump text>   <- <plain-word explanation>`.
import type { AnalyzedPacket } from './analyzed-packet.js';
import { explainPacket } from './explain.js';
import { fallbackTcpdumpLine } from './fallback-tcpdump-line.js';

/** Width of the packet number column (right-aligned), as in the seed's numbered traces. */
const NUMBER_WIDTH = 3;

export function formatExplainedLine(number: number, text: string, explanation: string): string {
  const prefix = `${String(number).padStart(NUMBER_WIDTH)}  ${text}`;
  return explanation ? `${prefix}   <- ${explanation}` : prefix;
}

/** The line for an analyzed packet, using info.line (tcpdump text) when the caller provided it. */
export function formatAnalyzedLine(packet: AnalyzedPacket, number = packet.index): string {
  const text = packet.info.line ?? fallbackTcpdumpLine(packet);
  return formatExplainedLine(number, text, explainPacket(packet));
}
