// IPv4 options (RFC 791 §3.1, RFC 2113 router alert): raw bytes decoded into a list and back.
import { formatIpv4Address, parseIpv4Address } from './addr.js';
import { get16, set16 } from './bytes.js';
import { wireError } from './errors.js';

export const Ipv4OptionType = {
  EOL: 0,
  NOP: 1,
  RecordRoute: 7,
  Timestamp: 68,
  LooseSourceRoute: 131,
  StrictSourceRoute: 137,
  RouterAlert: 148,
} as const;

type RouteKind = 'record-route' | 'loose-source-route' | 'strict-source-route';
const ROUTE_KINDS: Record<number, RouteKind> = {
  7: 'record-route',
  131: 'loose-source-route',
  137: 'strict-source-route',
};
const ROUTE_TYPES: Record<RouteKind, number> = {
  'record-route': 7,
  'loose-source-route': 131,
  'strict-source-route': 137,
};

export type Ipv4Option =
  | { kind: 'eol' }
  | { kind: 'nop' }
  | { kind: RouteKind; pointer: number; addresses: string[] }
  /** RFC 791: pointer, overflow (4 bits), flag (4 bits), then timestamps/address pairs kept raw. */
  | { kind: 'timestamp'; pointer: number; overflow: number; flag: number; data: Uint8Array }
  | { kind: 'router-alert'; value: number }
  | { kind: 'unknown'; type: number; data: Uint8Array }
  /** Bytes after an EOL up to the end of the options area (normally zero). */
  | { kind: 'padding'; data: Uint8Array };

function decodeOne(type: number, body: Uint8Array): Ipv4Option {
  const route = ROUTE_KINDS[type];
  if (route && body.length >= 1 && (body.length - 1) % 4 === 0) {
    const addresses: string[] = [];
    for (let o = 1; o < body.length; o += 4) addresses.push(formatIpv4Address(body, o));
    return { kind: route, pointer: body[0], addresses };
  }
  if (type === Ipv4OptionType.Timestamp && body.length >= 2) {
    return {
      kind: 'timestamp',
      pointer: body[0],
      overflow: body[1] >> 4,
      flag: body[1] & 15,
      data: body.slice(2),
    };
  }
  if (type === Ipv4OptionType.RouterAlert && body.length === 2)
    return { kind: 'router-alert', value: get16(body, 0) };
  return { kind: 'unknown', type, data: body.slice() };
}

/** Decodes an options area. Throws WireError('bad-option') on a length < 2 or past the end. */
export function decodeIpv4Options(raw: Uint8Array): Ipv4Option[] {
  const out: Ipv4Option[] = [];
  let o = 0;
  while (o < raw.length) {
    const type = raw[o];
    if (type === Ipv4OptionType.EOL) {
      out.push({ kind: 'eol' });
      if (o + 1 < raw.length) out.push({ kind: 'padding', data: raw.slice(o + 1) });
      break;
    }
    if (type === Ipv4OptionType.NOP) {
      out.push({ kind: 'nop' });
      o++;
      continue;
    }
    if (o + 1 >= raw.length) wireError('bad-option', `ipv4 option ${type}: no length byte`);
    const len = raw[o + 1];
    if (len < 2 || o + len > raw.length) wireError('bad-option', `ipv4 option ${type}: bad length ${len}`);
    out.push(decodeOne(type, raw.subarray(o + 2, o + len)));
    o += len;
  }
  return out;
}

function bodyOf(opt: Ipv4Option): [number, Uint8Array] {
  switch (opt.kind) {
    case 'record-route':
    case 'loose-source-route':
    case 'strict-source-route': {
      const body = new Uint8Array(1 + 4 * opt.addresses.length);
      body[0] = opt.pointer;
      for (let i = 0; i < opt.addresses.length; i++) body.set(parseIpv4Address(opt.addresses[i]), 1 + 4 * i);
      return [ROUTE_TYPES[opt.kind], body];
    }
    case 'timestamp': {
      const body = new Uint8Array(2 + opt.data.length);
      body[0] = opt.pointer;
      body[1] = ((opt.overflow & 15) << 4) | (opt.flag & 15);
      body.set(opt.data, 2);
      return [Ipv4OptionType.Timestamp, body];
    }
    case 'router-alert': {
      const body = new Uint8Array(2);
      set16(body, 0, opt.value);
      return [Ipv4OptionType.RouterAlert, body];
    }
    case 'unknown':
      return [opt.type, opt.data];
    default:
      throw new Error('unreachable');
  }
}

/** Encodes a list of options (no padding added: the IPv4 emitter pads to 4 bytes with EOL/zero). */
export function encodeIpv4Options(options: Ipv4Option[]): Uint8Array {
  const parts: number[] = [];
  for (const opt of options) {
    if (opt.kind === 'eol') parts.push(0);
    else if (opt.kind === 'nop') parts.push(1);
    else if (opt.kind === 'padding') parts.push(...opt.data);
    else {
      const [type, body] = bodyOf(opt);
      if (body.length + 2 > 40) wireError('bad-option', `ipv4 option ${type} longer than 40 bytes`);
      parts.push(type, body.length + 2, ...body);
    }
  }
  return Uint8Array.from(parts);
}
