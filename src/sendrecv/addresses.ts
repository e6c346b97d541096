// Address text helpers for matching: built packets may spell an address differently from the
// canonical text dissection produces ("fd00:0::1" vs "fd00::1"), so comparisons go through this.
import { formatIp, parseIp } from '../net/ip-addr.js';

const canonical = new Map<string, string>();
const CACHE_LIMIT = 4096;

/** The canonical text of an IPv4/IPv6 address (the input itself when it does not parse). */
export function canonicalAddress(text: string): string {
  if (!text.includes(':')) return text;
  let c = canonical.get(text);
  if (c === undefined) {
    try {
      c = formatIp(parseIp(text));
    } catch {
      c = text;
    }
    if (canonical.size >= CACHE_LIMIT) canonical.clear();
    canonical.set(text, c);
  }
  return c;
}

export function sameAddress(a: string, b: string): boolean {
  return a === b || canonicalAddress(a) === canonicalAddress(b);
}

/** Multicast or broadcast (RFC 1112 224/4, 255.255.255.255; RFC 4291 ff00::/8). */
export function isGroupAddress(text: string): boolean {
  if (text.includes(':')) return text.toLowerCase().startsWith('ff');
  if (text === '255.255.255.255') return true;
  const first = Number.parseInt(text, 10);
  return first >= 224 && first <= 239;
}
