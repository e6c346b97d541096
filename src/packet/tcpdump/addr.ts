// Address text as tcpdump prints it with -n.
import { formatIpv4Address, formatIpv6Address } from '../../wire/addr.js';
import { get32 } from '../../wire/bytes.js';

/** Dotted-quad text, remembered per address: a capture repeats the same few hosts. */
const ipv4Cache = new Map<number, string>();

export function ipv4Text(b: Uint8Array, o: number): string {
  const n = get32(b, o);
  let text = ipv4Cache.get(n);
  if (text === undefined) {
    text = formatIpv4Address(b, o);
    if (ipv4Cache.size >= 4096) ipv4Cache.clear();
    ipv4Cache.set(n, text);
  }
  return text;
}

/**
 * tcpdump's addrtostr6 (like inet_ntop): RFC 5952 text, except that an address whose first 96 bits are
 * zero (IPv4-compatible, RFC 4291 §2.5.5.1) also ends in dotted IPv4.
 */
export function ipv6Text(b: Uint8Array, o: number): string {
  return formatIpv6Address(b, o, true);
}

/** True when the `n` bytes at `a` sort after those at `c` (memcmp > 0). */
export function bytesAbove(b: Uint8Array, a: number, c: number, n: number): boolean {
  for (let i = 0; i < n; i++) {
    if (b[a + i] !== b[c + i]) return b[a + i] > b[c + i];
  }
  return false;
}
