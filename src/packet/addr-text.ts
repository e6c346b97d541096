// Address text on the hot path of dissect and the tcpdump formatter: RFC 5952 IPv6 text without
// intermediate arrays (src/wire's formatter allocates several per address).
import { formatIpv4Address } from '../wire/addr.js';

/**
 * RFC 5952 §4: lower-case hex, no leading zeros, the longest run of two or more zero groups as "::"
 * (the first such run on a tie); RFC 5952 §5: IPv4-mapped addresses end in dotted IPv4.
 * With `compat` an address whose first 96 bits are zero ends in dotted IPv4 as well (inet_ntop does
 * this, so tcpdump prints ::192.0.2.1).
 */
export function ipv6Text(b: Uint8Array, o: number, compat = false): string {
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
