// Option negotiation on the SYN exchange: MSS (RFC 9293 §3.7.1, RFC 6691), window scaling and
// timestamps (RFC 7323 §2.2, §3.2), SACK-permitted (RFC 2018 §2).

import { type TcpConfig, windowScaleFor } from './config.js';
import type { TcpSegmentOptions } from './segment.js';

/** TCP header bytes the timestamps option takes in every segment (10, padded to 12). */
export const TIMESTAMP_OPTION_SPACE = 12;
/** Window scale shift limit (RFC 7323 §2.3). */
export const MAX_WSCALE = 14;

export interface NegotiatedOptions {
  /** The peer's MSS clamped to ours and to minMss (MSS option value, not yet less option space). */
  mssClamp: number;
  /** Payload bytes per full segment (Eff.snd.MSS less the timestamps option, like Linux). */
  sendMss: number;
  /** Shift applied to windows the peer sends us. */
  sndWscale: number;
  /** Shift applied to windows we send. */
  rcvWscale: number;
  sack: boolean;
  timestamps: boolean;
}

/** The window scale we offer for our receive buffer. */
export function ourWindowScale(cfg: TcpConfig): number {
  if (cfg.windowScale !== 'auto') return cfg.windowScale;
  return windowScaleFor(cfg.receiveBufferSize);
}

/** Options of our SYN (active open): everything the configuration enables. */
export function fillSynOptions(cfg: TcpConfig, ourMss: number, o: TcpSegmentOptions): void {
  o.mss = ourMss;
  o.sackPermitted = cfg.sack ? true : undefined;
  o.wscale = cfg.windowScaling ? ourWindowScale(cfg) : undefined;
}

/**
 * Options of our SYN-ACK (passive open): only what the peer offered too (RFC 7323 §2.2: wscale only if the
 * SYN had it; §3.2: timestamps only if the SYN had them; RFC 2018 §2: SACK-permitted likewise).
 */
export function fillSynAckOptions(
  cfg: TcpConfig,
  ourMss: number,
  peer: TcpSegmentOptions,
  o: TcpSegmentOptions,
): void {
  o.mss = ourMss;
  o.sackPermitted = cfg.sack && peer.sackPermitted ? true : undefined;
  o.wscale = cfg.windowScaling && peer.wscale !== undefined ? ourWindowScale(cfg) : undefined;
}

/** Result of the SYN exchange given the options the peer sent on its SYN (or SYN-ACK). */
export function negotiate(cfg: TcpConfig, ourMss: number, peer: TcpSegmentOptions): NegotiatedOptions {
  // RFC 9293 §3.7.1: without an MSS option assume 536; never send more than our own MSS (path clamp).
  const peerMss = peer.mss !== undefined && peer.mss > 0 ? peer.mss : cfg.defaultMss;
  const mssClamp = Math.max(cfg.minMss, Math.min(peerMss, ourMss));
  const timestamps = cfg.timestamps && peer.timestamp !== undefined;
  const scaling = cfg.windowScaling && peer.wscale !== undefined;
  // RFC 7323 §2.3: a shift above 14 is used as 14.
  const sndWscale = scaling ? Math.min(peer.wscale ?? 0, MAX_WSCALE) : 0;
  const rcvWscale = scaling ? ourWindowScale(cfg) : 0;
  const sendMss = Math.max(1, mssClamp - (timestamps ? TIMESTAMP_OPTION_SPACE : 0));
  return {
    mssClamp,
    sendMss,
    sndWscale,
    rcvWscale,
    sack: cfg.sack && peer.sackPermitted === true,
    timestamps,
  };
}

/** Option bytes SACK blocks take in a segment (2 NOPs + kind + length + 8 per block, RFC 2018 §3). */
export function sackOptionSpace(blocks: number): number {
  return blocks === 0 ? 0 : 4 + 8 * blocks;
}

/** How many SACK blocks fit: 3 with timestamps, 4 without (40 option bytes, RFC 2018 §3). */
export function maxSackBlocks(timestamps: boolean): number {
  return timestamps ? 3 : 4;
}
