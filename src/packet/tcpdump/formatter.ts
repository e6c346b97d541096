// TcpdumpFormatter: the line `tcpdump -n` (optionally -e, -tt, -t) prints for each frame, up to the
// end of the transport part. It keeps tcpdump's per-connection state (relative TCP sequence numbers),
// so feed it every frame of a capture in order.
import { get16 } from '../../wire/bytes.js';
import { LinkType } from '../../wire/pcap-link.js';
import { tcpdumpHex } from '../hexdump.js';
import type { Packet } from '../packet.js';
import { formatIpv4, formatIpv6, type IpContext } from './ip.js';
import { etherTypeText, formatArp, macPair, vlanText } from './link.js';
import { TcpSeqTracker } from './tcp-seq.js';
import { type TimestampFormat, TimestampPrinter } from './timestamp.js';

export interface TcpdumpOptions {
  /** -e: print the link-level header. */
  link?: boolean;
  /** 'default' (HH:MM:SS.uuuuuu, local time), 'epoch' (-tt), 'none' (-t). */
  timestamps?: TimestampFormat;
}

export class TcpdumpFormatter {
  readonly #ctx: IpContext;
  readonly #time: TimestampPrinter;

  constructor(readonly options: TcpdumpOptions = {}) {
    this.#ctx = { seqs: new TcpSeqTracker(), link: options.link ?? false };
    this.#time = new TimestampPrinter(options.timestamps ?? 'default');
  }

  /** The whole line: timestamp prefix + frame text. */
  line(
    frame: Uint8Array,
    linkType: number,
    seconds: number,
    nanoseconds: number,
    origLength = frame.length,
  ): string {
    return this.#time.prefix(seconds, nanoseconds) + this.format(frame, linkType, origLength);
  }

  /** A dissected or built packet (its capture time and link type when it has them). */
  formatPacket(pkt: Packet): string {
    const bytes = pkt.original ?? pkt.build();
    const linkType = pkt.linkType ?? LinkType.Ethernet;
    if (!pkt.time) return this.format(bytes, linkType);
    return this.line(bytes, linkType, pkt.time.seconds, pkt.time.nanoseconds);
  }

  /** The frame text without a timestamp. `origLength`: the length on the wire (pcap orig_len). */
  format(frame: Uint8Array, linkType: number = LinkType.Ethernet, origLength = frame.length): string {
    switch (linkType) {
      case LinkType.Ethernet:
        return this.ether(frame, origLength);
      case LinkType.Raw:
        return this.byVersion(frame, 0, origLength);
      case LinkType.Ipv4:
        return formatIpv4(frame, 0, frame.length, origLength, this.#ctx);
      case LinkType.Ipv6:
        return formatIpv6(frame, 0, frame.length, origLength, this.#ctx);
      default:
        return `[link type ${linkType} not printed]`;
    }
  }

  /** Forgets the TCP connections seen so far (as a new tcpdump process would). */
  reset(): void {
    this.#ctx.seqs.reset();
  }

  private byVersion(b: Uint8Array, o: number, length: number): string {
    const v = b.length > o ? b[o] >> 4 : -1;
    if (v === 4) return formatIpv4(b, o, b.length, length, this.#ctx);
    if (v === 6) return formatIpv6(b, o, b.length, length, this.#ctx);
    return `IP${v}`;
  }

  /** print-ether.c ether_common_print. */
  private ether(b: Uint8Array, origLength: number): string {
    const link = this.#ctx.link;
    if (b.length < 14) return '[|ether]';
    let s = link ? `${macPair(b, 0)}, ` : '';
    let o = 12;
    let type = get16(b, o);
    let lengthPrinted = false;
    while (type === 0x8100 || type === 0x88a8 || type === 0x9100) {
      if (b.length < o + 6) return `${s}[|vlan]`;
      const tci = get16(b, o + 2);
      if (link) {
        s += etherTypeText(type);
        s += lengthPrinted ? ', ' : `, length ${origLength}: `;
        lengthPrinted = true;
      }
      // Without -e tcpdump says nothing about the tags.
      if (link) s += `${vlanText(tci)}, `;
      o += 4;
      type = get16(b, o);
    }
    if (type <= 1500) return `${s}802.3, length ${origLength}: LLC`;
    if (link) {
      s += etherTypeText(type);
      s += lengthPrinted ? ', ' : `, length ${origLength}: `;
    }
    const payload = o + 2;
    const rest = origLength - payload;
    switch (type) {
      case 0x0800:
        return s + formatIpv4(b, payload, b.length, rest, this.#ctx);
      case 0x86dd:
        return s + formatIpv6(b, payload, b.length, rest, this.#ctx);
      case 0x0806:
        return s + formatArp(b, payload, b.length, rest, link);
      default: {
        // ND_DEFAULTPRINT: the payload as hex and ASCII on the following lines.
        const dump = payload < b.length ? `\n${tcpdumpHex(b.subarray(payload))}` : '';
        if (link) return s + dump;
        return `${s}${macPair(b, 0)}, ${etherTypeText(type)}, length ${origLength}: ${dump}`;
      }
    }
  }
}
