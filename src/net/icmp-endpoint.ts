// ICMP (RFC 792, RFC 1122 §3.2.2) and ICMPv6 (RFC 4443) for the interface: checksums, echo
// replies, the errors we originate (port unreachable, reassembly time exceeded) and delivery of
// everything else (echo replies, errors for the TCP layer) to the registered handlers.
import type { Clock } from '../link/clock.js';
import { get16, get32 } from '../wire/bytes.js';
import { checksumVerifies } from '../wire/checksum.js';
import { wireError } from '../wire/errors.js';
import { ICMP_HEADER_LENGTH } from '../wire/icmp-header.js';
import {
  ICMP_DEST_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_ECHO_REQUEST,
  ICMP_TIME_EXCEEDED,
  ICMPV6_DEST_UNREACHABLE,
  ICMPV6_ECHO_REPLY,
  ICMPV6_ECHO_REQUEST,
  ICMPV6_TIME_EXCEEDED,
  type IcmpHandler,
  type IcmpMessage,
  type RxIp,
} from './handlers.js';
import type { IpAddr } from './ip-addr.js';
import {
  IPV4_HEADER,
  IPV6_HEADER,
  icmpProtocol,
  l4OffsetFor,
  PROTO_ICMPV6,
  transportChecksumOk,
} from './ip-header.js';
import type { IpOutput, SendOptions } from './ip-output.js';
import { ICMPV6_NEIGHBOR_ADVERT, ICMPV6_NEIGHBOR_SOLICIT } from './ndp.js';
import type { NeighborProtocols } from './neighbor-protocols.js';
import type { NetStats } from './stats.js';
import type { TransportReceiver } from './transport-demux.js';

/** Errors we originate are rate-limited (RFC 1812 §4.3.2.8, RFC 4443 §2.4(f)). */
const MIN_ICMP_ERROR_INTERVAL_MS = 10;

export interface IcmpContext {
  readonly counters: NetStats;
  readonly output: IpOutput;
  readonly clock: Clock;
  readonly ttl: number;
  readonly answerPing: boolean;
  readonly neighbors: NeighborProtocols;
  sourceFor(dst: IpAddr): IpAddr | undefined;
  handlers(): readonly IcmpHandler[];
}

export class IcmpEndpoint {
  private lastIcmpErrorAt = Number.NEGATIVE_INFINITY;
  private readonly replySend: SendOptions;
  /** RFC 1812 §4.3.2.3 / RFC 4443 §2.4(c): an error is cut to fit the minimum MTU, never fragmented. */
  private readonly errorSend: SendOptions;

  constructor(private readonly ctx: IcmpContext) {
    this.replySend = { checksumAt: 2, fragment: true, ttl: ctx.ttl, tos: 0 };
    this.errorSend = { checksumAt: 2, fragment: false, ttl: ctx.ttl, tos: 0 };
  }

  receiveIcmp4(buf: Uint8Array, l4Off: number, l4Len: number, rx: RxIp, broadcast: boolean): void {
    if (l4Len < ICMP_HEADER_LENGTH) wireError('truncated', `ICMP: ${l4Len} bytes`);
    if (!checksumVerifies(buf, l4Off, l4Len)) {
      this.ctx.counters.dropped.badIcmpChecksum++;
      return;
    }
    this.ctx.counters.rxIcmp++;
    const type = buf[l4Off];
    // RFC 1122 §3.2.2.6: answer echo requests; like Linux, ignore those sent to broadcast.
    if (type === ICMP_ECHO_REQUEST) {
      if (this.ctx.answerPing && !broadcast) this.sendEchoReply(buf, l4Off, l4Len, rx);
      return;
    }
    this.deliverIcmp(buf, l4Off, l4Len, rx);
  }

  /** ICMPv6 in (RFC 4443): a TransportReceiver, called by the demux like TCP and UDP. */
  readonly receiveIcmp6: TransportReceiver = (buf, ipOff, l4Off, l4Len, rx, multicast) => {
    if (l4Len < ICMP_HEADER_LENGTH) wireError('truncated', `ICMPv6: ${l4Len} bytes`);
    if (!transportChecksumOk(buf, ipOff, 6, PROTO_ICMPV6, l4Off, l4Len)) {
      this.ctx.counters.dropped.badIcmpChecksum++;
      return;
    }
    this.ctx.counters.rxIcmpv6++;
    const type = buf[l4Off];
    if (type === ICMPV6_NEIGHBOR_SOLICIT || type === ICMPV6_NEIGHBOR_ADVERT) {
      this.ctx.neighbors.receiveNeighborMessage(buf, l4Off, l4Len, rx, multicast);
      return;
    }
    // RFC 4443 §4.1: reply to echo requests to our unicast addresses (and, like Linux, to multicast).
    if (type === ICMPV6_ECHO_REQUEST) {
      if (this.ctx.answerPing) this.sendEchoReply(buf, l4Off, l4Len, rx);
      return;
    }
    this.deliverIcmp(buf, l4Off, l4Len, rx);
  };

  private deliverIcmp(buf: Uint8Array, l4Off: number, l4Len: number, rx: RxIp): void {
    if (this.ctx.handlers().length === 0) return;
    const msg: IcmpMessage = {
      family: rx.family,
      type: buf[l4Off],
      code: buf[l4Off + 1],
      id: get16(buf, l4Off + 4),
      seq: get16(buf, l4Off + 6),
      message: buf.subarray(l4Off, l4Off + l4Len),
      body: buf.subarray(l4Off + 8, l4Off + l4Len),
      ip: rx,
    };
    for (const h of this.ctx.handlers()) h(msg);
  }

  /** Echo reply: the request's identifier, sequence and data returned (RFC 792, RFC 4443 §4.2). */
  private sendEchoReply(buf: Uint8Array, l4Off: number, l4Len: number, rx: RxIp): void {
    const family = rx.family;
    const out = this.ctx.output.ctlBuf;
    const outL4 = l4OffsetFor(rx.dst);
    out.set(buf.subarray(l4Off, l4Off + l4Len), outL4);
    out[outL4] = family === 4 ? ICMP_ECHO_REPLY : ICMPV6_ECHO_REPLY;
    // Reply from the address the request was sent to, unless it was multicast.
    const requestDst = family === 4 ? (rx.dst as number) : (rx.dst as Uint8Array);
    const src =
      family === 6 && (requestDst as Uint8Array)[0] === 0xff ? this.ctx.sourceFor(rx.src) : requestDst;
    const dst = family === 4 ? (rx.src as number) : (rx.src as Uint8Array).slice();
    if (src === undefined) return;
    this.ctx.counters.txEchoReplies++;
    this.ctx.output.sendL4(out, src, dst, icmpProtocol(family), l4Len, this.replySend);
  }

  /** ICMP destination unreachable, port (RFC 1122 §4.1.3.1, RFC 4443 §3.1), rate-limited. */
  sendPortUnreachable(buf: Uint8Array, ipOff: number, ipEnd: number, rx: RxIp): void {
    const quoted = buf.subarray(ipOff, ipEnd);
    if (rx.family === 4) this.sendIcmpError(4, ICMP_DEST_UNREACHABLE, 3, quoted, rx.src);
    else this.sendIcmpError(6, ICMPV6_DEST_UNREACHABLE, 4, quoted, (rx.src as Uint8Array).slice());
  }

  reassemblyTimedOut(family: 4 | 6, header: Uint8Array | null): void {
    // RFC 792 / RFC 8200 §4.5: time exceeded (fragment reassembly) only if the first fragment came.
    if (header === null) return;
    if (family === 4) this.sendIcmpError(4, ICMP_TIME_EXCEEDED, 1, header, get32(header, 12));
    else this.sendIcmpError(6, ICMPV6_TIME_EXCEEDED, 1, header, header.slice(8, 24));
  }

  /** An ICMP error quoting as much of the offending packet as fits (RFC 1812 §4.3.2.3, RFC 4443 §2.4). */
  private sendIcmpError(family: 4 | 6, type: number, code: number, quoted: Uint8Array, dst: IpAddr): void {
    const now = this.ctx.clock.now();
    if (now - this.lastIcmpErrorAt < MIN_ICMP_ERROR_INTERVAL_MS) return;
    const src = this.ctx.sourceFor(dst);
    if (src === undefined) return;
    this.lastIcmpErrorAt = now;
    const out = this.ctx.output.ctlBuf;
    const l4Off = l4OffsetFor(dst);
    const limit =
      family === 4 ? 576 - IPV4_HEADER - ICMP_HEADER_LENGTH : 1280 - IPV6_HEADER - ICMP_HEADER_LENGTH;
    const n = Math.min(quoted.length, limit);
    out[l4Off] = type;
    out[l4Off + 1] = code;
    out.fill(0, l4Off + 2, l4Off + ICMP_HEADER_LENGTH);
    out.set(quoted.subarray(0, n), l4Off + ICMP_HEADER_LENGTH);
    this.ctx.output.sendL4(out, src, dst, icmpProtocol(family), ICMP_HEADER_LENGTH + n, this.errorSend);
  }
}
