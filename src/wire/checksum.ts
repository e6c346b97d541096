// The Internet checksum (RFC 1071), pseudo-header sums (RFC 768, RFC 9293 §3.1, RFC 8200 §8.1) and
// incremental update (RFC 1624).

/**
 * One's-complement sum of [offset, offset + length) as an unfolded number (RFC 1071 §4.1 "deferred
 * carries"): 16-bit words are added into a plain number and folded only once, by the caller.
 * An odd trailing byte is padded with zero on the right. Safe for any length below 2^37 bytes.
 */
export function sumWords(bytes: Uint8Array, offset: number, length: number, initial = 0): number {
  let sum = initial;
  const end = offset + (length & ~1);
  let i = offset;
  for (; i + 8 <= end; i += 8) {
    sum +=
      ((bytes[i] << 8) | bytes[i + 1]) +
      ((bytes[i + 2] << 8) | bytes[i + 3]) +
      ((bytes[i + 4] << 8) | bytes[i + 5]) +
      ((bytes[i + 6] << 8) | bytes[i + 7]);
  }
  for (; i < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (length & 1) sum += bytes[offset + length - 1] << 8;
  return sum;
}

/** Folds an unfolded sum into 16 bits with end-around carry. */
export function foldSum(sum: number): number {
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 0x10000);
  return sum;
}

/** The checksum field value: the complement of the folded sum of the range plus `initial`. */
export function internetChecksum(bytes: Uint8Array, offset: number, length: number, initial = 0): number {
  return ~foldSum(sumWords(bytes, offset, length, initial)) & 0xffff;
}

/** True when a range that contains its own checksum field sums to 0xffff (verifies). */
export function checksumVerifies(bytes: Uint8Array, offset: number, length: number, initial = 0): boolean {
  return foldSum(sumWords(bytes, offset, length, initial)) === 0xffff;
}

/** RFC 768 / RFC 9293 §3.1: source, destination, zero + protocol, upper-layer length. */
export function ipv4PseudoHeaderSum(
  src: Uint8Array,
  srcOffset: number,
  dst: Uint8Array,
  dstOffset: number,
  protocol: number,
  length: number,
): number {
  return sumWords(src, srcOffset, 4) + sumWords(dst, dstOffset, 4) + protocol + length;
}

/** RFC 8200 §8.1: source, destination, 32-bit upper-layer length, 24 zero bits + next header. */
export function ipv6PseudoHeaderSum(
  src: Uint8Array,
  srcOffset: number,
  dst: Uint8Array,
  dstOffset: number,
  protocol: number,
  length: number,
): number {
  return (
    sumWords(src, srcOffset, 16) +
    sumWords(dst, dstOffset, 16) +
    Math.floor(length / 0x10000) +
    (length & 0xffff) +
    protocol
  );
}

/** Addresses for a transport checksum: 4-byte (IPv4) or 16-byte (IPv6) source and destination. */
export interface PseudoHeader {
  src: Uint8Array;
  dst: Uint8Array;
}

export function pseudoHeaderSum(p: PseudoHeader, protocol: number, length: number): number {
  return p.src.length === 16
    ? ipv6PseudoHeaderSum(p.src, 0, p.dst, 0, protocol, length)
    : ipv4PseudoHeaderSum(p.src, 0, p.dst, 0, protocol, length);
}

/** RFC 1624 eqn. 3: HC' = ~(~HC + ~m + m') for one 16-bit field changed from m to m'. */
export function updateChecksum(checksum: number, oldField: number, newField: number): number {
  const sum = (~checksum & 0xffff) + (~oldField & 0xffff) + (newField & 0xffff);
  return ~foldSum(sum) & 0xffff;
}

/** RFC 1624 for a 32-bit field (e.g. an IPv4 address in a NAT rewrite): two 16-bit updates. */
export function updateChecksum32(checksum: number, oldField: number, newField: number): number {
  const hi = updateChecksum(checksum, oldField >>> 16, newField >>> 16);
  return updateChecksum(hi, oldField & 0xffff, newField & 0xffff);
}
