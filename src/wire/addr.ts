// Addresses: MAC, IPv4, IPv6 (RFC 5952 text form), prefixes, multicast helpers.
import { wireError } from './errors.js';

const HEX = '0123456789abcdef';

// ---- MAC ----

export function parseMac(text: string): Uint8Array {
  const parts = text.split(/[:-]/);
  if (parts.length !== 6) wireError('bad-address', `not a MAC address: ${JSON.stringify(text)}`);
  const out = new Uint8Array(6);
  for (let i = 0; i < 6; i++) {
    if (!/^[0-9a-fA-F]{1,2}$/.test(parts[i])) wireError('bad-address', `not a MAC address: ${text}`);
    out[i] = Number.parseInt(parts[i], 16);
  }
  return out;
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

export function writeMac(text: string, bytes: Uint8Array, offset: number): void {
  bytes.set(parseMac(text), offset);
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

export function ipv4ToNumber(text: string): number {
  const parts = text.split('.');
  if (parts.length !== 4) wireError('bad-address', `not an IPv4 address: ${JSON.stringify(text)}`);
  let n = 0;
  for (const p of parts) {
    if (!/^(0|[1-9][0-9]{0,2})$/.test(p) || Number(p) > 255) {
      wireError('bad-address', `not an IPv4 address: ${JSON.stringify(text)}`);
    }
    n = n * 256 + Number(p);
  }
  return n;
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

/** RFC 1112 §6.4: 01:00:5e + the low 23 bits of the group address. */
export function ipv4MulticastMac(group: number): string {
  const m = new Uint8Array([0x01, 0x00, 0x5e, (group >>> 16) & 0x7f, (group >>> 8) & 255, group & 255]);
  return formatMac(m);
}

// ---- IPv6 ----

/** Parses any RFC 4291 §2.2 text form (incl. "::" and an embedded dotted IPv4 tail). */
export function parseIpv6Address(text: string): Uint8Array {
  const out = new Uint8Array(16);
  writeIpv6Address(text, out, 0);
  return out;
}

function ipv6Groups(part: string, text: string, allowV4Tail: boolean): number[] {
  if (part === '') return [];
  const pieces = part.split(':');
  const groups: number[] = [];
  for (let i = 0; i < pieces.length; i++) {
    const p = pieces[i];
    if (allowV4Tail && i === pieces.length - 1 && p.includes('.')) {
      const n = ipv4ToNumber(p);
      groups.push(n >>> 16, n & 0xffff);
    } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) {
      groups.push(Number.parseInt(p, 16));
    } else {
      wireError('bad-address', `not an IPv6 address: ${JSON.stringify(text)}`);
    }
  }
  return groups;
}

export function writeIpv6Address(text: string, bytes: Uint8Array, offset: number): void {
  const bad = (): never => wireError('bad-address', `not an IPv6 address: ${JSON.stringify(text)}`);
  const halves = text.split('::');
  if (halves.length > 2) bad();
  let groups: number[];
  if (halves.length === 2) {
    const head = ipv6Groups(halves[0], text, false);
    const tail = ipv6Groups(halves[1], text, true);
    if (head.length + tail.length > 7) bad();
    groups = [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
  } else {
    groups = ipv6Groups(text, text, true);
    if (groups.length !== 8) bad();
  }
  for (let i = 0; i < 8; i++) {
    bytes[offset + 2 * i] = groups[i] >>> 8;
    bytes[offset + 2 * i + 1] = groups[i] & 255;
  }
}

/** RFC 5952 §4: lower case, no leading zeros, the longest run (>= 2) of zero groups as "::". */
export function formatIpv6Address(bytes: Uint8Array, offset = 0): string {
  const g = new Array<number>(8);
  for (let i = 0; i < 8; i++) g[i] = (bytes[offset + 2 * i] << 8) | bytes[offset + 2 * i + 1];
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  // RFC 5952 §5: IPv4-mapped addresses are shown with a dotted tail.
  if (bestStart === 0 && bestLen === 5 && g[5] === 0xffff) {
    return `::ffff:${formatIpv4Address(bytes, offset + 12)}`;
  }
  const hex = (from: number, to: number): string =>
    g
      .slice(from, to)
      .map((v) => v.toString(16))
      .join(':');
  if (bestStart < 0) return hex(0, 8);
  return `${hex(0, bestStart)}::${hex(bestStart + bestLen, 8)}`;
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

/** RFC 2464 §7: 33:33 + the low 32 bits of the IPv6 multicast address. */
export function ipv6MulticastMac(address: Uint8Array, offset = 0): string {
  const m = new Uint8Array([0x33, 0x33, 0, 0, 0, 0]);
  m.set(address.subarray(offset + 12, offset + 16), 2);
  return formatMac(m);
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
