// Neighbor Discovery options (RFC 4861 §4.6): type, length in units of 8 bytes, body.
import { formatIpv6Address, formatMac, parseIpv6Address, parseMac } from './addr.js';
import { get16, get32, set16, set32 } from './bytes.js';
import { wireError } from './errors.js';

export const NdpOptionType = {
  SourceLinkLayerAddress: 1,
  TargetLinkLayerAddress: 2,
  PrefixInformation: 3,
  RedirectedHeader: 4,
  Mtu: 5,
} as const;

export type NdpOption =
  /** An Ethernet (6-byte) link-layer address; other sizes come back as 'unknown'. */
  | { kind: 'source-link-layer' | 'target-link-layer'; address: string }
  | {
      kind: 'prefix-information';
      prefixLength: number;
      onLink: boolean;
      autonomous: boolean;
      /** The other 6 flag bits (RFC 4861: reserved1). */
      reservedFlags: number;
      validLifetime: number;
      preferredLifetime: number;
      reserved: number;
      prefix: string;
    }
  | { kind: 'mtu'; mtu: number; reserved: number }
  /** Body after the type and length bytes (8 * length - 2 bytes). */
  | { kind: 'unknown'; type: number; data: Uint8Array };

function decodeOne(type: number, b: Uint8Array, o: number, len: number): NdpOption {
  if ((type === 1 || type === 2) && len === 8) {
    return { kind: type === 1 ? 'source-link-layer' : 'target-link-layer', address: formatMac(b, o + 2) };
  }
  if (type === NdpOptionType.PrefixInformation && len === 32) {
    return {
      kind: 'prefix-information',
      prefixLength: b[o + 2],
      onLink: (b[o + 3] & 0x80) !== 0,
      autonomous: (b[o + 3] & 0x40) !== 0,
      reservedFlags: b[o + 3] & 0x3f,
      validLifetime: get32(b, o + 4),
      preferredLifetime: get32(b, o + 8),
      reserved: get32(b, o + 12),
      prefix: formatIpv6Address(b, o + 16),
    };
  }
  if (type === NdpOptionType.Mtu && len === 8)
    return { kind: 'mtu', reserved: get16(b, o + 2), mtu: get32(b, o + 4) };
  return { kind: 'unknown', type, data: b.slice(o + 2, o + len) };
}

/** Decodes [offset, end). A zero length or one past the end is WireError('bad-option') (RFC 4861 §4.6). */
export function parseNdpOptions(b: Uint8Array, offset: number, end: number): NdpOption[] {
  const out: NdpOption[] = [];
  let o = offset;
  while (o < end) {
    if (o + 2 > end) wireError('bad-option', 'ndp option: truncated');
    const len = b[o + 1] * 8;
    if (len === 0 || o + len > end) wireError('bad-option', `ndp option ${b[o]}: bad length ${b[o + 1]}`);
    out.push(decodeOne(b[o], b, o, len));
    o += len;
  }
  return out;
}

function optionLength(opt: NdpOption): number {
  switch (opt.kind) {
    case 'source-link-layer':
    case 'target-link-layer':
    case 'mtu':
      return 8;
    case 'prefix-information':
      return 32;
    default:
      return 2 + opt.data.length;
  }
}

export function ndpOptionsLength(options: NdpOption[]): number {
  let n = 0;
  for (const o of options) n += optionLength(o);
  return n;
}

/** Writes the options at `offset`; returns their length. */
export function emitNdpOptions(options: NdpOption[], b: Uint8Array, offset: number): number {
  let o = offset;
  for (const opt of options) {
    const len = optionLength(opt);
    if (len % 8 !== 0 || len > 255 * 8) wireError('bad-length', `ndp option of ${len} bytes`);
    b[o + 1] = len / 8;
    switch (opt.kind) {
      case 'source-link-layer':
      case 'target-link-layer':
        b[o] = opt.kind === 'source-link-layer' ? 1 : 2;
        b.set(parseMac(opt.address), o + 2);
        break;
      case 'prefix-information':
        b[o] = NdpOptionType.PrefixInformation;
        b[o + 2] = opt.prefixLength;
        b[o + 3] = (opt.onLink ? 0x80 : 0) | (opt.autonomous ? 0x40 : 0) | (opt.reservedFlags & 0x3f);
        set32(b, o + 4, opt.validLifetime);
        set32(b, o + 8, opt.preferredLifetime);
        set32(b, o + 12, opt.reserved);
        b.set(parseIpv6Address(opt.prefix), o + 16);
        break;
      case 'mtu':
        b[o] = NdpOptionType.Mtu;
        set16(b, o + 2, opt.reserved);
        set32(b, o + 4, opt.mtu);
        break;
      default:
        b[o] = opt.type;
        b.set(opt.data, o + 2);
    }
    o += len;
  }
  return o - offset;
}
