// IPv6 neighbor discovery messages (RFC 4861 §4.3, §4.4, §4.6.1): reading neighbor solicitations
// and advertisements with their link-layer address options, and writing them. Offsets are
// relative to the start of the ICMPv6 message.
import { wireError } from '../wire/errors.js';

export const ICMPV6_ROUTER_SOLICIT = 133;
export const ICMPV6_ROUTER_ADVERT = 134;
export const ICMPV6_NEIGHBOR_SOLICIT = 135;
export const ICMPV6_NEIGHBOR_ADVERT = 136;
export const ND_OPT_SOURCE_LL = 1;
export const ND_OPT_TARGET_LL = 2;
/** NA flag bits (RFC 4861 §4.4). */
export const NA_ROUTER = 0x80;
export const NA_SOLICITED = 0x40;
export const NA_OVERRIDE = 0x20;
/** NS/NA: type, code, checksum, 4 bytes reserved/flags, 16-byte target. */
export const ND_MESSAGE_LENGTH = 24;
/** A link-layer address option for Ethernet: type, length 1 (8 bytes), 6-byte MAC. */
export const ND_LL_OPTION_LENGTH = 8;

export interface NdFields {
  type: number;
  /** NA flags byte (R/S/O); 0 for NS. */
  flags: number;
  /** View of the 16-byte target address inside the packet. */
  target: Uint8Array;
  /** View of the source/target link-layer address option's MAC, or null. */
  linkAddress: Uint8Array | null;
}

/**
 * Reads an NS or NA at buf[off, off+len). RFC 4861 §7.1.1/§7.1.2 validity: at least 24 bytes,
 * every option with a non-zero length inside the message. Throws WireError otherwise.
 */
export function readNd(buf: Uint8Array, off: number, len: number, out: NdFields): void {
  if (len < ND_MESSAGE_LENGTH) wireError('truncated', `ND: ${len} bytes, need 24`);
  out.type = buf[off];
  out.flags = out.type === ICMPV6_NEIGHBOR_ADVERT ? buf[off + 4] : 0;
  out.target = buf.subarray(off + 8, off + 24);
  out.linkAddress = null;
  const wanted = out.type === ICMPV6_NEIGHBOR_SOLICIT ? ND_OPT_SOURCE_LL : ND_OPT_TARGET_LL;
  let i = off + ND_MESSAGE_LENGTH;
  const end = off + len;
  while (i < end) {
    if (i + 2 > end) wireError('bad-option', 'ND option header truncated');
    const optLen = buf[i + 1] * 8;
    if (optLen === 0 || i + optLen > end) wireError('bad-option', `ND option length ${optLen}`);
    if (buf[i] === wanted && optLen >= 8) out.linkAddress = buf.subarray(i + 2, i + 8);
    i += optLen;
  }
}

/**
 * Writes an NS (target, our MAC as source link-layer option unless `mac` is null, as in DAD)
 * or NA (flags, target, our MAC as target link-layer option) without the checksum.
 * Returns the message length.
 */
export function writeNd(
  buf: Uint8Array,
  off: number,
  type: number,
  flags: number,
  target: Uint8Array,
  mac: Uint8Array | null,
): number {
  buf[off] = type;
  buf[off + 1] = 0;
  buf[off + 2] = 0;
  buf[off + 3] = 0;
  buf[off + 4] = type === ICMPV6_NEIGHBOR_ADVERT ? flags : 0;
  buf[off + 5] = 0;
  buf[off + 6] = 0;
  buf[off + 7] = 0;
  buf.set(target, off + 8);
  if (mac === null) return ND_MESSAGE_LENGTH;
  const o = off + ND_MESSAGE_LENGTH;
  buf[o] = type === ICMPV6_NEIGHBOR_SOLICIT ? ND_OPT_SOURCE_LL : ND_OPT_TARGET_LL;
  buf[o + 1] = 1;
  buf.set(mac, o + 2);
  return ND_MESSAGE_LENGTH + ND_LL_OPTION_LENGTH;
}
