// IP addresses as the interface passes them around: an IPv4 address is a u32 number (cheap to
// compare and hash), an IPv6 address a 16-byte Uint8Array. `typeof addr === 'number'` tells them apart.
import { formatIpv6, ipv4ToNumber, numberToIpv4, parseIpv6 } from '../wire/addr.js';
import { WireError } from '../wire/errors.js';

export type IpAddr = number | Uint8Array;
export type IpFamily = 4 | 6;

export function familyOf(addr: IpAddr): IpFamily {
  return typeof addr === 'number' ? 4 : 6;
}

/** Parses dotted IPv4 or any IPv6 text form; throws WireError('bad-address'). */
export function parseIp(text: string): IpAddr {
  if (text.includes(':')) return parseIpv6(text);
  return ipv4ToNumber(text);
}

export function formatIp(addr: IpAddr): string {
  return typeof addr === 'number' ? numberToIpv4(addr) : formatIpv6(addr);
}

/** "10.0.0.2/24" or "fd00::2/64" -> address (host bits kept) and prefix length. */
export function parseIpWithPrefix(
  text: string,
  defaultPrefix?: number,
): { address: IpAddr; prefixLength: number } {
  const slash = text.indexOf('/');
  const address = parseIp(slash < 0 ? text : text.slice(0, slash));
  const max = typeof address === 'number' ? 32 : 128;
  if (slash < 0) return { address, prefixLength: defaultPrefix ?? max };
  const lenText = text.slice(slash + 1);
  if (!/^[0-9]{1,3}$/.test(lenText) || Number(lenText) > max) {
    throw new WireError('bad-address', `bad prefix length in ${JSON.stringify(text)}`);
  }
  return { address, prefixLength: Number(lenText) };
}

export function ipEquals(a: IpAddr, b: IpAddr): boolean {
  if (typeof a === 'number' || typeof b === 'number') return a === b;
  return bytes16Equal(a, 0, b, 0);
}

export function bytes16Equal(a: Uint8Array, ao: number, b: Uint8Array, bo: number): boolean {
  for (let i = 0; i < 16; i++) if (a[ao + i] !== b[bo + i]) return false;
  return true;
}

/** A cheap 32-bit hash of an address (FNV-1a over the bytes for IPv6), for demux tables. */
export function hashIp(addr: IpAddr): number {
  if (typeof addr === 'number') return addr >>> 0;
  let h = 0x811c9dc5;
  for (let i = 0; i < 16; i++) h = Math.imul(h ^ addr[i], 0x01000193);
  return h >>> 0;
}

/** A string key for maps where an IPv6 address must be a key (slow path only: allocates). */
export function ipKey(addr: IpAddr): string | number {
  if (typeof addr === 'number') return addr;
  let s = '';
  for (let i = 0; i < 16; i++) s += String.fromCharCode(addr[i]);
  return s;
}

/** Network mask for an IPv4 prefix length, as a u32. */
export function ipv4Mask(prefixLength: number): number {
  return prefixLength === 0 ? 0 : (0xffffffff << (32 - prefixLength)) >>> 0;
}

/** Whether the first `prefixLength` bits of two 16-byte addresses agree. */
export function ipv6PrefixMatch(a: Uint8Array, b: Uint8Array, prefixLength: number): boolean {
  const full = prefixLength >> 3;
  for (let i = 0; i < full; i++) if (a[i] !== b[i]) return false;
  const rest = prefixLength & 7;
  if (rest === 0) return true;
  const mask = (0xff00 >> rest) & 0xff;
  return (a[full] & mask) === (b[full] & mask);
}

/** fe80::/10 (RFC 4291 §2.5.6). */
export function isIpv6LinkLocal(a: Uint8Array, offset = 0): boolean {
  return a[offset] === 0xfe && (a[offset + 1] & 0xc0) === 0x80;
}

export function isIpv6Unspecified(a: Uint8Array, offset = 0): boolean {
  for (let i = 0; i < 16; i++) if (a[offset + i] !== 0) return false;
  return true;
}

export const IPV6_ALL_NODES: Uint8Array = parseIpv6('ff02::1');
export const IPV6_ALL_ROUTERS: Uint8Array = parseIpv6('ff02::2');
