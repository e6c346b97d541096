// NetInterface: one link's IP layer. It owns the MAC and IP addresses (address-set.ts), the
// routing table, the ARP and neighbor caches (neighbor-protocols.ts), fragment reassembly
// (fragments.ts, reassembly.ts), ICMP (icmp-endpoint.ts) and the demux of TCP/UDP/ICMP to the
// handlers above (transport-demux.ts); this file receives frames, checks the IP headers and
// offers the send API. Sans-IO in spirit: it is fed frames (receive) and a Clock, and emits
// frames through the Device. The TCP paths in both directions allocate nothing per packet.
import type { Clock } from '../link/clock.js';
import type { Device, RxInfo } from '../link/device.js';
import type { TcpSegment } from '../tcp/segment.js';
import { formatMac, linkLocalFromMac, parseMac } from '../wire/addr.js';
import { get16, get32, set16 } from '../wire/bytes.js';
import { checksumVerifies } from '../wire/checksum.js';
import { WireError, wireError } from '../wire/errors.js';
import { ICMP_HEADER_LENGTH } from '../wire/icmp-header.js';
import { AddressSet } from './address-set.js';
import { ipv4Fragment, ipv6Fragment, rebuildIpv4, rebuildIpv6 } from './fragments.js';
import {
  ICMP_ECHO_REQUEST,
  ICMPV6_ECHO_REQUEST,
  type IcmpHandler,
  type RawIpHandler,
  type RxIp,
  type SendResult,
  type TcpHandler,
  type UdpHandler,
} from './handlers.js';
import { IcmpEndpoint } from './icmp-endpoint.js';
import { type IpAddr, parseIp } from './ip-addr.js';
import {
  ETH_HEADER,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  IPV4_HEADER,
  IPV4_MF,
  IPV6_FRAGMENT_HEADER,
  IPV6_HEADER,
  icmpProtocol,
  l4OffsetFor,
  NEXT_FRAGMENT,
  PROTO_TCP,
  PROTO_UDP,
} from './ip-header.js';
import { IpOutput, type OutputContext, type SendOptions } from './ip-output.js';
import { copy16, setInfo } from './link-frames.js';
import { DEFAULT_NEIGHBOR_OPTIONS, type NeighborCache, type NeighborCacheOptions } from './neighbor-cache.js';
import { type AddressConflict, type NeighborContext, NeighborProtocols } from './neighbor-protocols.js';
import { DEFAULT_REASSEMBLY_OPTIONS, Reassembler, type ReassemblyOptions } from './reassembly.js';
import { RouteTable } from './routes.js';
import { copyNetStats, countMalformed, createNetStats, type NetStats } from './stats.js';
import { writeTcpSegment } from './tcp-codec.js';
import { TransportDemux } from './transport-demux.js';

export interface NetInterfaceOptions {
  device: Device;
  clock: Clock;
  /** Our MAC ("02:..."), required on Ethernet links. */
  mac?: string | Uint8Array;
  /** Our IPv4 address with prefix, e.g. "10.77.1.2/24". */
  ipv4?: string;
  /** IPv4 default gateway. */
  gateway4?: string;
  /** Global or ULA IPv6 addresses with prefix, e.g. "fd00:77:1::2/64". */
  ipv6?: string | string[];
  /** IPv6 default gateway (often the router's link-local address). */
  gateway6?: string;
  /** Configure fe80::/64 from the MAC (RFC 4291 App. A); default true on Ethernet links. */
  linkLocal?: boolean;
  /** TTL / hop limit of packets we originate (default 64). */
  ttl?: number;
  neighbor?: Partial<NeighborCacheOptions>;
  reassembly?: Partial<ReassemblyOptions>;
  /** Answer ICMP/ICMPv6 echo requests (default true). */
  answerPing?: boolean;
  /**
   * Answer ARP requests and neighbor solicitations for our addresses (default true). Off when the
   * host kernel owns the address and answers them already (mode 'host').
   */
  answerNeighbors?: boolean;
  /** Send ICMP port unreachable for UDP to a port nobody listens on (default true, RFC 1122 §4.1.3.1). */
  portUnreachable?: boolean;
  /** Become the device's receiver (default true). */
  attach?: boolean;
  /** A handler threw (a bug above us). Default: rethrown from a microtask so it is not lost. */
  onHandlerError?: (err: unknown) => void;
}

/** TSO payload limit: an IPv4 packet of 65535 bytes less its header and the largest TCP header. */
const TSO_MAX_PAYLOAD = 65535 - IPV4_HEADER - 60;

export class NetInterface {
  readonly device: Device;
  readonly clock: Clock;
  readonly mac: Uint8Array;
  readonly routes = new RouteTable();
  readonly arp: NeighborCache;
  readonly neighbors: NeighborCache;
  readonly ttl: number;
  readonly mtu: number;
  private readonly ethernet: boolean;
  private readonly counters: NetStats = createNetStats();
  private readonly reassembler: Reassembler;
  private readonly answerPing: boolean;
  private readonly answerNeighbors: boolean;
  private readonly portUnreachable: boolean;
  private readonly onHandlerError: (err: unknown) => void;

  private readonly addrs = new AddressSet(this.routes);

  private readonly output: IpOutput;
  private readonly nb: NeighborProtocols;
  private readonly icmp: IcmpEndpoint;
  private readonly tcpSend: SendOptions;
  private readonly udpSend: SendOptions;
  /** Reused for sends whose TTL or TOS the caller chooses (raw IP, echo requests). */
  private readonly customSend: SendOptions = { checksumAt: -1, fragment: true, ttl: 0, tos: 0 };

  private readonly rx4: RxIp;
  private readonly rx6: RxIp;
  private readonly rx6Src = new Uint8Array(16);
  private readonly rx6Dst = new Uint8Array(16);

  private readonly demux: TransportDemux;

  constructor(opts: NetInterfaceOptions) {
    this.device = opts.device;
    this.clock = opts.clock;
    this.ethernet = opts.device.linkType === 'ethernet';
    this.mtu = opts.device.mtu;
    this.ttl = opts.ttl ?? 64;
    this.tcpSend = { checksumAt: 16, fragment: false, ttl: this.ttl, tos: 0 };
    this.udpSend = { checksumAt: 6, fragment: true, ttl: this.ttl, tos: 0 };
    this.answerPing = opts.answerPing ?? true;
    this.answerNeighbors = opts.answerNeighbors ?? true;
    this.portUnreachable = opts.portUnreachable ?? true;
    this.onHandlerError =
      opts.onHandlerError ??
      ((err) =>
        queueMicrotask(() => {
          throw err;
        }));
    this.mac = this.configureMac(opts.mac);
    const info: RxInfo = { timestamp: 0, checksumNotReady: false, checksumValid: false };
    this.rx4 = { family: 4, src: 0, dst: 0, hopLimit: 0, tos: 0, info };
    this.rx6 = { family: 6, src: this.rx6Src, dst: this.rx6Dst, hopLimit: 0, tos: 0, info };
    this.output = new IpOutput(this.outputContext());
    this.nb = new NeighborProtocols(this.neighborContext(), {
      ...DEFAULT_NEIGHBOR_OPTIONS,
      ...opts.neighbor,
    });
    this.icmp = new IcmpEndpoint({
      counters: this.counters,
      output: this.output,
      clock: this.clock,
      ttl: this.ttl,
      answerPing: this.answerPing,
      neighbors: this.nb,
      sourceFor: (dst) => this.sourceFor(dst),
      handlers: () => this.demux.icmpHandlers,
    });
    this.demux = new TransportDemux(this.counters, this.icmp, this.portUnreachable);
    this.arp = this.nb.arp;
    this.neighbors = this.nb.neighbors;
    this.reassembler = new Reassembler(
      this.clock,
      { ...DEFAULT_REASSEMBLY_OPTIONS, ...opts.reassembly },
      this.counters,
      (family, header) => this.icmp.reassemblyTimedOut(family, header),
    );
    this.configureAddresses(opts);
    if (opts.attach ?? true) this.device.setReceiver(this.receive);
  }

  private outputContext(): OutputContext {
    return {
      device: this.device,
      mac: this.mac,
      ethernet: this.ethernet,
      mtu: this.mtu,
      counters: this.counters,
      routes: this.routes,
      cacheFor: (family) => (family === 4 ? this.nb.arp : this.nb.neighbors),
      isV4Broadcast: (dst) => this.addrs.isV4Broadcast(dst),
    };
  }

  private neighborContext(): NeighborContext {
    return {
      mac: this.mac,
      ethernet: this.ethernet,
      clock: this.clock,
      counters: this.counters,
      output: this.output,
      answerNeighbors: this.answerNeighbors,
      ipv4: () => this.ipv4,
      ipv6: () => this.addrs.ipv6,
      isOurV6: (buf, off) => this.addrs.findV6(buf, off) !== undefined,
      sourceFor: (dst) => this.sourceFor(dst),
      flush: () => this.flush(),
    };
  }

  // ---------------------------------------------------------------- configuration

  private configureMac(mac: string | Uint8Array | undefined): Uint8Array {
    if (mac === undefined) {
      if (this.ethernet) throw new TypeError('NetInterface: an Ethernet device needs a MAC address');
      return new Uint8Array(6);
    }
    return typeof mac === 'string' ? parseMac(mac) : mac.slice(0, 6);
  }

  private configureAddresses(opts: NetInterfaceOptions): void {
    if (opts.ipv4 !== undefined) this.addrs.setIpv4(opts.ipv4);
    if (opts.linkLocal ?? this.ethernet) this.addrs.addIpv6(linkLocalFromMac(this.mac), 64);
    const v6 = opts.ipv6 === undefined ? [] : Array.isArray(opts.ipv6) ? opts.ipv6 : [opts.ipv6];
    for (const text of v6) this.addrs.addIpv6Text(text);
    if (opts.gateway4 !== undefined)
      this.routes.add({ destination: 0, prefixLength: 0, gateway: parseV4(opts.gateway4), metric: 0 });
    if (opts.gateway6 !== undefined) {
      this.routes.add({
        destination: new Uint8Array(16),
        prefixLength: 0,
        gateway: parseV6(opts.gateway6),
        metric: 0,
      });
    }
    if (!this.ethernet) this.addOnLinkDefaults(opts);
  }

  /** A point-to-point IP link (TUN) reaches everything directly when no gateway is given. */
  private addOnLinkDefaults(opts: NetInterfaceOptions): void {
    if (opts.gateway4 === undefined && this.addrs.ipv4 !== undefined)
      this.routes.add({ destination: 0, prefixLength: 0, metric: 100 });
    if (opts.gateway6 === undefined && this.addrs.hasIpv6) {
      this.routes.add({ destination: new Uint8Array(16), prefixLength: 0, metric: 100 });
    }
  }

  /** Sets the IPv4 address ("a.b.c.d/len") and its connected route. */
  setIpv4(text: string): void {
    this.addrs.setIpv4(text);
  }

  addIpv6(address: Uint8Array, prefixLength: number): void {
    this.addrs.addIpv6(address, prefixLength);
  }

  /** Our IPv4 address as a u32, or undefined. */
  get ipv4(): number | undefined {
    return this.addrs.ipv4;
  }

  get ipv4PrefixLength(): number | undefined {
    return this.addrs.ipv4PrefixLength;
  }

  /** Our IPv6 addresses, link-local first when configured. */
  get ipv6(): Uint8Array[] {
    return this.addrs.ipv6;
  }

  get linkLocal(): Uint8Array | undefined {
    return this.addrs.linkLocal;
  }

  /** Whether `addr` is one of our unicast addresses. */
  isOurAddress(addr: IpAddr): boolean {
    return this.addrs.isOurs(addr);
  }

  /** The source address for packets to `dst` (see AddressSet.sourceFor, RFC 6724 reduced). */
  sourceFor(dst: IpAddr): IpAddr | undefined {
    return this.addrs.sourceFor(dst);
  }

  // ---------------------------------------------------------------- handlers

  /** Receives every TCP segment addressed to us. Returns a function that unregisters it. */
  onTcp(handler: TcpHandler): () => void {
    return this.demux.onTcp(handler);
  }

  /** Receives UDP datagrams to `port` (one handler per port; a second replaces the first). */
  onUdp(port: number, handler: UdpHandler): () => void {
    return this.demux.onUdp(port, handler);
  }

  /** Receives ICMP/ICMPv6 messages the interface does not consume itself (echo replies, errors). */
  onIcmp(handler: IcmpHandler): () => void {
    return this.demux.onIcmp(handler);
  }

  /** Receives every IP packet addressed to us (after reassembly), before demux. */
  onAnyIp(handler: RawIpHandler): () => void {
    return this.demux.onAnyIp(handler);
  }

  stats(): NetStats {
    return copyNetStats(this.counters);
  }

  /** Stops timers and forgets state; the device is the caller's to close. */
  close(): void {
    this.arp.clear();
    this.neighbors.clear();
    this.reassembler.clear();
  }

  // ---------------------------------------------------------------- receive

  /** The device's receiver: one frame in. Malformed frames are counted and dropped. */
  readonly receive = (frame: Uint8Array, info: RxInfo): void => {
    this.counters.rxFrames++;
    this.counters.rxBytes += frame.length;
    try {
      if (this.ethernet) this.receiveEthernet(frame, info);
      else this.receiveIp(frame, 0, frame.length, info);
    } catch (err) {
      if (err instanceof WireError) countMalformed(this.counters, err.code);
      else {
        this.counters.dropped.handlerError++;
        this.onHandlerError(err);
      }
    }
  };

  private receiveEthernet(frame: Uint8Array, info: RxInfo): void {
    if (frame.length < ETH_HEADER) wireError('truncated', `Ethernet: ${frame.length} bytes`);
    // Unicast to another MAC (promiscuous AF_PACKET sees the whole link): not for us.
    if ((frame[0] & 1) === 0 && !this.isOurMac(frame, 0)) {
      this.counters.dropped.notOurMac++;
      return;
    }
    const type = get16(frame, 12);
    const len = frame.length - ETH_HEADER;
    if (type === ETHERTYPE_IPV4) this.receiveIpv4(frame, ETH_HEADER, len, info);
    else if (type === ETHERTYPE_IPV6) this.receiveIpv6(frame, ETH_HEADER, len, info);
    else if (type === ETHERTYPE_ARP) this.nb.receiveArp(frame, ETH_HEADER, len);
    else this.counters.dropped.unknownProtocol++;
  }

  private receiveIp(buf: Uint8Array, off: number, len: number, info: RxInfo): void {
    if (len < 1) wireError('truncated', 'empty IP packet');
    const version = buf[off] >> 4;
    if (version === 4) this.receiveIpv4(buf, off, len, info);
    else if (version === 6) this.receiveIpv6(buf, off, len, info);
    else wireError('bad-version', `IP version ${version}`);
  }

  private isOurMac(frame: Uint8Array, off: number): boolean {
    const mac = this.mac;
    for (let i = 0; i < 6; i++) if (frame[off + i] !== mac[i]) return false;
    return true;
  }

  // ---- neighbors: ARP and ND live in neighbor-protocols.ts

  /** Gratuitous ARP and unsolicited NAs for our addresses (RFC 5227 §3, RFC 4861 §7.2.6). */
  announce(): void {
    this.nb.announce();
  }

  /**
   * ARP probe and IPv6 DAD for our addresses (RFC 5227 §2.1, RFC 4862 §5.4.2), then waits:
   * resolves with the other hosts seen using them (empty: the addresses are free).
   */
  probeConflicts(waitMs = 1000): Promise<AddressConflict[]> {
    return this.nb.probeConflicts(waitMs);
  }

  /** Other hosts seen using one of our addresses so far. */
  conflicts(): AddressConflict[] {
    return this.nb.conflicts();
  }

  // ---- IPv4 (RFC 791, RFC 1122 §3.2.1)

  private receiveIpv4(buf: Uint8Array, off: number, avail: number, info: RxInfo): void {
    if (avail < IPV4_HEADER) wireError('truncated', `IPv4: ${avail} bytes`);
    if (buf[off] >> 4 !== 4) wireError('bad-version', `IPv4 header with version ${buf[off] >> 4}`);
    const ihl = (buf[off] & 0x0f) * 4;
    const total = get16(buf, off + 2);
    if (ihl < IPV4_HEADER || total < ihl || total > avail) {
      wireError('bad-length', `IPv4: header ${ihl}, total ${total}, ${avail} available`);
    }
    if (!checksumVerifies(buf, off, ihl)) {
      this.counters.dropped.badIpChecksum++;
      return;
    }
    this.counters.rxIpv4++;
    const dst = get32(buf, off + 16);
    const broadcast = this.addrs.isV4Broadcast(dst);
    if (!broadcast && !this.addrs.isOurV4(dst)) {
      this.counters.dropped.notOurIp++;
      return;
    }
    const flagsOffset = get16(buf, off + 6);
    if ((flagsOffset & (IPV4_MF | 0x1fff)) !== 0) {
      this.receiveIpv4Fragment(buf, off, ihl, total, flagsOffset, info);
      return;
    }
    const rx = this.rx4;
    rx.src = get32(buf, off + 12);
    rx.dst = dst;
    rx.hopLimit = buf[off + 8];
    rx.tos = buf[off + 1];
    setInfo(rx.info, info);
    const protocol = buf[off + 9];
    if (this.demux.hasRawHandlers) this.demux.deliverRaw(buf.subarray(off, off + total), 4, protocol, info);
    this.demux.deliver(protocol, buf, off, off + ihl, total - ihl, rx, broadcast);
  }

  private receiveIpv4Fragment(
    buf: Uint8Array,
    off: number,
    ihl: number,
    total: number,
    flagsOffset: number,
    info: RxInfo,
  ): void {
    const done = this.reassembler.add(ipv4Fragment(buf, off, ihl, total, flagsOffset));
    if (done !== null) this.receiveIpv4(rebuildIpv4(done), 0, done.header.length + done.payload.length, info);
  }

  // ---- IPv6 (RFC 8200)

  private receiveIpv6(buf: Uint8Array, off: number, avail: number, info: RxInfo): void {
    if (avail < IPV6_HEADER) wireError('truncated', `IPv6: ${avail} bytes`);
    if (buf[off] >> 4 !== 6) wireError('bad-version', `IPv6 header with version ${buf[off] >> 4}`);
    const payloadLength = get16(buf, off + 4);
    if (payloadLength === 0 && buf[off + 6] === 0) wireError('unsupported', 'IPv6 jumbogram');
    if (IPV6_HEADER + payloadLength > avail)
      wireError('bad-length', `IPv6: payload ${payloadLength}, ${avail} available`);
    this.counters.rxIpv6++;
    if (!this.addrs.acceptsV6(buf, off + 24)) {
      this.counters.dropped.notOurIp++;
      return;
    }
    const end = off + IPV6_HEADER + payloadLength;
    let next = buf[off + 6];
    let p = off + IPV6_HEADER;
    // RFC 8200 §4: walk hop-by-hop (0), routing (43), destination options (60) to the upper layer.
    for (let count = 0; next === 0 || next === 43 || next === 60 || next === NEXT_FRAGMENT; count++) {
      if (count > 16) wireError('bad-field', 'IPv6: too many extension headers');
      if (p + 8 > end) wireError('truncated', 'IPv6 extension header');
      if (next === NEXT_FRAGMENT) {
        if (this.receiveIpv6Fragment(buf, off, p, end, info)) return;
        next = buf[p];
        p += IPV6_FRAGMENT_HEADER;
        continue;
      }
      next = buf[p];
      p += (buf[p + 1] + 1) * 8;
    }
    if (p > end) wireError('bad-length', 'IPv6 extension headers run past the payload');
    if (next === 59) return; // RFC 8200 §4.7: no next header
    const rx = this.rx6;
    copy16(this.rx6Src, buf, off + 8);
    copy16(this.rx6Dst, buf, off + 24);
    rx.hopLimit = buf[off + 7];
    rx.tos = ((buf[off] & 0x0f) << 4) | (buf[off + 1] >> 4);
    setInfo(rx.info, info);
    if (this.demux.hasRawHandlers) this.demux.deliverRaw(buf.subarray(off, end), 6, next, info);
    this.demux.deliver(next, buf, off, p, end - p, rx, buf[off + 24] === 0xff);
  }

  /** Handles a fragment header at p. Returns true when the packet was consumed (held for reassembly). */
  private receiveIpv6Fragment(buf: Uint8Array, off: number, p: number, end: number, info: RxInfo): boolean {
    const fragment = ipv6Fragment(buf, off, p, end);
    if (fragment === null) return false; // RFC 6946 atomic fragment: process as is
    const done = this.reassembler.add(fragment);
    if (done !== null) {
      const packet = rebuildIpv6(done);
      this.receiveIpv6(packet, 0, packet.length, info);
    }
    return true;
  }

  // ---------------------------------------------------------------- send

  /**
   * Sends one TCP segment: IP header (v4 or v6 by the address type) + TCP header + options +
   * payload, checksums filled, next hop resolved. Nothing is allocated unless the next hop is
   * still being resolved (the packet is then copied into the bounded pending queue).
   */
  sendTcp(src: IpAddr, dst: IpAddr, seg: TcpSegment): SendResult {
    const buf = this.output.txBuf;
    const l4Len = writeTcpSegment(seg, buf, l4OffsetFor(dst));
    this.tcpSend.gsoSize = seg.gsoSize ?? 0;
    return this.output.sendL4(buf, src, dst, PROTO_TCP, l4Len, this.tcpSend);
  }

  /** Sends a UDP datagram (fragmented when larger than the MTU). `src` undefined: chosen for dst. */
  sendUdp(
    src: IpAddr | undefined,
    dst: IpAddr,
    srcPort: number,
    dstPort: number,
    payload: Uint8Array,
  ): SendResult {
    const from = src ?? this.sourceFor(dst);
    if (from === undefined) return 'no-source';
    const buf = this.output.txBuf;
    const l4Off = l4OffsetFor(dst);
    set16(buf, l4Off, srcPort);
    set16(buf, l4Off + 2, dstPort);
    set16(buf, l4Off + 4, 8 + payload.length);
    buf.set(payload, l4Off + 8);
    return this.output.sendL4(buf, from, dst, PROTO_UDP, 8 + payload.length, this.udpSend);
  }

  /**
   * Sends `payload` as the upper-layer data of an IP packet with this protocol number. The
   * payload is sent as is (its checksum is the caller's); fragmented when larger than the MTU.
   */
  sendIp(
    dst: IpAddr,
    protocol: number,
    payload: Uint8Array,
    opts: { src?: IpAddr; ttl?: number; tos?: number } = {},
  ): SendResult {
    const src = opts.src ?? this.sourceFor(dst);
    if (src === undefined) return 'no-source';
    const buf = this.output.txBuf;
    buf.set(payload, l4OffsetFor(dst));
    return this.output.sendL4(buf, src, dst, protocol, payload.length, this.custom(-1, opts.ttl, opts.tos));
  }

  /**
   * Sends an IP packet built by the caller with its header exactly as built (Scapy's send()): the
   * routing table picks the next hop by the packet's destination, the ARP/neighbor cache its MAC
   * (the packet waits in the bounded queue while it resolves), and the link header is added.
   * Not fragmented ('too-big' above the MTU). Like sendTcp, call flush() to push batched devices.
   */
  sendIpPacket(packet: Uint8Array): SendResult {
    const family = ipPacketFamily(packet);
    if (family === undefined)
      throw new TypeError(`sendIpPacket: not a whole IPv4/IPv6 header (${packet.length} bytes)`);
    return this.output.sendPacket(packet, family);
  }

  /** Sends an ICMP (IPv4) or ICMPv6 (IPv6) echo request (RFC 792, RFC 4443 §4.1). */
  sendIcmpEcho(
    dst: IpAddr,
    id: number,
    seq: number,
    data: Uint8Array,
    opts: { src?: IpAddr; ttl?: number } = {},
  ): SendResult {
    const src = opts.src ?? this.sourceFor(dst);
    if (src === undefined) return 'no-source';
    const buf = this.output.txBuf;
    const family = typeof dst === 'number' ? 4 : 6;
    const l4Off = l4OffsetFor(dst);
    buf[l4Off] = family === 4 ? ICMP_ECHO_REQUEST : ICMPV6_ECHO_REQUEST;
    buf[l4Off + 1] = 0;
    set16(buf, l4Off + 4, id);
    set16(buf, l4Off + 6, seq);
    buf.set(data, l4Off + ICMP_HEADER_LENGTH);
    const length = ICMP_HEADER_LENGTH + data.length;
    return this.output.sendL4(buf, src, dst, icmpProtocol(family), length, this.custom(2, opts.ttl, 0));
  }

  /** The reused send options for a fragmentable send with the caller's TTL and TOS. */
  private custom(checksumAt: number, ttl: number | undefined, tos: number | undefined): SendOptions {
    const o = this.customSend;
    o.checksumAt = checksumAt;
    o.ttl = ttl ?? this.ttl;
    o.tos = tos ?? 0;
    return o;
  }

  /** Hands frames queued by transmit to the device (batched devices); call once per stack round. */
  flush(): void {
    this.device.flush();
  }

  /**
   * The largest TCP payload one segment may carry when the device segments (TSO): a 64 KB IP
   * packet less the headers; 0 when it does not, and every segment is at most one MSS.
   */
  segmentationLimit(): number {
    return this.device.segmentationOffload === true && this.ethernet ? TSO_MAX_PAYLOAD : 0;
  }

  /** The MSS to announce towards dst: link MTU minus the IP and TCP headers (RFC 9293 §3.7.1). */
  mssFor(dst: IpAddr): number {
    return this.mtu - (typeof dst === 'number' ? IPV4_HEADER : IPV6_HEADER) - 20;
  }

  /** All our unicast addresses (IPv4 first). */
  addresses(): IpAddr[] {
    return this.addrs.list();
  }

  /**
   * Whether packets to `dst` would wait for address resolution of their next hop (ARP/ND still
   * unanswered); false when it is resolved, a group address, on a point-to-point link, or unroutable.
   */
  awaitsResolution(dst: IpAddr): boolean {
    if (!this.ethernet) return false;
    const nextHop = this.output.nextHopFor(dst);
    if (nextHop === null || nextHop === undefined) return false;
    const cache = typeof nextHop === 'number' ? this.arp : this.neighbors;
    return cache.lookup(nextHop) === null;
  }

  /** Starts address resolution for `addr` without sending anything (e.g. to warm the cache). */
  resolve(addr: IpAddr): void {
    if (!this.ethernet) return;
    const nextHop = this.output.nextHopFor(addr);
    if (nextHop === null || nextHop === undefined) return;
    if (typeof nextHop === 'number') this.arp.resolve(nextHop);
    else this.neighbors.resolve(nextHop);
  }

  /** One line per address, route and neighbor: what `ip addr; ip route; ip neigh` would show. */
  describe(): string[] {
    const lines = [
      `link ${this.device.name} ${this.device.linkType} mtu ${this.mtu} mac ${formatMac(this.mac)}`,
    ];
    lines.push(...this.addrs.describe());
    for (const r of this.routes.describe()) lines.push(`route ${r}`);
    for (const n of [...this.arp.describe(), ...this.neighbors.describe()]) lines.push(`neigh ${n}`);
    return lines;
  }
}

function parseV4(text: string): number {
  const a = parseIp(text);
  if (typeof a !== 'number') throw new TypeError(`not an IPv4 address: ${text}`);
  return a;
}

function parseV6(text: string): Uint8Array {
  const a = parseIp(text);
  if (typeof a === 'number') throw new TypeError(`not an IPv6 address: ${text}`);
  return a;
}

/** 4 or 6 when the packet starts with a whole header of that IP version. */
function ipPacketFamily(packet: Uint8Array): 4 | 6 | undefined {
  const version = packet.length > 0 ? packet[0] >> 4 : 0;
  if (version === 4 && packet.length >= IPV4_HEADER) return 4;
  if (version === 6 && packet.length >= IPV6_HEADER) return 6;
  return undefined;
}
