// tcpdump's relative sequence numbers (print-tcp.c): one entry per connection, both directions, keyed
// by the address/port pair in a fixed order. Only segments with ACK take part. A segment whose
// connection is not known yet, or that carries SYN, (re)records the bases and prints absolute numbers;
// later ones print seq - base and ack - base of their direction.

export interface SeqBases {
  /** Base of the sequence numbers of the "forward" direction (from the lower port side). */
  seq: number;
  /** Base of the sequence numbers of the reverse direction. */
  ack: number;
}

export interface RelativeSeq {
  seq: number;
  ack: number;
  /** The bases (thseq/thack) for SACK blocks; rev says which one applies. */
  thseq: number;
  thack: number;
  rev: boolean;
}

/** One end of a connection: address and port, as a number (IPv4: addr * 65536 + port) or a string. */
export type EndpointKey = number | string;

export class TcpSeqTracker {
  /** Two levels (lower end, then higher end) so that no key string is built per segment. */
  readonly #flows = new Map<EndpointKey, Map<EndpointKey, SeqBases>>();
  /** Reused result object (the formatter reads it right away). */
  readonly #out: RelativeSeq = { seq: 0, ack: 0, thseq: 0, thack: 0, rev: false };

  /**
   * For a segment with ACK set. `srcKey`/`dstKey` identify the two ends (address and port);
   * `srcAbove` is true when the source address sorts after the destination byte by byte (tcpdump's
   * memcmp tie-break).
   */
  relative(
    srcKey: EndpointKey,
    dstKey: EndpointKey,
    srcAbove: boolean,
    sport: number,
    dport: number,
    seq: number,
    ack: number,
    syn: boolean,
  ): RelativeSeq {
    // print-tcp.c: rev when sport > dport, or equal ports and src > dst (memcmp order).
    const rev = sport > dport || (sport === dport && srcAbove);
    const k1 = rev ? dstKey : srcKey;
    const k2 = rev ? srcKey : dstKey;
    const out = this.#out;
    let level = this.#flows.get(k1);
    if (level === undefined) {
      level = new Map();
      this.#flows.set(k1, level);
    }
    let th = level.get(k2);
    if (th === undefined || syn) {
      if (th === undefined) {
        th = { seq: 0, ack: 0 };
        level.set(k2, th);
      }
      if (rev) {
        th.ack = seq;
        th.seq = (ack - 1) >>> 0;
      } else {
        th.seq = seq;
        th.ack = (ack - 1) >>> 0;
      }
      out.seq = seq;
      out.ack = ack;
    } else if (rev) {
      out.seq = (seq - th.ack) >>> 0;
      out.ack = (ack - th.seq) >>> 0;
    } else {
      out.seq = (seq - th.seq) >>> 0;
      out.ack = (ack - th.ack) >>> 0;
    }
    out.thseq = th.seq;
    out.thack = th.ack;
    out.rev = rev;
    return out;
  }

  /** Forgets every connection (a new capture file). */
  reset(): void {
    this.#flows.clear();
  }
}
