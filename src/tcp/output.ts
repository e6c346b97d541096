// Building outgoing segments into one reused object (per-packet code allocates nothing): the segment
// handed to emit() is valid only during that call. Options: timestamps (RFC 7323 §3.2) and SACK blocks
// converted from the receiver's data offsets to wire sequence numbers (RFC 2018 §3).

import type { Receiver } from './receiver.js';
import { EMPTY_PAYLOAD, type TcpSegment, type TcpSegmentOptions } from './segment.js';
import { type Seq, seqAdd } from './seq.js';

export class SegmentWriter {
  readonly seg: TcpSegment;
  private readonly opts: TcpSegmentOptions = {};
  private readonly ts = { value: 0, echo: 0 };
  private readonly blocks: Array<[number, number]> = [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  // The wire-sequence pairs, made once; `wire` lists the first n of them (it never shrinks to 0, so
  // its backing store stays).
  private readonly wirePairs: Array<[number, number]> = [
    [0, 0],
    [0, 0],
    [0, 0],
    [0, 0],
  ];
  private readonly wire: Array<[number, number]> = [];

  constructor(localPort: number, remotePort: number) {
    this.seg = {
      srcPort: localPort,
      dstPort: remotePort,
      seq: 0,
      ack: 0,
      flags: 0,
      window: 0,
      urgent: 0,
      options: this.opts,
      payload: EMPTY_PAYLOAD,
      gsoSize: 0,
    };
  }

  /** Start a segment: header fields set, all options cleared. */
  begin(seqNum: number, ackNum: number, flags: number, payload: Uint8Array): TcpSegment {
    const s = this.seg;
    const o = this.opts;
    s.seq = seqNum >>> 0;
    s.ack = ackNum >>> 0;
    s.flags = flags;
    s.window = 0;
    s.urgent = 0;
    s.payload = payload;
    s.gsoSize = 0;
    o.mss = undefined;
    o.wscale = undefined;
    o.sackPermitted = undefined;
    o.sackBlocks = undefined;
    o.timestamp = undefined;
    return s;
  }

  get options(): TcpSegmentOptions {
    return this.opts;
  }

  timestamp(value: number, echo: number): void {
    this.ts.value = value >>> 0;
    this.ts.echo = echo >>> 0;
    this.opts.timestamp = this.ts;
  }

  /** Attach up to `max` SACK blocks from the receiver; data offset d is sequence number `dataBase` + d. */
  sackBlocks(receiver: Receiver, dataBase: Seq, max: number): void {
    const n = receiver.sackBlocks(this.blocks, max);
    if (n === 0) return;
    const wire = this.wire;
    for (let i = 0; i < n; i++) {
      const pair = this.wirePairs[i];
      pair[0] = seqAdd(dataBase, this.blocks[i][0]);
      pair[1] = seqAdd(dataBase, this.blocks[i][1]);
      wire[i] = pair;
    }
    wire.length = n;
    this.opts.sackBlocks = wire;
  }

  /** How many SACK blocks the next segments would carry (to shrink their payload accordingly). */
  countSackBlocks(receiver: Receiver, max: number): number {
    return receiver.sackBlocks(this.blocks, max);
  }
}
