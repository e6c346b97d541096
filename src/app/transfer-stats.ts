// The one-line JSON of --stats: what the transfer moved and what TCP did to move it.
import type { TcpStats } from '../tcp/stats.js';
import { round3 } from './engine-sampler.js';

export interface TransferFacts {
  url: string;
  status: number;
  /** Body bytes delivered to the output. */
  bytes: number;
  seconds: number;
  mode: string;
  /** The engine's counters at the end (undefined when no connection was made). */
  tcp: TcpStats | undefined;
  rtt: { min: number; avg: number; max: number } | null;
}

export interface TransferStats {
  url: string;
  status: number;
  bytes: number;
  seconds: number;
  /** Body bytes per second. */
  throughput: number;
  mode: string;
  segmentsIn: number;
  segmentsOut: number;
  retransmissionsIn: number;
  retransmissionsOut: number;
  fastRetransmits: number;
  timeouts: number;
  dupAcksIn: number;
  dupAcksOut: number;
  outOfOrderIn: number;
  sackBlocksIn: number;
  rtt: { min: number; avg: number; max: number } | null;
  maxCwnd: number;
  mss: number;
}

export function transferStats(f: TransferFacts): TransferStats {
  const t = f.tcp;
  return {
    url: f.url,
    status: f.status,
    bytes: f.bytes,
    seconds: round3(f.seconds),
    throughput: f.seconds > 0 ? Math.round(f.bytes / f.seconds) : 0,
    mode: f.mode,
    segmentsIn: t?.segmentsIn ?? 0,
    segmentsOut: t?.segmentsOut ?? 0,
    retransmissionsIn: t?.retransmissionsIn ?? 0,
    retransmissionsOut: t?.retransmits ?? 0,
    fastRetransmits: t?.fastRetransmits ?? 0,
    timeouts: t?.rtoCount ?? 0,
    dupAcksIn: t?.dupAcksIn ?? 0,
    dupAcksOut: t?.dupAcksOut ?? 0,
    outOfOrderIn: t?.oooSegments ?? 0,
    sackBlocksIn: t?.sackBlocksIn ?? 0,
    rtt: f.rtt,
    maxCwnd: t?.maxCwnd ?? 0,
    mss: t?.mss ?? 0,
  };
}
