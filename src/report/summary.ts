// The numbers at the top of a report: endpoints, duration, bytes and segments each way, trouble, RTT.
import { type AnalyzedPacket, isRetransmission } from '../analysis/index.js';
import type { EngineSample } from './input.js';

export interface DirectionSummary {
  segments: number;
  /** Payload bytes on the wire, retransmissions included. */
  bytes: number;
  /** Distinct payload bytes (highest relative seq reached - 1). */
  uniqueBytes: number;
  retransmissions: number;
}

export interface RttStats {
  samples: number;
  min: number;
  avg: number;
  max: number;
}

export interface ReportSummary {
  client: string;
  server: string;
  start: number;
  duration: number;
  clientToServer: DirectionSummary;
  serverToClient: DirectionSummary;
  /** How many packets carried each label kind. */
  labelCounts: Record<string, number>;
  rtt: RttStats | undefined;
}

function emptyDirection(): DirectionSummary {
  return { segments: 0, bytes: 0, uniqueBytes: 0, retransmissions: 0 };
}

function addPacket(dir: DirectionSummary, p: AnalyzedPacket): void {
  dir.segments++;
  dir.bytes += p.info.payloadLength;
  if (p.info.payloadLength > 0) dir.uniqueBytes = Math.max(dir.uniqueBytes, p.seq + p.info.payloadLength - 1);
  if (p.labels.some((l) => isRetransmission(l.kind))) dir.retransmissions++;
}

export function rttStats(values: readonly number[]): RttStats | undefined {
  if (values.length === 0) return undefined;
  let min = Number.POSITIVE_INFINITY;
  let max = 0;
  let sum = 0;
  for (const v of values) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  return { samples: values.length, min, avg: sum / values.length, max };
}

export function summarize(
  packets: readonly AnalyzedPacket[],
  engine?: readonly EngineSample[],
): ReportSummary {
  const first = packets[0];
  const c2s = emptyDirection();
  const s2c = emptyDirection();
  const labelCounts: Record<string, number> = {};
  const rtts: number[] = [];
  for (const p of packets) {
    addPacket(p.fromClient ? c2s : s2c, p);
    for (const l of p.labels) labelCounts[l.kind] = (labelCounts[l.kind] ?? 0) + 1;
    if (p.rtt >= 0) rtts.push(p.rtt);
  }
  const engineRtts = (engine ?? []).flatMap((s) => (s.rtt === undefined ? [] : [s.rtt]));
  const start = first?.info.time ?? 0;
  const end = packets.length > 0 ? packets[packets.length - 1].info.time : start;
  return {
    client: first ? `${first.connection.client.address}:${first.connection.client.port}` : '',
    server: first ? `${first.connection.server.address}:${first.connection.server.port}` : '',
    start,
    duration: end - start,
    clientToServer: c2s,
    serverToClient: s2c,
    labelCounts,
    rtt: rttStats(engineRtts.length > 0 ? engineRtts : rtts),
  };
}
