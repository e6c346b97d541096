// The Internet checksum (RFC 1071), pseudo-header sums (RFC 768, RFC 9293 §3.1, RFC 8200 §8.1) and
// incremental update (RFC 1624).

/**
 * One's-complement sum of [offset, offset + length) as an unfolded number (RFC 1071 §4.1 "deferred
 * carries"): words are added into a plain number and folded only once, by the caller. Long ranges
 * are summed as 32-bit big-endian words (RFC 1071 §2(C): the one's-complement sum of wider words
 * folds to the same 16-bit result), four times fewer loads than 16-bit words. An odd trailing byte
 * is padded with zero on the right. Any length: the sum is folded before it could lose a bit.
 */
export function sumWords(bytes: Uint8Array, offset: number, length: number, initial = 0): number {
  let sum = initial;
  let i = offset;
  if (length >= WIDE_MIN) {
    const view = dataViewOf(bytes);
    const base = bytes.byteOffset;
    const wideEnd = offset + (length & ~15);
    for (; i < wideEnd; i += 16) {
      const at = base + i;
      sum += view.getUint32(at) + view.getUint32(at + 4) + view.getUint32(at + 8) + view.getUint32(at + 12);
      if (sum > EXACT_LIMIT) sum = foldSum(sum);
    }
  }
  const end = offset + (length & ~1);
  for (; i < end; i += 2) sum += (bytes[i] << 8) | bytes[i + 1];
  if (length & 1) sum += bytes[offset + length - 1] << 8;
  return sum;
}

/** Below this many bytes the 16-bit loop is cheaper than fetching a DataView. */
const WIDE_MIN = 64;
/** A double adds integers exactly below 2^53; fold well before (end-around carry keeps the sum). */
const EXACT_LIMIT = 2 ** 52;
// A DataView over the whole ArrayBuffer of the last range summed: receive paths sum ranges of the
// same buffer packet after packet, so this allocates once per buffer, not once per packet.
let viewedBuffer: ArrayBufferLike | null = null;
let wideView: DataView<ArrayBufferLike> = new DataView(new ArrayBuffer(0));

function dataViewOf(bytes: Uint8Array): DataView {
  if (bytes.buffer !== viewedBuffer) {
    viewedBuffer = bytes.buffer;
    wideView = new DataView(bytes.buffer);
  }
  return wideView;
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
