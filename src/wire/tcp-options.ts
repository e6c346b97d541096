// TCP options (RFC 9293 §3.1-3.2, RFC 7323 window scale and timestamps, RFC 2018 SACK). Kept in order
// with their exact bytes so that emit(parse(x)) is byte-identical.
import { get16, get32, set16, set32 } from './bytes.js';
import { wireError } from './errors.js';

export const TcpOptionKind = {
  EOL: 0,
  NOP: 1,
  MSS: 2,
  WindowScale: 3,
  SackPermitted: 4,
  Sack: 5,
  Timestamps: 8,
} as const;

export interface SackBlock {
  left: number;
  right: number;
}

export type TcpOption =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: 'mss'; mss: number }
  | { kind: 'window-scale'; shift: number }
  | { kind: 'sack-permitted' }
  | { kind: 'sack'; blocks: SackBlock[] }
  | { kind: 'timestamps'; tsVal: number; tsEcr: number }
  /** Any other kind, or a known kind with a length it should not have: bytes kept as they were. */
  | { kind: 'unknown'; type: number; data: Uint8Array }
  /** Bytes after an EOL up to the end of the header (normally zeros). */
  | { kind: 'padding'; data: Uint8Array };

function decodeOne(type: number, b: Uint8Array, o: number, len: number): TcpOption {
  const body = len - 2;
  if (type === TcpOptionKind.MSS && body === 2) return { kind: 'mss', mss: get16(b, o + 2) };
  if (type === TcpOptionKind.WindowScale && body === 1) return { kind: 'window-scale', shift: b[o + 2] };
  if (type === TcpOptionKind.SackPermitted && body === 0) return { kind: 'sack-permitted' };
  if (type === TcpOptionKind.Sack && body > 0 && body % 8 === 0 && body <= 32) {
    const blocks: SackBlock[] = [];
    for (let p = o + 2; p < o + len; p += 8) blocks.push({ left: get32(b, p), right: get32(b, p + 4) });
    return { kind: 'sack', blocks };
  }
  if (type === TcpOptionKind.Timestamps && body === 8) {
    return { kind: 'timestamps', tsVal: get32(b, o + 2), tsEcr: get32(b, o + 6) };
  }
  return { kind: 'unknown', type, data: b.slice(o + 2, o + len) };
}

/**
 * Decodes [offset, end). Unknown kinds are skipped by their length (RFC 9293 §3.2); a length < 2 or
 * running past the header is WireError('bad-option').
 */
export function parseTcpOptions(b: Uint8Array, offset: number, end: number): TcpOption[] {
  const out: TcpOption[] = [];
  let o = offset;
  while (o < end) {
    const type = b[o];
    if (type === TcpOptionKind.EOL) {
      out.push({ kind: 'eol' });
      if (o + 1 < end) out.push({ kind: 'padding', data: b.slice(o + 1, end) });
      break;
    }
    if (type === TcpOptionKind.NOP) {
      out.push({ kind: 'nop' });
      o++;
      continue;
    }
    if (o + 1 >= end) wireError('bad-option', `tcp option ${type}: no length byte`);
    const len = b[o + 1];
    if (len < 2 || o + len > end) wireError('bad-option', `tcp option ${type}: bad length ${len}`);
    out.push(decodeOne(type, b, o, len));
    o += len;
  }
  return out;
}

function optionLength(opt: TcpOption): number {
  switch (opt.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'mss':
      return 4;
    case 'window-scale':
      return 3;
    case 'sack-permitted':
      return 2;
    case 'sack':
      return 2 + 8 * opt.blocks.length;
    case 'timestamps':
      return 10;
    case 'unknown':
      return 2 + opt.data.length;
    default:
      return opt.data.length;
  }
}

/** Bytes the options take before padding to a multiple of 4. */
export function tcpOptionsLength(options: TcpOption[]): number {
  let n = 0;
  for (const opt of options) n += optionLength(opt);
  return n;
}

/** Writes the options at `offset`; returns the bytes written (unpadded). */
export function emitTcpOptions(options: TcpOption[], b: Uint8Array, offset: number): number {
  let o = offset;
  for (const opt of options) {
    const len = optionLength(opt);
    switch (opt.kind) {
      case 'eol':
        b[o] = 0;
        break;
      case 'nop':
        b[o] = 1;
        break;
      case 'padding':
        b.set(opt.data, o);
        break;
      default:
        if (len > 255) wireError('bad-option', 'tcp option longer than 255 bytes');
        b[o] = optionType(opt);
        b[o + 1] = len;
        emitBody(opt, b, o + 2);
    }
    o += len;
  }
  return o - offset;
}

function optionType(opt: TcpOption): number {
  switch (opt.kind) {
    case 'mss':
      return TcpOptionKind.MSS;
    case 'window-scale':
      return TcpOptionKind.WindowScale;
    case 'sack-permitted':
      return TcpOptionKind.SackPermitted;
    case 'sack':
      return TcpOptionKind.Sack;
    case 'timestamps':
      return TcpOptionKind.Timestamps;
    case 'unknown':
      return opt.type;
    default:
      return 0;
  }
}

function emitBody(opt: TcpOption, b: Uint8Array, o: number): void {
  switch (opt.kind) {
    case 'mss':
      set16(b, o, opt.mss);
      break;
    case 'window-scale':
      b[o] = opt.shift;
      break;
    case 'sack':
      for (const block of opt.blocks) {
        set32(b, o, block.left);
        set32(b, o + 4, block.right);
        o += 8;
      }
      break;
    case 'timestamps':
      set32(b, o, opt.tsVal);
      set32(b, o + 4, opt.tsEcr);
      break;
    case 'unknown':
      b.set(opt.data, o);
      break;
  }
}

/** The options the stack acts on, filled in place by readTcpOptionsInto (no allocation). */
export interface TcpOptionSummary {
  hasMss: boolean;
  mss: number;
  hasWindowScale: boolean;
  windowScale: number;
  sackPermitted: boolean;
  /** Number of valid entries in sackBlocks (0-4). */
  sackCount: number;
  /** Preallocated: 4 blocks, of which the first sackCount are valid. */
  sackBlocks: SackBlock[];
  hasTimestamps: boolean;
  tsVal: number;
  tsEcr: number;
}

export function newTcpOptionSummary(): TcpOptionSummary {
  return {
    hasMss: false,
    mss: 0,
    hasWindowScale: false,
    windowScale: 0,
    sackPermitted: false,
    sackCount: 0,
    sackBlocks: [0, 1, 2, 3].map(() => ({ left: 0, right: 0 })),
    hasTimestamps: false,
    tsVal: 0,
    tsEcr: 0,
  };
}

/**
 * Fast path: scans the options in [offset, end) into `t` without allocating. Returns false on a
 * malformed option (the caller counts and drops); options of the wrong length are ignored.
 */
export function readTcpOptionsRange(
  b: Uint8Array,
  offset: number,
  end: number,
  t: TcpOptionSummary,
): boolean {
  t.hasMss = t.hasWindowScale = t.sackPermitted = t.hasTimestamps = false;
  t.sackCount = 0;
  let o = offset;
  while (o < end) {
    const type = b[o];
    if (type === TcpOptionKind.EOL) return true;
    if (type === TcpOptionKind.NOP) {
      o++;
      continue;
    }
    if (o + 1 >= end) return false;
    const len = b[o + 1];
    if (len < 2 || o + len > end) return false;
    if (type === TcpOptionKind.MSS && len === 4) {
      t.hasMss = true;
      t.mss = get16(b, o + 2);
    } else if (type === TcpOptionKind.WindowScale && len === 3) {
      t.hasWindowScale = true;
      t.windowScale = b[o + 2];
    } else if (type === TcpOptionKind.SackPermitted && len === 2) {
      t.sackPermitted = true;
    } else if (type === TcpOptionKind.Sack && len >= 10 && (len - 2) % 8 === 0) {
      readSackBlocks(b, o + 2, o + len, t);
    } else if (type === TcpOptionKind.Timestamps && len === 10) {
      t.hasTimestamps = true;
      t.tsVal = get32(b, o + 2);
      t.tsEcr = get32(b, o + 6);
    }
    o += len;
  }
  return true;
}

function readSackBlocks(b: Uint8Array, from: number, to: number, t: TcpOptionSummary): void {
  let n = 0;
  for (let p = from; p < to && n < 4; p += 8, n++) {
    t.sackBlocks[n].left = get32(b, p);
    t.sackBlocks[n].right = get32(b, p + 4);
  }
  t.sackCount = n;
}
