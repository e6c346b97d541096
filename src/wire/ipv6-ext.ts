// IPv6 extension headers (RFC 8200 §4): the chain between the fixed header and the upper layer.
import { get16, get32, need, set16, set32 } from './bytes.js';
import { wireError } from './errors.js';

export const Ipv6NextHeader = {
  HopByHop: 0,
  Routing: 43,
  Fragment: 44,
  ESP: 50,
  AH: 51,
  NoNext: 59,
  DestinationOptions: 60,
} as const;

/** A chain longer than this is abuse, not a packet (every header is >= 8 bytes anyway). */
export const MAX_EXTENSION_HEADERS = 32;

export type Ipv6ExtensionHeader =
  /** Options area after next-header/length: 6 + 8n bytes of TLVs (decodeIpv6Options). */
  | { kind: 'hop-by-hop' | 'destination-options'; options: Uint8Array }
  | { kind: 'routing'; routingType: number; segmentsLeft: number; data: Uint8Array }
  | {
      kind: 'fragment';
      fragmentOffset: number;
      moreFragments: boolean;
      identification: number;
      reserved: number;
    }
  /** RFC 4302: everything after the next-header and payload-length bytes (SPI, sequence, ICV). */
  | { kind: 'ah'; data: Uint8Array };

export function isExtensionHeader(nextHeader: number): boolean {
  return nextHeader === 0 || nextHeader === 43 || nextHeader === 44 || nextHeader === 51 || nextHeader === 60;
}

/** Length in bytes of the extension header starting at `o` (RFC 8200 §4.3-4.6, RFC 4302 §2.2). */
function extLength(type: number, b: Uint8Array, o: number): number {
  if (type === Ipv6NextHeader.Fragment) return 8;
  if (type === Ipv6NextHeader.AH) return (b[o + 1] + 2) * 4;
  return (b[o + 1] + 1) * 8;
}

/** Where the upper layer starts; filled by findUpperLayer without allocating. */
export interface UpperLayer {
  /** The final next-header value (6 TCP, 17 UDP, 58 ICMPv6, 50 ESP, 59 no next header, ...). */
  protocol: number;
  /** Absolute offset of the upper-layer header in the buffer. */
  offset: number;
  /** Offset of a fragment header in the chain, or -1. */
  fragmentHeaderOffset: number;
}

/**
 * Walks the chain from `offset` (just after the fixed header) to `end`. Throws WireError on a header
 * running past `end` or a chain longer than MAX_EXTENSION_HEADERS; never loops forever.
 */
export function findUpperLayer(
  b: Uint8Array,
  offset: number,
  end: number,
  nextHeader: number,
  out: UpperLayer,
): UpperLayer {
  let o = offset;
  let nh = nextHeader;
  out.fragmentHeaderOffset = -1;
  for (let count = 0; isExtensionHeader(nh); count++) {
    if (count >= MAX_EXTENSION_HEADERS) wireError('bad-field', 'ipv6: extension header chain too long');
    need(end - o, 8, 'ipv6 extension header');
    const len = extLength(nh, b, o);
    need(end - o, len, 'ipv6 extension header');
    if (nh === Ipv6NextHeader.Fragment) out.fragmentHeaderOffset = o;
    nh = b[o];
    o += len;
  }
  out.protocol = nh;
  out.offset = o;
  return out;
}

function parseOne(type: number, b: Uint8Array, o: number, len: number): Ipv6ExtensionHeader {
  switch (type) {
    case Ipv6NextHeader.HopByHop:
      return { kind: 'hop-by-hop', options: b.slice(o + 2, o + len) };
    case Ipv6NextHeader.DestinationOptions:
      return { kind: 'destination-options', options: b.slice(o + 2, o + len) };
    case Ipv6NextHeader.Routing:
      return {
        kind: 'routing',
        routingType: b[o + 2],
        segmentsLeft: b[o + 3],
        data: b.slice(o + 4, o + len),
      };
    case Ipv6NextHeader.Fragment: {
      const word = get16(b, o + 2);
      return {
        kind: 'fragment',
        fragmentOffset: word >> 3,
        moreFragments: (word & 1) === 1,
        identification: get32(b, o + 4),
        reserved: (b[o + 1] << 2) | ((word >> 1) & 3),
      };
    }
    default:
      return { kind: 'ah', data: b.slice(o + 2, o + len) };
  }
}

/** Parses the whole chain into reprs; returns them with the upper-layer protocol and offset. */
export function parseIpv6Extensions(
  b: Uint8Array,
  offset: number,
  end: number,
  nextHeader: number,
): { extensions: Ipv6ExtensionHeader[]; protocol: number; offset: number } {
  const extensions: Ipv6ExtensionHeader[] = [];
  let o = offset;
  let nh = nextHeader;
  while (isExtensionHeader(nh)) {
    if (extensions.length >= MAX_EXTENSION_HEADERS)
      wireError('bad-field', 'ipv6: extension header chain too long');
    need(end - o, 8, 'ipv6 extension header');
    const len = extLength(nh, b, o);
    need(end - o, len, 'ipv6 extension header');
    extensions.push(parseOne(nh, b, o, len));
    nh = b[o];
    o += len;
  }
  return { extensions, protocol: nh, offset: o };
}

export function extensionType(h: Ipv6ExtensionHeader): number {
  switch (h.kind) {
    case 'hop-by-hop':
      return Ipv6NextHeader.HopByHop;
    case 'destination-options':
      return Ipv6NextHeader.DestinationOptions;
    case 'routing':
      return Ipv6NextHeader.Routing;
    case 'fragment':
      return Ipv6NextHeader.Fragment;
    default:
      return Ipv6NextHeader.AH;
  }
}

export function extensionLength(h: Ipv6ExtensionHeader): number {
  switch (h.kind) {
    case 'hop-by-hop':
    case 'destination-options':
      return 2 + h.options.length;
    case 'routing':
      return 4 + h.data.length;
    case 'fragment':
      return 8;
    default:
      return 2 + h.data.length;
  }
}

/** Writes one extension header; returns its length. Lengths must fit the header's length unit. */
export function emitIpv6Extension(
  h: Ipv6ExtensionHeader,
  nextHeader: number,
  b: Uint8Array,
  o: number,
): number {
  const len = extensionLength(h);
  const unit = h.kind === 'ah' ? 4 : 8;
  if (len % unit !== 0 || len > (h.kind === 'ah' ? 257 * 4 : 256 * 8)) {
    wireError('bad-length', `ipv6 ${h.kind} header of ${len} bytes is not a multiple of ${unit}`);
  }
  b[o] = nextHeader;
  b[o + 1] = h.kind === 'ah' ? len / 4 - 2 : len / 8 - 1;
  switch (h.kind) {
    case 'hop-by-hop':
    case 'destination-options':
      b.set(h.options, o + 2);
      break;
    case 'routing':
      b[o + 2] = h.routingType;
      b[o + 3] = h.segmentsLeft;
      b.set(h.data, o + 4);
      break;
    case 'fragment':
      b[o + 1] = (h.reserved >> 2) & 0xff;
      set16(
        b,
        o + 2,
        ((h.fragmentOffset & 0x1fff) << 3) | ((h.reserved & 3) << 1) | (h.moreFragments ? 1 : 0),
      );
      set32(b, o + 4, h.identification);
      break;
    default:
      b.set(h.data, o + 2);
  }
  return len;
}

/** One TLV option of a hop-by-hop or destination options header (RFC 8200 §4.2). Pad1 has type 0. */
export interface Ipv6Option {
  type: number;
  data: Uint8Array;
}

export function decodeIpv6Options(raw: Uint8Array): Ipv6Option[] {
  const out: Ipv6Option[] = [];
  let o = 0;
  while (o < raw.length) {
    if (raw[o] === 0) {
      out.push({ type: 0, data: new Uint8Array(0) });
      o++;
      continue;
    }
    if (o + 2 > raw.length || o + 2 + raw[o + 1] > raw.length) {
      wireError('bad-option', `ipv6 option ${raw[o]} runs past the header`);
    }
    out.push({ type: raw[o], data: raw.slice(o + 2, o + 2 + raw[o + 1]) });
    o += 2 + raw[o + 1];
  }
  return out;
}

export function encodeIpv6Options(options: Ipv6Option[]): Uint8Array {
  const parts: number[] = [];
  for (const opt of options) {
    if (opt.type === 0) parts.push(0);
    else parts.push(opt.type, opt.data.length, ...opt.data);
  }
  return Uint8Array.from(parts);
}
