// Checks on arriving segments in synchronized states: the acceptability test (RFC 9293 §3.10.7.4
// "first, check sequence number"), PAWS (RFC 7323 §5), RFC 5961 RST/ACK validation, and the rate
// limiters for the ACKs we send in reply to bad segments.

import { type Seq, seqSub } from './seq.js';

/**
 * RFC 9293 §3.10.7.4 first check, the four cases. `rcvWnd` is the window we offered. A zero window still
 * admits a segment starting exactly at RCV.NXT for its ACK, RST and FIN ("special allowance should be made
 * to accept valid ACKs, URGs, and RSTs"); its text is trimmed away later.
 */
export function isAcceptable(segSeq: Seq, segLen: number, rcvNxt: Seq, rcvWnd: number): boolean {
  const d = seqSub(segSeq, rcvNxt);
  if (rcvWnd === 0) return d === 0;
  if (segLen === 0) return d >= 0 && d < rcvWnd;
  const last = d + segLen - 1;
  return (d >= 0 && d < rcvWnd) || (last >= 0 && last < rcvWnd);
}

/** RFC 7323 §5.3 R1: a segment whose TSval is older than TS.Recent is a wrapped old duplicate. */
export function pawsRejects(tsVal: number, tsRecent: number): boolean {
  return ((tsVal - tsRecent) | 0) < 0;
}

/** RFC 7323 §5.5: TS.Recent is no longer trusted after 24 days of idleness. */
export const PAWS_IDLE_LIMIT_MS = 24 * 24 * 60 * 60 * 1000;

/** A token-per-interval limiter (Linux tcp_oow_rate_limited; RFC 5961 §7 challenge ACK limit). */
export class RateLimiter {
  private windowStart = Number.NEGATIVE_INFINITY;
  private count = 0;

  constructor(
    private readonly perWindow: number,
    private readonly windowMs: number,
  ) {}

  allow(now: number): boolean {
    if (now - this.windowStart >= this.windowMs) {
      this.windowStart = now;
      this.count = 0;
    }
    if (this.count >= this.perWindow) return false;
    this.count++;
    return true;
  }
}
