// Sequence-number arithmetic for the analyzer (RFC 9293 §3.4: comparisons are modulo 2^32).
// The analyzer keeps "unwrapped" relative offsets (plain numbers that may exceed 2^32) so that
// long transfers keep counting up; this converts a raw u32 to that scale.

import { seqDelta } from '../wire/seq-number.js';

export { seqDelta };

/**
 * Unwraps a raw u32 sequence number to a relative offset, given a reference point known on both
 * scales (refRaw <-> refRel). Valid while the two are within 2^31 of each other.
 */
export function unwrapSeq(raw: number, refRaw: number, refRel: number): number {
  return refRel + seqDelta(raw, refRaw);
}
