// Raw 32-bit sequence-number arithmetic for code that watches segments (analysis, simulator
// probes): comparisons are modulo 2^32 (RFC 9293 §3.4). The TCP engine has its own branded Seq
// type (src/tcp/seq.ts); these take and give plain numbers.

/** Signed distance a - b between two u32 sequence numbers, in (-2^31, 2^31]. */
export function seqDelta(a: number, b: number): number {
  return (a - b) | 0;
}

/** a < b in sequence space (RFC 9293 §3.4). */
export function seqBefore(a: number, b: number): boolean {
  return seqDelta(a, b) < 0;
}
