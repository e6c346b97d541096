// Test helper: builds synthetic TCP conversations with relative numbers and virtual timestamps.
import type { TcpPacketInfo, TcpPacketOptions } from '../../../src/analysis/index.js';

const FLAG_BITS: Record<string, number> = { F: 0x01, S: 0x02, R: 0x04, P: 0x08, A: 0x10, U: 0x20 };

export interface Side {
  address: string;
  port: number;
  isn: number;
}

export const CLIENT: Side = { address: '10.77.1.2', port: 40000, isn: 1_000_000 };
/** The server's ISN is close to 2^32 so every test also crosses the sequence-number wrap. */
export const SERVER: Side = { address: '10.77.2.2', port: 80, isn: 4_294_967_000 };

export interface SegmentSpec {
  t: number;
  flags: string;
  seq?: number;
  ack?: number;
  len?: number;
  win?: number;
  options?: TcpPacketOptions;
  sack?: Array<[number, number]>;
  text?: string;
  direction?: 'in' | 'out';
}

function flagBits(flags: string): number {
  let bits = 0;
  for (const letter of flags) bits |= FLAG_BITS[letter] ?? 0;
  return bits;
}

/** A packet from `from` to `to`, numbers relative to each side's ISN. */
export function segment(from: Side, to: Side, spec: SegmentSpec): TcpPacketInfo {
  const text = spec.text;
  const head = text === undefined ? undefined : new TextEncoder().encode(text);
  const len = spec.len ?? head?.length ?? 0;
  const options: TcpPacketOptions = { ...spec.options };
  if (spec.sack) options.sackBlocks = spec.sack.map(([l, r]) => [(to.isn + l) >>> 0, (to.isn + r) >>> 0]);
  const info: TcpPacketInfo = {
    time: spec.t,
    src: from.address,
    dst: to.address,
    sport: from.port,
    dport: to.port,
    seq: (from.isn + (spec.seq ?? 0)) >>> 0,
    ack: (to.isn + (spec.ack ?? 0)) >>> 0,
    flags: flagBits(spec.flags),
    window: spec.win ?? 65535,
    payloadLength: len,
    options,
  };
  if (head) info.payloadHead = head;
  if (spec.direction) info.direction = spec.direction;
  return info;
}

export const c = (spec: SegmentSpec): TcpPacketInfo => segment(CLIENT, SERVER, spec);
export const s = (spec: SegmentSpec): TcpPacketInfo => segment(SERVER, CLIENT, spec);

/** A standard handshake at t = 0 / 10 / 10.1 ms (RTT 10 ms), window scale 7 both ways. */
export function handshake(): TcpPacketInfo[] {
  const synOptions: TcpPacketOptions = { mss: 1460, sackPermitted: true, wscale: 7 };
  return [
    c({ t: 0, flags: 'S', seq: 0, win: 64240, options: synOptions }),
    s({ t: 10, flags: 'SA', seq: 0, ack: 1, win: 65160, options: synOptions }),
    c({ t: 10.1, flags: 'A', seq: 1, ack: 1, win: 502 }),
  ];
}
