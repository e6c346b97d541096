// The send side of the interface: IPv4/IPv6 headers, transport checksums, fragmentation
// (RFC 791 §3.2, RFC 8200 §4.5), next-hop choice by the routing table, link headers and the
// neighbor cache's pending queue. Three reusable buffers: upper-layer sends (the TCP hot path,
// allocation-free), replies generated while receiving, and fragments.
import type { Device } from '../link/device.js';
import { get32, set16, set32 } from '../wire/bytes.js';
import { foldSum, internetChecksum } from '../wire/checksum.js';
import { LengthViews } from '../wire/length-views.js';
import type { SendResult } from './handlers.js';
import { formatIp, type IpAddr } from './ip-addr.js';
import {
  ETH_HEADER,
  fillTransportChecksum,
  IPV4_DF,
  IPV4_HEADER,
  IPV4_MF,
  IPV6_FRAGMENT_HEADER,
  IPV6_HEADER,
  NEXT_FRAGMENT,
  pseudoSumAt,
  writeIpv4Header,
  writeIpv6Header,
} from './ip-header.js';
import { writeGroupMac } from './link-frames.js';
import type { NeighborCache } from './neighbor-cache.js';
import type { RouteTable } from './routes.js';
import type { NetStats } from './stats.js';

export interface SendOptions {
  /** Offset of the transport checksum in the upper-layer header; -1 to leave it alone. */
  checksumAt: number;
  /** Fragment when too big (IPv4 without DF); TCP never fragments (RFC 1191 DF). */
  fragment: boolean;
  ttl: number;
  tos: number;
  /**
   * TCP segmentation offload: > 0 marks a super-frame that the device cuts into segments of this
   * many payload bytes (Device.transmit's gsoSize); its checksum is left partial for the device.
   */
  gsoSize?: number;
}

/** What the output path needs from its interface. */
export interface OutputContext {
  readonly device: Device;
  readonly mac: Uint8Array;
  readonly ethernet: boolean;
  readonly mtu: number;
  readonly counters: NetStats;
  readonly routes: RouteTable;
  cacheFor(family: 4 | 6): NeighborCache;
  isV4Broadcast(dst: number): boolean;
}

/** Room for the largest IP packet plus the link header and an IPv6 fragment header. */
const BUFFER_SIZE = ETH_HEADER + 65536 + 64;

export class IpOutput {
  /** Upper-layer sends (TCP, UDP, raw IP, echo requests). */
  readonly txBuf = new Uint8Array(BUFFER_SIZE);
  /** Replies made while receiving (ARP, ND, echo replies, ICMP errors). */
  readonly ctlBuf = new Uint8Array(BUFFER_SIZE);
  /** Fragments, and solicitations sent while another buffer is in use. */
  readonly fragBuf = new Uint8Array(BUFFER_SIZE);
  private readonly frameViews = new LengthViews(this.txBuf, 0);
  private readonly packetViews = new LengthViews(this.txBuf, ETH_HEADER);
  private ipv4Id = 1;
  private ipv6FragmentId = 1;

  constructor(private readonly ctx: OutputContext) {
    this.txBuf.set(ctx.mac, 6);
  }

  /**
   * The upper-layer message is at buf[ETH_HEADER + ip header length]: write the IP header, fill
   * the transport checksum, then emit (or fragment, RFC 791 §3.2 / RFC 8200 §4.5).
   */
  sendL4(
    buf: Uint8Array,
    src: IpAddr,
    dst: IpAddr,
    protocol: number,
    l4Len: number,
    o: SendOptions,
  ): SendResult {
    const family = typeof dst === 'number' ? 4 : 6;
    if (typeof src !== typeof dst)
      throw new TypeError(`source ${formatIp(src)} and destination ${formatIp(dst)} differ in family`);
    const nextHop = this.nextHopFor(dst);
    if (nextHop === undefined) {
      this.ctx.counters.dropped.noRoute++;
      return 'no-route';
    }
    const ipHeader = family === 4 ? IPV4_HEADER : IPV6_HEADER;
    const l4Off = ETH_HEADER + ipHeader;
    if (family === 4) {
      const df = o.fragment ? 0 : IPV4_DF;
      const id = this.nextIpv4Id();
      writeIpv4Header(
        buf,
        ETH_HEADER,
        src as number,
        dst as number,
        protocol,
        (IPV4_HEADER + l4Len) & 0xffff,
        o.ttl,
        o.tos,
        id,
        df,
      );
    } else {
      writeIpv6Header(
        buf,
        ETH_HEADER,
        src as Uint8Array,
        dst as Uint8Array,
        protocol,
        l4Len & 0xffff,
        o.ttl,
        o.tos,
      );
    }
    const gso = o.gsoSize ?? 0;
    if (gso > 0) return this.emitSuperFrame(buf, family, dst, nextHop, protocol, l4Len, o, gso);
    if (o.checksumAt >= 0)
      fillTransportChecksum(buf, ETH_HEADER, family, protocol, l4Off, l4Len, o.checksumAt);
    if (ipHeader + l4Len <= this.ctx.mtu) return this.emit(buf, family, dst, nextHop, ipHeader + l4Len);
    if (!o.fragment || ipHeader + l4Len > 65535 + (family === 6 ? IPV6_HEADER : 0)) {
      this.ctx.counters.dropped.tooBig++;
      return 'too-big';
    }
    return family === 4
      ? this.fragment4(buf, dst as number, nextHop, l4Len)
      : this.fragment6(buf, dst as Uint8Array, nextHop, protocol, l4Len);
  }

  /**
   * Sends an IP packet the caller built (header, checksums and all) exactly as it is: routed by
   * its destination, the next hop resolved (the packet waiting in the neighbor queue meanwhile,
   * RFC 1122 §2.3.2.2), the link header added. Never fragmented: larger than the MTU is 'too-big'.
   * On a point-to-point link (TUN) the packet goes out the link whatever the routing table says.
   */
  sendPacket(packet: Uint8Array, family: 4 | 6): SendResult {
    const ipLen = packet.length;
    if (ipLen > this.ctx.mtu) {
      this.ctx.counters.dropped.tooBig++;
      return 'too-big';
    }
    const dst: IpAddr = family === 4 ? get32(packet, 16) : packet.slice(24, 40);
    const nextHop = this.ctx.ethernet ? this.nextHopFor(dst) : null;
    if (nextHop === undefined) {
      this.ctx.counters.dropped.noRoute++;
      return 'no-route';
    }
    this.txBuf.set(packet, ETH_HEADER);
    return this.emit(this.txBuf, family, dst, nextHop, ipLen);
  }

  /**
   * A TCP super-frame for a device with segmentation offload: the checksum field holds the folded
   * pseudo-header sum over the whole length (CHECKSUM_PARTIAL, as Linux's tcp_v4_send_check
   * leaves it); the device sums the rest and cuts it into MTU-sized segments.
   */
  private emitSuperFrame(
    buf: Uint8Array,
    family: 4 | 6,
    dst: IpAddr,
    nextHop: IpAddr | null,
    protocol: number,
    l4Len: number,
    o: SendOptions,
    gso: number,
  ): SendResult {
    const ipHeader = family === 4 ? IPV4_HEADER : IPV6_HEADER;
    if (this.ctx.device.segmentationOffload !== true || !this.ctx.ethernet || ipHeader + l4Len > 65535) {
      this.ctx.counters.dropped.tooBig++;
      return 'too-big';
    }
    const at = ETH_HEADER + ipHeader + o.checksumAt;
    set16(buf, at, foldSum(pseudoSumAt(buf, ETH_HEADER, family, protocol, l4Len)));
    return this.emit(buf, family, dst, nextHop, ipHeader + l4Len, gso);
  }

  private nextIpv4Id(): number {
    const id = this.ipv4Id;
    this.ipv4Id = (id + 1) & 0xffff;
    return id;
  }

  /** Splits the datagram in buf into fragments of a multiple of 8 bytes (RFC 791 §3.2). */
  private fragment4(buf: Uint8Array, dst: number, nextHop: IpAddr | null, l4Len: number): SendResult {
    const chunk = Math.floor((this.ctx.mtu - IPV4_HEADER) / 8) * 8;
    const out = this.fragBuf;
    const ip = ETH_HEADER;
    let result: SendResult = 'sent';
    for (let offset = 0; offset < l4Len; offset += chunk) {
      const n = Math.min(chunk, l4Len - offset);
      out.set(buf.subarray(ip, ip + IPV4_HEADER), ip);
      const more = offset + n < l4Len ? IPV4_MF : 0;
      set16(out, ip + 2, IPV4_HEADER + n);
      set16(out, ip + 6, more | (offset / 8));
      out[ip + 10] = 0;
      out[ip + 11] = 0;
      set16(out, ip + 10, internetChecksum(out, ip, IPV4_HEADER));
      out.set(buf.subarray(ip + IPV4_HEADER + offset, ip + IPV4_HEADER + offset + n), ip + IPV4_HEADER);
      result = worst(result, this.emit(out, 4, dst, nextHop, IPV4_HEADER + n));
    }
    return result;
  }

  /** Fragments with a fragment header after the fixed header (RFC 8200 §4.5). */
  private fragment6(
    buf: Uint8Array,
    dst: Uint8Array,
    nextHop: IpAddr | null,
    protocol: number,
    l4Len: number,
  ): SendResult {
    const chunk = Math.floor((this.ctx.mtu - IPV6_HEADER - IPV6_FRAGMENT_HEADER) / 8) * 8;
    const out = this.fragBuf;
    const ip = ETH_HEADER;
    const id = this.ipv6FragmentId;
    this.ipv6FragmentId = (id + 1) >>> 0;
    let result: SendResult = 'sent';
    for (let offset = 0; offset < l4Len; offset += chunk) {
      const n = Math.min(chunk, l4Len - offset);
      out.set(buf.subarray(ip, ip + IPV6_HEADER), ip);
      out[ip + 6] = NEXT_FRAGMENT;
      set16(out, ip + 4, IPV6_FRAGMENT_HEADER + n);
      const f = ip + IPV6_HEADER;
      out[f] = protocol;
      out[f + 1] = 0;
      set16(out, f + 2, offset | (offset + n < l4Len ? 1 : 0));
      set32(out, f + 4, id);
      out.set(
        buf.subarray(ip + IPV6_HEADER + offset, ip + IPV6_HEADER + offset + n),
        f + IPV6_FRAGMENT_HEADER,
      );
      result = worst(result, this.emit(out, 6, dst, nextHop, IPV6_HEADER + IPV6_FRAGMENT_HEADER + n));
    }
    return result;
  }

  /**
   * The link-layer next hop: null for broadcast/multicast (mapped to a group MAC), the gateway or
   * the destination itself by the routing table, undefined when there is no route.
   */
  nextHopFor(dst: IpAddr): IpAddr | null | undefined {
    if (typeof dst === 'number') {
      if (dst >>> 28 === 0xe || this.ctx.isV4Broadcast(dst)) return null;
    } else if (dst[0] === 0xff) return null;
    return this.ctx.routes.nextHop(dst);
  }

  /** Adds the link header to the IP packet at buf[ETH_HEADER, +ipLen) and transmits it. */
  private emit(
    buf: Uint8Array,
    family: 4 | 6,
    dst: IpAddr,
    nextHop: IpAddr | null,
    ipLen: number,
    gso = 0,
  ): SendResult {
    if (!this.ctx.ethernet) {
      this.ctx.counters.txFrames++;
      this.ctx.counters.txBytes += ipLen;
      this.ctx.device.transmit(
        buf === this.txBuf ? this.txView(ipLen, ETH_HEADER) : buf.subarray(ETH_HEADER, ETH_HEADER + ipLen),
      );
      return 'sent';
    }
    buf[12] = family === 4 ? 0x08 : 0x86;
    buf[13] = family === 4 ? 0x00 : 0xdd;
    buf.set(this.ctx.mac, 6);
    if (nextHop === null) {
      writeGroupMac(buf, dst);
      this.transmitFrame(buf, ETH_HEADER + ipLen, gso);
      return 'sent';
    }
    const cache = this.ctx.cacheFor(family);
    const mac = cache.lookup(nextHop);
    if (mac !== null) {
      buf.set(mac, 0);
      this.transmitFrame(buf, ETH_HEADER + ipLen, gso);
      return 'sent';
    }
    // The neighbor queue keeps bare frames: a super-frame cannot wait there (TCP sends it again).
    if (gso > 0 || !cache.enqueue(nextHop, buf.slice(0, ETH_HEADER + ipLen))) {
      this.ctx.counters.dropped.neighborQueueFull++;
      return 'queue-full';
    }
    return 'queued';
  }

  transmitFrame(buf: Uint8Array, len: number, gso = 0): void {
    this.ctx.counters.txFrames++;
    this.ctx.counters.txBytes += len;
    const device = this.ctx.device;
    if (len === buf.length) device.transmit(buf, gso);
    else if (buf === this.txBuf) device.transmit(this.txView(len, 0), gso);
    else device.transmit(buf.subarray(0, len), gso);
  }

  /**
   * A view of `len` bytes of the transmit buffer from the frame (0) or IP header (14) start, one
   * per length: a connection sends few distinct sizes (full segments, ACKs), so the hot path
   * allocates nothing.
   */
  private txView(len: number, start: 0 | typeof ETH_HEADER): Uint8Array {
    return (start === 0 ? this.frameViews : this.packetViews).view(len);
  }
}

function worst(a: SendResult, b: SendResult): SendResult {
  return a === 'sent' ? b : a;
}
