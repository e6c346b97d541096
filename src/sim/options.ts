// What a simulation is asked to do, with the defaults filled in.
import type { ImpairmentConfig } from '../link/impair-spec.js';
import type { CongestionControlName, TcpConfig } from '../tcp/config.js';
import type { TcpConnection } from '../tcp/connection.js';
import type { DropRule } from './probe.js';
import type { SimSegmentEvent, SimSide } from './segment-view.js';

export type SimDirection = 'download' | 'upload' | 'both';

export interface SimTraceOptions {
  /** Lines kept from the start and from the end of the trace (default 20 each). */
  lines?: number;
  /** Keep every line. */
  all?: boolean;
  /** Stream every line here as it is made instead of keeping them (the result then has none). */
  write?: (line: string) => void;
}

export interface SimOptions {
  /** Bytes of the transfer (each way for 'both'). Default 1 MiB. */
  size?: number;
  /** Who sends: 'download' server -> client (default), 'upload' client -> server, 'both'. */
  direction?: SimDirection;
  /**
   * Bytes the client sends first, as a request; the server starts its data only once it has them all,
   * and the client closes after the server's FIN (HTTP/1.0 style). Default 0 (no request).
   */
  request?: number;
  /** Round-trip propagation delay in ms (half each way). Default 20. */
  rtt?: number;
  /** Link rate in bits per second each way; 0 = unlimited. Default 100 Mbit/s. */
  bandwidth?: number;
  /** IP MTU of the link (the MSS follows: MTU - 40). Default 1500. */
  mtu?: number;
  /** Frames the link queues per direction before dropping (drop-tail). Default 1000. */
  queueFrames?: number;
  /** TCP send buffer size in bytes, both ends (engine default 4 MB). */
  sendBuffer?: number;
  /** TCP receive buffer size in bytes, both ends (engine default 6 MB). */
  receiveBuffer?: number;
  /** Congestion control on both ends. Default cubic. */
  congestionControl?: CongestionControlName;
  /** Any other engine setting, both ends (applied after the options above). */
  tcp?: Partial<TcpConfig>;
  /**
   * Impairments as an `--impair` spec or a parsed config, seen from the client: `out` (dir=out) is
   * client -> server, `in` (dir=in) is server -> client. Without seed= the simulation's seed is used.
   */
  impair?: string | ImpairmentConfig;
  /** Random loss in both directions (a shorthand added to `impair`). */
  loss?: number;
  /** Seeds everything random: ports, ISNs, timestamps offsets, payload, impairments. Default 1. */
  seed?: number;
  /** Scripted loss: return true to drop a TCP segment one side is about to send (see dropNth). */
  dropRule?: DropRule;
  /** Sees every TCP segment at both endpoints (sent before the network, received after it). */
  onSegment?: (ev: SimSegmentEvent) => void;
  /** Called after every clock event with both engines (null until created): for white-box checks. */
  onStep?: (now: number, client: TcpConnection | null, server: TcpConnection | null) => void;
  /** tcpdump-style lines of every frame at the capture point. */
  trace?: boolean | SimTraceOptions;
  /** Write the frames at the capture point to this pcap file. */
  pcap?: string;
  /** Where trace and pcap look from (default 'client', like tcpdump on the client host). */
  captureAt?: SimSide;
  /** Check the engine's invariants after every segment and every step (default true). */
  checkInvariants?: boolean;
  /** Fail when nothing progresses for this many times the largest current RTO (default 4). */
  stallRtos?: number;
  /** Give up after this much virtual time in ms (default 1 hour). */
  maxVirtualTime?: number;
}

export interface ResolvedSimOptions {
  clientBytes: number;
  serverBytes: number;
  request: number;
  direction: SimDirection;
  rtt: number;
  bandwidth: number;
  mtu: number;
  queueFrames: number;
  tcpConfig: Partial<TcpConfig>;
  seed: number;
  checkInvariants: boolean;
  stallRtos: number;
  maxVirtualTime: number;
  captureAt: SimSide;
}

export const DEFAULT_SIZE = 1 << 20;

export function resolveSimOptions(o: SimOptions): ResolvedSimOptions {
  const size = o.size ?? DEFAULT_SIZE;
  const direction = o.direction ?? 'download';
  const request = o.request ?? 0;
  requireRange('size', size, 0, Number.MAX_SAFE_INTEGER);
  requireRange('request', request, 0, Number.MAX_SAFE_INTEGER);
  const rtt = o.rtt ?? 20;
  requireRange('rtt', rtt, 0, 3_600_000);
  const mtu = o.mtu ?? 1500;
  requireRange('mtu', mtu, 128, 65535);
  const tcpConfig: Partial<TcpConfig> = {};
  if (o.sendBuffer !== undefined) tcpConfig.sendBufferSize = o.sendBuffer;
  if (o.receiveBuffer !== undefined) tcpConfig.receiveBufferSize = o.receiveBuffer;
  if (o.congestionControl !== undefined) tcpConfig.congestionControl = o.congestionControl;
  Object.assign(tcpConfig, o.tcp);
  const upload = direction !== 'download';
  const download = direction !== 'upload';
  return {
    clientBytes: request + (upload ? size : 0),
    serverBytes: download ? size : 0,
    request,
    direction,
    rtt,
    bandwidth: o.bandwidth ?? 100e6,
    mtu,
    queueFrames: o.queueFrames ?? 1000,
    tcpConfig,
    seed: (o.seed ?? 1) >>> 0,
    checkInvariants: o.checkInvariants ?? true,
    stallRtos: o.stallRtos ?? 4,
    maxVirtualTime: o.maxVirtualTime ?? 3_600_000,
    captureAt: o.captureAt ?? 'client',
  };
}

function requireRange(name: string, v: number, lo: number, hi: number): void {
  if (!(Number.isFinite(v) && v >= lo && v <= hi)) {
    throw new RangeError(`simulate: ${name} must be in ${lo}..${hi}, got ${String(v)}`);
  }
}
