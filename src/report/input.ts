// What a report is made from: analyzed packets, plus optional samples from the TCP engine.
import type { AnalyzedPacket } from '../analysis/index.js';

export interface EngineSample {
  /** Time in ms, on the same clock as the packets' `info.time`. */
  time: number;
  /** Smoothed or measured RTT in ms (RFC 6298). */
  rtt?: number;
  /** Congestion window in bytes. */
  cwnd?: number;
  /** Slow-start threshold in bytes. */
  ssthresh?: number;
}

export interface ReportInput {
  /** Analyzed packets in capture order (any number of connections). */
  packets: readonly AnalyzedPacket[];
  /** Which connection to show (AnalyzedPacket.connection.stream); default: the one with the most packets. */
  stream?: number;
  /** Page title; default from the endpoints. */
  title?: string;
  /** Where the packets came from (file name, command line), shown in the header. */
  source?: string;
  /** RTT / cwnd samples from the engine, when the report is about our own connection. */
  engine?: readonly EngineSample[];
  /** The ladder shows this many segments at the start and at the end, folding the middle (default 300). */
  ladderEdge?: number;
}

export const DEFAULT_LADDER_EDGE = 300;
