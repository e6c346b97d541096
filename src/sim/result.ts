// What a simulation reports, and its short human summary.
import type { ImpairmentStats } from '../link/fault-injector.js';
import type { TcpStateName } from '../tcp/connection.js';
import type { TcpStats } from '../tcp/stats.js';
import type { ProbeCounters } from './probe.js';
import type { RttSummary } from './rtt-sampler.js';

export interface SimDirectionReport {
  /** TCP segments that side sent / the other side received. */
  segmentsSent: number;
  segmentsDelivered: number;
  dataSegmentsSent: number;
  /** Payload bytes the receiving application read, and whether they hash equal to what was written. */
  bytesSent: number;
  bytesDelivered: number;
  sha256Match: boolean;
  scriptedDrops: number;
  /** The fault injector's counters for this direction (null without impairments). */
  impairments: ImpairmentStats | null;
  /** Frames the link's queue dropped (drop-tail). */
  queueDrops: number;
}

export interface SimConnectionReport {
  /** Final state; null when the server never created the connection. */
  state: TcpStateName | null;
  error: string | null;
  stats: TcpStats | null;
}

export interface SimResult {
  ok: boolean;
  /** Why it failed (null when ok). */
  failure: string | null;
  /** State of both engines and the last frames, when it failed. */
  diagnostic: string | null;
  /** Virtual time from the first SYN until both ends were closed (or TIME-WAIT). */
  virtualSeconds: number;
  /** Virtual time from the first byte written to the last byte read. */
  transferSeconds: number;
  goodputBitsPerSecond: number;
  bytesSent: number;
  bytesDelivered: number;
  sha256Match: boolean;
  retransmissions: number;
  fastRetransmits: number;
  rtoCount: number;
  /** Round-trip times measured on the wire (ms), Karn's rule. */
  rtt: RttSummary;
  /** Largest congestion window either sender reached, bytes. */
  largestCwnd: number;
  clientToServer: SimDirectionReport;
  serverToClient: SimDirectionReport;
  client: SimConnectionReport;
  server: SimConnectionReport;
  invariantViolations: string[];
  /** Clock events processed. */
  steps: number;
  /** tcpdump-style lines at the capture point (bounded unless asked for all). */
  trace: string[];
  /** Lines traced in total (trace may hold fewer). */
  traceLines: number;
}

export type { ProbeCounters };

/** A few lines for people: time, goodput, retransmissions, RTT, cwnd, the verdict. */
export function formatSimSummary(r: SimResult): string[] {
  const lines = [
    `${r.ok ? 'ok' : 'FAILED'}: ${formatBytes(r.bytesDelivered)} of ${formatBytes(r.bytesSent)} delivered, ` +
      `sha256 ${r.sha256Match ? 'match' : 'MISMATCH'}`,
    `virtual time ${r.virtualSeconds.toFixed(3)} s (transfer ${r.transferSeconds.toFixed(3)} s), ` +
      `goodput ${formatRate(r.goodputBitsPerSecond)}`,
    `retransmissions ${r.retransmissions} (fast recoveries ${r.fastRetransmits}, RTOs ${r.rtoCount})`,
    r.rtt.samples === 0
      ? 'rtt: no samples'
      : `rtt min/avg/max ${r.rtt.min.toFixed(3)}/${r.rtt.avg.toFixed(3)}/${r.rtt.max.toFixed(3)} ms ` +
        `(${r.rtt.samples} samples)`,
    `largest cwnd ${formatBytes(r.largestCwnd)}`,
    `segments client->server ${r.clientToServer.segmentsSent} sent / ${r.clientToServer.segmentsDelivered} ` +
      `delivered, server->client ${r.serverToClient.segmentsSent} / ${r.serverToClient.segmentsDelivered}`,
    `final states: client ${r.client.state ?? '-'}, server ${r.server.state ?? '-'}`,
  ];
  if (!r.ok && r.failure !== null) lines.push(`failure: ${r.failure}`);
  return lines;
}

export function formatRate(bitsPerSecond: number): string {
  if (!Number.isFinite(bitsPerSecond)) return '-';
  if (bitsPerSecond >= 1e9) return `${(bitsPerSecond / 1e9).toFixed(2)} Gbit/s`;
  if (bitsPerSecond >= 1e6) return `${(bitsPerSecond / 1e6).toFixed(2)} Mbit/s`;
  if (bitsPerSecond >= 1e3) return `${(bitsPerSecond / 1e3).toFixed(2)} kbit/s`;
  return `${bitsPerSecond.toFixed(0)} bit/s`;
}

export function formatBytes(n: number): string {
  if (n >= 1 << 20) return `${(n / (1 << 20)).toFixed(2)} MiB`;
  if (n >= 1 << 10) return `${(n / (1 << 10)).toFixed(1)} KiB`;
  return `${n} B`;
}
