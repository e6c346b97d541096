// The demux above IP: TCP, UDP and ICMP/ICMPv6 to their handlers, transport checksums checked
// first (unless the kernel vouched for them), and the raw-IP taps. TCP is parsed into one reused
// segment so the receive path allocates nothing.
import type { RxInfo } from '../link/device.js';
import type { TcpSegment } from '../tcp/segment.js';
import { emptySegment } from '../tcp/segment.js';
import { get16 } from '../wire/bytes.js';
import { wireError } from '../wire/errors.js';
import { UDP_HEADER_LENGTH } from '../wire/udp.js';
import type { IcmpHandler, RawIpHandler, RxIp, TcpHandler, UdpHandler } from './handlers.js';
import type { IcmpEndpoint } from './icmp-endpoint.js';
import { PROTO_ICMP, PROTO_ICMPV6, PROTO_TCP, PROTO_UDP, transportChecksumOk } from './ip-header.js';
import type { NetStats } from './stats.js';
import { readTcpSegment, TcpOptionScratch } from './tcp-codec.js';

/**
 * Receives one upper-layer message: the bytes at buf[l4Off, +l4Len) of the IP packet at buf[ipOff].
 * `multicast`: sent to a broadcast or multicast address. The signature the per-protocol receivers
 * (TCP, UDP, ICMPv6) share.
 */
export type TransportReceiver = (
  buf: Uint8Array,
  ipOff: number,
  l4Off: number,
  l4Len: number,
  rx: RxIp,
  multicast: boolean,
) => void;

/** A TransportReceiver that is told the protocol first: the demux's own entry point. */
export type ProtocolReceiver = (protocol: number, ...message: Parameters<TransportReceiver>) => void;

export class TransportDemux {
  private tcpHandlers: TcpHandler[] = [];
  private readonly udpHandlers = new Map<number, UdpHandler>();
  private icmp: IcmpHandler[] = [];
  private raw: RawIpHandler[] = [];
  private readonly tcpSegment: TcpSegment = emptySegment();
  private readonly tcpScratch = new TcpOptionScratch();

  constructor(
    private readonly counters: NetStats,
    private readonly icmpEndpoint: IcmpEndpoint,
    /** Send ICMP port unreachable for UDP to a port nobody listens on (RFC 1122 §4.1.3.1). */
    private readonly portUnreachable: boolean,
  ) {}

  /** The ICMP handlers, for the ICMP endpoint to deliver what it does not consume. */
  get icmpHandlers(): readonly IcmpHandler[] {
    return this.icmp;
  }

  get hasRawHandlers(): boolean {
    return this.raw.length > 0;
  }

  // Registration copies the list so that a handler may unregister itself during delivery.

  onTcp(handler: TcpHandler): () => void {
    this.tcpHandlers = [...this.tcpHandlers, handler];
    return () => {
      this.tcpHandlers = this.tcpHandlers.filter((h) => h !== handler);
    };
  }

  onUdp(port: number, handler: UdpHandler): () => void {
    this.udpHandlers.set(port, handler);
    return () => {
      if (this.udpHandlers.get(port) === handler) this.udpHandlers.delete(port);
    };
  }

  onIcmp(handler: IcmpHandler): () => void {
    this.icmp = [...this.icmp, handler];
    return () => {
      this.icmp = this.icmp.filter((h) => h !== handler);
    };
  }

  onAnyIp(handler: RawIpHandler): () => void {
    this.raw = [...this.raw, handler];
    return () => {
      this.raw = this.raw.filter((h) => h !== handler);
    };
  }

  deliverRaw(packet: Uint8Array, family: 4 | 6, protocol: number, info: RxInfo): void {
    for (const h of this.raw) h(packet, family, protocol, info);
  }

  /** Hands the message to the receiver for `protocol` (IP's protocol / IPv6's next header). */
  readonly deliver: ProtocolReceiver = (protocol, buf, ipOff, l4Off, l4Len, rx, multicast) => {
    if (protocol === PROTO_TCP) this.receiveTcp(buf, ipOff, l4Off, l4Len, rx, multicast);
    else if (protocol === PROTO_UDP) this.receiveUdp(buf, ipOff, l4Off, l4Len, rx, multicast);
    else if (protocol === PROTO_ICMP && rx.family === 4)
      this.icmpEndpoint.receiveIcmp4(buf, l4Off, l4Len, rx, multicast);
    else if (protocol === PROTO_ICMPV6 && rx.family === 6)
      this.icmpEndpoint.receiveIcmp6(buf, ipOff, l4Off, l4Len, rx, multicast);
    else this.counters.dropped.unknownProtocol++;
  };

  private readonly receiveTcp: TransportReceiver = (buf, ipOff, l4Off, l4Len, rx, multicast) => {
    this.counters.rxTcp++;
    // RFC 1122 §4.2.3.10: TCP to a broadcast or multicast address is dropped.
    if (multicast) {
      this.counters.dropped.notOurIp++;
      return;
    }
    if (!checksumOk(buf, ipOff, PROTO_TCP, l4Off, l4Len, rx)) {
      this.counters.dropped.badTcpChecksum++;
      return;
    }
    const handlers = this.tcpHandlers;
    if (handlers.length === 0) {
      this.counters.dropped.noHandler++;
      return;
    }
    readTcpSegment(buf, l4Off, l4Len, this.tcpSegment, this.tcpScratch);
    for (let i = 0; i < handlers.length; i++) handlers[i](this.tcpSegment, rx);
  };

  private readonly receiveUdp: TransportReceiver = (buf, ipOff, l4Off, l4Len, rx, multicast) => {
    if (l4Len < UDP_HEADER_LENGTH) wireError('truncated', `UDP: ${l4Len} bytes`);
    const udpLength = get16(buf, l4Off + 4);
    if (udpLength < UDP_HEADER_LENGTH || udpLength > l4Len)
      wireError('bad-length', `UDP length ${udpLength} with ${l4Len} bytes`);
    this.counters.rxUdp++;
    if (!udpChecksumOk(buf, ipOff, l4Off, udpLength, rx)) {
      this.counters.dropped.badUdpChecksum++;
      return;
    }
    const dstPort = get16(buf, l4Off + 2);
    const handler = this.udpHandlers.get(dstPort);
    if (handler === undefined) {
      this.counters.dropped.noHandler++;
      if (!multicast && this.portUnreachable)
        this.icmpEndpoint.sendPortUnreachable(buf, ipOff, l4Off + l4Len, rx);
      return;
    }
    handler(buf.subarray(l4Off + UDP_HEADER_LENGTH, l4Off + udpLength), get16(buf, l4Off), dstPort, rx);
  };
}

/** The transport checksum verifies, or the kernel verified it / has not filled it in yet. */
function checksumOk(
  buf: Uint8Array,
  ipOff: number,
  protocol: number,
  l4Off: number,
  l4Len: number,
  rx: RxIp,
): boolean {
  const info = rx.info;
  if (info.checksumNotReady || info.checksumValid) return true;
  return transportChecksumOk(buf, ipOff, rx.family, protocol, l4Off, l4Len);
}

function udpChecksumOk(buf: Uint8Array, ipOff: number, l4Off: number, udpLength: number, rx: RxIp): boolean {
  if (get16(buf, l4Off + 6) === 0 && !rx.info.checksumNotReady) {
    // RFC 768: 0 means "no checksum" on IPv4; RFC 8200 §8.1: on IPv6 the checksum is mandatory
    // and a zero one is discarded (it would otherwise verify whenever the true sum is 0xffff).
    return rx.family === 4;
  }
  return checksumOk(buf, ipOff, PROTO_UDP, l4Off, udpLength, rx);
}
