// The analyzer's input: one TCP segment as seen on the wire, as plain fields.
// Filled from a parsed frame (frame.ts), from the engine's segments (live tracer), or by hand in tests.

/** TCP header flag bits (RFC 9293 §3.1; RFC 3168 for ECE/CWR). */
export const TCP_FIN = 0x01;
export const TCP_SYN = 0x02;
export const TCP_RST = 0x04;
export const TCP_PSH = 0x08;
export const TCP_ACK = 0x10;
export const TCP_URG = 0x20;

export interface TcpPacketOptions {
  /** Maximum Segment Size (RFC 9293 §3.7.1). */
  mss?: number;
  /** Window scale shift (RFC 7323 §2.2). */
  wscale?: number;
  /** SACK-permitted (RFC 2018 §2). */
  sackPermitted?: boolean;
  /** SACK blocks as raw u32 [left, right) edges (RFC 2018 §3). */
  sackBlocks?: ReadonlyArray<readonly [number, number]>;
  /** Timestamps TSval / TSecr (RFC 7323 §3). */
  timestamp?: { value: number; echo: number };
}

export interface TcpPacketInfo {
  /** Capture time in milliseconds (any epoch; only differences are used). */
  time: number;
  /** Source and destination addresses as text (IPv4 dotted or IPv6). */
  src: string;
  dst: string;
  sport: number;
  dport: number;
  /** Raw u32 sequence and acknowledgment numbers. */
  seq: number;
  ack: number;
  /** Flag bits (TCP_SYN | TCP_ACK ...). */
  flags: number;
  /** The 16-bit window field as on the wire; the analyzer scales it from the handshake. */
  window: number;
  /** Known shift for this segment's window when the caller knows it (live engine); else from the handshake. */
  windowShift?: number;
  /** TCP payload length in bytes. */
  payloadLength: number;
  options?: TcpPacketOptions;
  /** The first payload bytes (a few dozen are enough), for HTTP request/status line hints. */
  payloadHead?: Uint8Array;
  /** When the capture point is one endpoint: 'out' = sent by us, 'in' = received. */
  direction?: 'in' | 'out';
  /** Set when a fault injector dropped this segment after it was captured. */
  dropped?: boolean;
  /** The tcpdump-style text of this packet, when the caller has it (kept for reports). */
  line?: string;
}

export function hasFlag(info: TcpPacketInfo, flag: number): boolean {
  return (info.flags & flag) !== 0;
}

/** Sequence space used by a segment: payload plus one each for SYN and FIN (RFC 9293 §3.4). */
export function sequenceLength(info: TcpPacketInfo): number {
  return info.payloadLength + (info.flags & TCP_SYN ? 1 : 0) + (info.flags & TCP_FIN ? 1 : 0);
}
