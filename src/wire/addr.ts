// Addresses: MAC, IPv4, IPv6 (RFC 5952 text form), prefixes, multicast helpers.
import { wireError } from './errors.js';

const HEX = '0123456789abcdef';

// ---- MAC ----

export function parseMac(text: string): Uint8Array {
  const out = new Uint8Array(6);
  writeMac(text, out, 0);
  return out;
}

/** The value of a hex digit's char code, or -1. */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 0x20;
  return lower >= 97 && lower <= 102 ? lower - 87 : -1;
}

/** Six groups of one or two hex digits separated by ':' or '-', parsed without allocating. */
export function writeMac(text: string, bytes: Uint8Array, offset: number): void {
  let p = 0;
  for (let i = 0; i < 6; i++) {
    if (i > 0) {
      const sep = text.charCodeAt(p++);
      if (sep !== 58 && sep !== 45) badMac(text);
    }
    const hi = hexDigit(text.charCodeAt(p++));
    if (hi < 0) badMac(text);
    const lo = hexDigit(text.charCodeAt(p));
    if (lo < 0) bytes[offset + i] = hi;
    else {
      bytes[offset + i] = hi * 16 + lo;
      p++;
    }
  }
  if (p !== text.length) badMac(text);
}

function badMac(text: string): never {
  return wireError('bad-address', `not a MAC address: ${JSON.stringify(text)}`);
}

export function formatMac(bytes: Uint8Array, offset = 0): string {
  let s = '';
  for (let i = 0; i < 6; i++) {
    const v = bytes[offset + i];
    if (i) s += ':';
    s += HEX[v >> 4] + HEX[v & 15];
  }
  return s;
}

export const BROADCAST_MAC = 'ff:ff:ff:ff:ff:ff';

/** The group bit (I/G) of the first octet (IEEE 802-2014 §8.2). Broadcast is multicast too. */
export function isMulticastMac(bytes: Uint8Array, offset = 0): boolean {
  return (bytes[offset] & 1) === 1;
}

export function isBroadcastMac(bytes: Uint8Array, offset = 0): boolean {
  for (let i = 0; i < 6; i++) if (bytes[offset + i] !== 0xff) return false;
  return true;
}

// ---- IPv4 ----

/** Dotted-quad text (no leading zeros, RFC 6943 §3.1.1 strict form) to a u32, without allocating. */
export function ipv4ToNumber(text: string): number {
  const n = ipv4At(text, 0);
  return n < 0 ? badIpv4(text) : n;
}

/** The dotted quad from text[start] to the end of the text as a u32, or -1 when it is not one. */
function ipv4At(text: string, start: number): number {
  let n = 0;
  let p = start;
  for (let part = 0; part < 4; part++) {
    if (part > 0 && text.charCodeAt(p++) !== 46) return -1;
    const first = p;
    let v = 0;
    for (let c = text.charCodeAt(p); c >= 48 && c <= 57; c = text.charCodeAt(++p)) v = v * 10 + c - 48;
    const digits = p - first;
    if (digits === 0 || digits > 3 || v > 255 || (digits > 1 && text.charCodeAt(first) === 48)) return -1;
    n = n * 256 + v;
  }
  return p === text.length ? n : -1;
}

function badIpv4(text: string): never {
  return wireError('bad-address', `not an IPv4 address: ${JSON.stringify(text)}`);
}

export function numberToIpv4(n: number): string {
  return `${(n >>> 24) & 255}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

export function parseIpv4Address(text: string): Uint8Array {
  const out = new Uint8Array(4);
  writeIpv4Address(text, out, 0);
  return out;
}

export function writeIpv4Address(text: string, bytes: Uint8Array, offset: number): void {
  const n = ipv4ToNumber(text);
  bytes[offset] = n >>> 24;
  bytes[offset + 1] = (n >>> 16) & 255;
  bytes[offset + 2] = (n >>> 8) & 255;
  bytes[offset + 3] = n & 255;
}

export function formatIpv4Address(bytes: Uint8Array, offset = 0): string {
  return `${bytes[offset]}.${bytes[offset + 1]}.${bytes[offset + 2]}.${bytes[offset + 3]}`;
}

/** 224.0.0.0/4 (RFC 5771). */
export function isIpv4Multicast(n: number): boolean {
  return n >>> 28 === 0xe;
}

/** RFC 1112 §6.4: 01:00:5e + the low 23 bits of the group address, as text. */
export function ipv4MulticastMac(group: number): string {
  const m = new Uint8Array(6);
  writeIpv4MulticastMac(group, m, 0);
  return formatMac(m);
}

/** RFC 1112 §6.4: writes 01:00:5e + the low 23 bits of the group address at out[at]. */
export function writeIpv4MulticastMac(group: number, out: Uint8Array, at: number): void {
  out[at] = 0x01;
  out[at + 1] = 0x00;
  out[at + 2] = 0x5e;
  out[at + 3] = (group >>> 16) & 0x7f;
  out[at + 4] = (group >>> 8) & 255;
  out[at + 5] = group & 255;
}

// ---- IPv6 ----

/** Parses any RFC 4291 §2.2 text form (incl. "::" and an embedded dotted IPv4 tail). */
export function parseIpv6Address(text: string): Uint8Array {
  const out = new Uint8Array(16);
  writeIpv6Address(text, out, 0);
  return out;
}

/** Groups parsed so far (reused: parsing allocates nothing). */
const groups = new Uint16Array(8);

/**
 * RFC 4291 §2.2: eight groups of 1-4 hex digits, "::" once for a run of zero groups, and a dotted
 * IPv4 tail in place of the last two groups. Parsed in one pass over the characters.
 */
export function writeIpv6Address(text: string, bytes: Uint8Array, offset: number): void {
  const len = text.length;
  let n = 0;
  let gap = -1;
  let p = 0;
  if (text.charCodeAt(0) === 58) {
    if (text.charCodeAt(1) !== 58) badIpv6(text);
    gap = 0;
    p = 2;
  }
  while (p < len) {
    const start = p;
    let v = 0;
    for (let d = hexDigit(text.charCodeAt(p)); d >= 0; d = hexDigit(text.charCodeAt(++p))) v = v * 16 + d;
    if (text.charCodeAt(p) === 46) {
      const v4 = n <= 6 ? ipv4At(text, start) : -1;
      if (v4 < 0) badIpv6(text);
      groups[n++] = v4 >>> 16;
      groups[n++] = v4 & 0xffff;
      break;
    }
    if (p === start || p - start > 4 || n === 8) badIpv6(text);
    groups[n++] = v;
    if (p === len) break;
    if (text.charCodeAt(p++) !== 58 || p === len) badIpv6(text);
    if (text.charCodeAt(p) === 58) {
      if (gap >= 0) badIpv6(text);
      gap = n;
      p++;
    }
  }
  if (gap < 0 ? n !== 8 : n > 7) badIpv6(text);
  const zeros = 8 - n;
  for (let i = 0; i < 8; i++) {
    const g = gap < 0 || i < gap ? groups[i] : i < gap + zeros ? 0 : groups[i - zeros];
    bytes[offset + 2 * i] = g >>> 8;
    bytes[offset + 2 * i + 1] = g & 255;
  }
}

function badIpv6(text: string): never {
  return wireError('bad-address', `not an IPv6 address: ${JSON.stringify(text)}`);
}

/**
 * RFC 5952 §4: lower-case hex, no leading zeros, the longest run of two or more zero groups as "::"
 * (the first such run on a tie); RFC 5952 §5: IPv4-mapped addresses end in dotted IPv4. With
 * `compat` an address whose first 96 bits are zero ends in dotted IPv4 as well (inet_ntop does
 * this, so tcpdump prints ::192.0.2.1). Builds the string directly, no intermediate arrays.
 */
export function formatIpv6Address(bytes: Uint8Array, offset = 0, compat = false): string {
  const b = bytes;
  const o = offset;
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (b[o + 2 * i] !== 0 || b[o + 2 * i + 1] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && b[o + 2 * j] === 0 && b[o + 2 * j + 1] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  if (bestStart === 0 && (bestLen === 6 || (bestLen === 5 && b[o + 10] === 0xff && b[o + 11] === 0xff))) {
    if (bestLen === 5) return `::ffff:${formatIpv4Address(b, o + 12)}`;
    if (compat) return `::${formatIpv4Address(b, o + 12)}`;
  }
  let s = '';
  for (let i = 0; i < 8; i++) {
    if (i === bestStart) {
      s += i === 0 ? '::' : ':';
      i += bestLen - 1;
      continue;
    }
    s += ((b[o + 2 * i] << 8) | b[o + 2 * i + 1]).toString(16);
    if (i < 7) s += ':';
  }
  return s;
}

export function isIpv6Multicast(bytes: Uint8Array, offset = 0): boolean {
  return bytes[offset] === 0xff;
}

/** RFC 4291 §2.7.1: ff02::1:ff00:0/104 + the low 24 bits of the unicast address. */
export function solicitedNodeMulticast(address: Uint8Array, offset = 0): Uint8Array {
  const out = new Uint8Array(16);
  out[0] = 0xff;
  out[1] = 0x02;
  out[11] = 0x01;
  out[12] = 0xff;
  out[13] = address[offset + 13];
  out[14] = address[offset + 14];
  out[15] = address[offset + 15];
  return out;
}

/** RFC 2464 §7: 33:33 + the low 32 bits of the IPv6 multicast address, as text. */
export function ipv6MulticastMac(address: Uint8Array, offset = 0): string {
  const m = new Uint8Array(6);
  writeIpv6MulticastMac(address, offset, m, 0);
  return formatMac(m);
}

/** RFC 2464 §7: writes 33:33 + the low 32 bits of the IPv6 multicast address at out[at]. */
export function writeIpv6MulticastMac(
  address: Uint8Array,
  offset: number,
  out: Uint8Array,
  at: number,
): void {
  out[at] = 0x33;
  out[at + 1] = 0x33;
  out[at + 2] = address[offset + 12];
  out[at + 3] = address[offset + 13];
  out[at + 4] = address[offset + 14];
  out[at + 5] = address[offset + 15];
}

/** RFC 4291 App. A / RFC 2464 §5: fe80::/64 with the modified EUI-64 interface identifier. */
export function linkLocalFromMac(mac: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[0] = 0xfe;
  out[1] = 0x80;
  out[8] = mac[0] ^ 0x02;
  out[9] = mac[1];
  out[10] = mac[2];
  out[11] = 0xff;
  out[12] = 0xfe;
  out[13] = mac[3];
  out[14] = mac[4];
  out[15] = mac[5];
  return out;
}

// ---- prefixes ----

export interface Prefix {
  family: 4 | 6;
  /** The network address bytes (host bits cleared). */
  address: Uint8Array;
  prefixLength: number;
}

/** Parses "192.0.2.0/24" or "2001:db8::/32"; a bare address gets the full length. Host bits are cleared. */
export function parsePrefix(text: string): Prefix {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const family: 4 | 6 = addrText.includes(':') ? 6 : 4;
  const address = family === 4 ? parseIpv4Address(addrText) : parseIpv6Address(addrText);
  const max = address.length * 8;
  let prefixLength = max;
  if (slash >= 0) {
    const lenText = text.slice(slash + 1);
    if (!/^[0-9]{1,3}$/.test(lenText) || Number(lenText) > max) {
      wireError('bad-address', `bad prefix length in ${JSON.stringify(text)}`);
    }
    prefixLength = Number(lenText);
  }
  maskBytes(address, prefixLength);
  return { family, address, prefixLength };
}

function maskBytes(address: Uint8Array, prefixLength: number): void {
  for (let i = 0; i < address.length; i++) {
    const bits = Math.max(0, Math.min(8, prefixLength - i * 8));
    address[i] &= (0xff00 >> bits) & 0xff;
  }
}

export function formatPrefix(prefix: Prefix): string {
  const a = prefix.family === 4 ? formatIpv4Address(prefix.address) : formatIpv6Address(prefix.address);
  return `${a}/${prefix.prefixLength}`;
}

/** Whether `address` (4 or 16 bytes at offset) lies inside the prefix. */
export function prefixContains(prefix: Prefix, address: Uint8Array, offset = 0): boolean {
  const full = prefix.prefixLength >> 3;
  for (let i = 0; i < full; i++) if (address[offset + i] !== prefix.address[i]) return false;
  const rest = prefix.prefixLength & 7;
  if (rest === 0) return true;
  const mask = (0xff00 >> rest) & 0xff;
  return (address[offset + full] & mask) === prefix.address[full];
}

// Short names used across the tree for the address text forms. (The package index exports
// `parseIpv6` as the IPv6 *packet* parser; import this one from './addr.js' or use parseIpv6Address.)
export const formatIpv4 = formatIpv4Address;
export const formatIpv6 = formatIpv6Address;
export const parseIpv6 = parseIpv6Address;
