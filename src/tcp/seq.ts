// Wrap-safe 32-bit sequence numbers (RFC 9293 §3.4: "all arithmetic dealing with sequence numbers must be
// performed modulo 2**32"). Comparisons use the sign of the 32-bit difference, like gVisor's seqnum and
// Linux's before()/after(). Never compare two Seq values with a raw `<`.

declare const seqBrand: unique symbol;
/** A u32 sequence (or acknowledgment) number. */
export type Seq = number & { readonly [seqBrand]: true };

/** Brand a JS number as a sequence number, reducing it modulo 2^32. */
export function seq(n: number): Seq {
  return (n >>> 0) as Seq;
}

/** a + n modulo 2^32. */
export function seqAdd(a: Seq, n: number): Seq {
  return ((a + n) >>> 0) as Seq;
}

/** Signed distance a - b in [-2^31, 2^31). */
export function seqSub(a: Seq, b: Seq): number {
  return (a - b) | 0;
}

export function seqLt(a: Seq, b: Seq): boolean {
  return ((a - b) | 0) < 0;
}

export function seqLe(a: Seq, b: Seq): boolean {
  return ((a - b) | 0) <= 0;
}

export function seqGt(a: Seq, b: Seq): boolean {
  return ((a - b) | 0) > 0;
}

export function seqGe(a: Seq, b: Seq): boolean {
  return ((a - b) | 0) >= 0;
}

export function seqMax(a: Seq, b: Seq): Seq {
  return seqLt(a, b) ? b : a;
}

export function seqMin(a: Seq, b: Seq): Seq {
  return seqLt(a, b) ? a : b;
}

/** lo <= x < hi, wrap-safe. */
export function seqInRange(x: Seq, lo: Seq, hi: Seq): boolean {
  return seqLe(lo, x) && seqLt(x, hi);
}
