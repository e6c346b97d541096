// Picks the connection a report is about.
import type { AnalyzedPacket } from '../analysis/index.js';

export interface StreamChoice {
  packets: AnalyzedPacket[];
  /** Every connection in the input with its packet count, busiest first. */
  streams: Array<{ stream: number; packets: number; label: string }>;
}

function streamLabel(p: AnalyzedPacket): string {
  const { client, server } = p.connection;
  return `${client.address}:${client.port} -> ${server.address}:${server.port}`;
}

export function chooseStream(all: readonly AnalyzedPacket[], wanted?: number): StreamChoice {
  const counts = new Map<number, { stream: number; packets: number; label: string }>();
  for (const p of all) {
    const entry = counts.get(p.connection.stream);
    if (entry) entry.packets++;
    else counts.set(p.connection.stream, { stream: p.connection.stream, packets: 1, label: streamLabel(p) });
  }
  const streams = [...counts.values()].sort((a, b) => b.packets - a.packets || a.stream - b.stream);
  const stream = wanted ?? streams[0]?.stream;
  return { packets: all.filter((p) => p.connection.stream === stream), streams };
}
