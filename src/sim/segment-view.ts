// What the simulator sees of one frame at an endpoint: the TCP fields decoded with the stack's own
// codec (src/net/tcp-codec.ts) into reused storage, so watching every frame allocates nothing.

import { ETH_HEADER, ETHERTYPE_IPV4, PROTO_TCP, transportChecksumOk } from '../net/ip-header.js';
import { readTcpSegment, TcpOptionScratch } from '../net/tcp-codec.js';
import { emptySegment, segmentLength, type TcpSegment } from '../tcp/segment.js';
import { get16 } from '../wire/bytes.js';
import { WireError } from '../wire/errors.js';

export type SimSide = 'client' | 'server';

/** One TCP segment seen at an endpoint: 'sent' before the network, 'received' after it. */
export interface SimSegmentEvent {
  /** Virtual time in ms. */
  time: number;
  side: SimSide;
  direction: 'sent' | 'received';
  /** 1-based count of TCP segments this side sent (or received), including this one. */
  index: number;
  /** 1-based count of segments with payload this side sent (or received); 0 for a segment without payload. */
  dataIndex: number;
  seq: number;
  ack: number;
  flags: number;
  window: number;
  payloadLength: number;
  /** SACK blocks as [left, right) (RFC 2018 §3), empty when none. */
  sackBlocks: Array<[number, number]>;
  /** TCP checksum verifies (false after corruption on the way). */
  checksumOk: boolean;
  /** Dropped here by the scripted drop rule (sent side only). */
  dropped: boolean;
}

/** Decodes frames into one reused segment. */
export class SegmentReader {
  readonly seg: TcpSegment = emptySegment();
  private readonly scratch = new TcpOptionScratch();
  private ipOff = 0;
  private l4Off = 0;
  private l4Len = 0;

  /** True when the frame is a well-formed IPv4/TCP frame (its fields are then in `seg`). */
  read(frame: Uint8Array): boolean {
    if (frame.length < ETH_HEADER + 20 || get16(frame, 12) !== ETHERTYPE_IPV4) return false;
    const ip = ETH_HEADER;
    if (frame[ip] >> 4 !== 4 || frame[ip + 9] !== PROTO_TCP) return false;
    const ihl = (frame[ip] & 0x0f) * 4;
    const total = get16(frame, ip + 2);
    if (ihl < 20 || total < ihl || ip + total > frame.length) return false;
    this.ipOff = ip;
    this.l4Off = ip + ihl;
    this.l4Len = total - ihl;
    try {
      readTcpSegment(frame, this.l4Off, this.l4Len, this.seg, this.scratch);
    } catch (err) {
      if (err instanceof WireError) return false;
      throw err;
    }
    return true;
  }

  /** TCP checksum of the frame last read (RFC 9293 §3.1, pseudo-header included). */
  checksumOk(frame: Uint8Array): boolean {
    return transportChecksumOk(frame, this.ipOff, 4, PROTO_TCP, this.l4Off, this.l4Len);
  }

  /** Sequence space of the segment last read (payload + SYN + FIN). */
  get length(): number {
    return segmentLength(this.seg);
  }
}
