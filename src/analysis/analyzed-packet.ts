// The analyzer's output for one packet.
import type { ConnectionInfo } from './connection.js';
import type { TcpLabel } from './labels.js';
import type { TcpPacketInfo } from './packet-info.js';

export interface AnalyzedPacket {
  /** 1-based position in the order packets were fed. */
  readonly index: number;
  /** The input (kept by reference: pass a fresh object per packet if you keep the results). */
  readonly info: TcpPacketInfo;
  readonly connection: ConnectionInfo;
  readonly fromClient: boolean;
  /** Relative sequence number (SYN = 0, first data byte = 1), unwrapped past 4 GiB. */
  readonly seq: number;
  /** Relative ACK in the other direction's space (0 when the ACK flag is off). */
  readonly ack: number;
  /** Advertised window in bytes, scaled when the handshake told the scale. */
  readonly window: number;
  /** SACK blocks, relative, when present. */
  readonly sack: ReadonlyArray<readonly [number, number]> | undefined;
  /** Bytes sent by this side and not yet acknowledged, after this packet (data packets; else -1). */
  readonly inFlight: number;
  /** RTT sample produced by this ACK, in ms (-1: none); it measures the other side's data. */
  readonly rtt: number;
  readonly labels: readonly TcpLabel[];
}
