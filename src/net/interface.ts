// NetInterface: one link's IP layer. It owns the MAC and IP addresses, the routing table, the
// ARP and neighbor caches, fragment reassembly, ICMP echo, and the demux of TCP/UDP/ICMP to the
// handlers above. Sans-IO in spirit: it is fed frames (receive) and a Clock, and emits frames
// through the Device. The TCP paths in both directions allocate nothing per packet.
import type { Clock } from '../link/clock.js';
import type { Device, RxInfo } from '../link/device.js';
import type { TcpSegment } from '../tcp/segment.js';
import { emptySegment } from '../tcp/segment.js';
import { linkLocalFromMac, parseMac } from '../wire/addr.js';
import { get16, get32, set16 } from '../wire/bytes.js';
import { checksumVerifies } from '../wire/checksum.js';
import { WireError, wireError } from '../wire/errors.js';
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
import {
  bytes16Equal,
  formatIp,
  IPV6_ALL_NODES,
  type IpAddr,
  ipv4Mask,
  ipv6PrefixMatch,
  isIpv6LinkLocal,
  parseIp,
  parseIpWithPrefix,
} from './ip-addr.js';
import {
  ETH_HEADER,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV4,
  ETHERTYPE_IPV6,
  IPV4_HEADER,
  IPV4_MF,
  IPV6_FRAGMENT_HEADER,
  IPV6_HEADER,
  NEXT_FRAGMENT,
  PROTO_ICMP,
  PROTO_ICMPV6,
  PROTO_TCP,
  PROTO_UDP,
  transportChecksumOk,
} from './ip-header.js';
import { IpOutput, type OutputContext, type SendOptions } from './ip-output.js';
import { copy16, hex16, macText, rebuildIpv4, rebuildIpv6, setInfo } from './link-frames.js';
import { DEFAULT_NEIGHBOR_OPTIONS, type NeighborCache, type NeighborCacheOptions } from './neighbor-cache.js';
import { type AddressConflict, type NeighborContext, NeighborProtocols } from './neighbor-protocols.js';
import { DEFAULT_REASSEMBLY_OPTIONS, Reassembler, type ReassemblyOptions } from './reassembly.js';
import { RouteTable } from './routes.js';
import { copyNetStats, countMalformed, createNetStats, type NetStats } from './stats.js';
import { readTcpSegment, TcpOptionScratch, writeTcpSegment } from './tcp-codec.js';

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

interface Ipv6Address {
  address: Uint8Array;
  prefixLength: number;
}

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

  private ipv4Address = 0;
  private ipv4Prefix = -1;
  private readonly v6: Ipv6Address[] = [];

  private readonly output: IpOutput;
  private readonly nb: NeighborProtocols;
  private readonly icmp: IcmpEndpoint;
  private readonly tcpSend: SendOptions;
  private readonly udpSend: SendOptions;

  private readonly tcpSegment: TcpSegment = emptySegment();
  private readonly tcpScratch = new TcpOptionScratch();
  private readonly rx4: RxIp;
  private readonly rx6: RxIp;
  private readonly rx6Src = new Uint8Array(16);
  private readonly rx6Dst = new Uint8Array(16);

  private tcpHandlers: TcpHandler[] = [];
  private readonly udpHandlers = new Map<number, UdpHandler>();
  private icmpHandlers: IcmpHandler[] = [];
  private rawHandlers: RawIpHandler[] = [];

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
      handlers: () => this.icmpHandlers,
    });
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
      isV4Broadcast: (dst) => this.isV4Broadcast(dst),
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
      ipv6: () => this.v6.map((a) => a.address),
      isOurV6: (buf, off) => this.findV6(buf, off) !== undefined,
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
    if (opts.ipv4 !== undefined) this.setIpv4(opts.ipv4);
    if (opts.linkLocal ?? this.ethernet) this.addIpv6(linkLocalFromMac(this.mac), 64);
    const v6 = opts.ipv6 === undefined ? [] : Array.isArray(opts.ipv6) ? opts.ipv6 : [opts.ipv6];
    for (const text of v6) {
      const { address, prefixLength } = parseIpWithPrefix(text, 64);
      if (typeof address === 'number') throw new TypeError(`not an IPv6 address: ${text}`);
      this.addIpv6(address, prefixLength);
    }
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
    if (opts.gateway4 === undefined && this.ipv4Prefix >= 0)
      this.routes.add({ destination: 0, prefixLength: 0, metric: 100 });
    if (opts.gateway6 === undefined && this.v6.length > 0) {
      this.routes.add({ destination: new Uint8Array(16), prefixLength: 0, metric: 100 });
    }
  }

  /** Sets the IPv4 address ("a.b.c.d/len") and its connected route. */
  setIpv4(text: string): void {
    const { address, prefixLength } = parseIpWithPrefix(text, 32);
    if (typeof address !== 'number') throw new TypeError(`not an IPv4 address: ${text}`);
    if (this.ipv4Prefix >= 0) this.routes.remove(this.ipv4Address, this.ipv4Prefix);
    this.ipv4Address = address;
    this.ipv4Prefix = prefixLength;
    this.routes.add({ destination: (address & ipv4Mask(prefixLength)) >>> 0, prefixLength, metric: 0 });
  }

  addIpv6(address: Uint8Array, prefixLength: number): void {
    this.v6.push({ address: address.slice(), prefixLength });
    const network = address.slice();
    for (let bit = prefixLength; bit < 128; bit++) network[bit >> 3] &= ~(0x80 >> (bit & 7));
    this.routes.add({ destination: network, prefixLength, metric: 0 });
  }

  /** Our IPv4 address as a u32, or undefined. */
  get ipv4(): number | undefined {
    return this.ipv4Prefix >= 0 ? this.ipv4Address : undefined;
  }

  get ipv4PrefixLength(): number | undefined {
    return this.ipv4Prefix >= 0 ? this.ipv4Prefix : undefined;
  }

  /** Our IPv6 addresses, link-local first when configured. */
  get ipv6(): Uint8Array[] {
    return this.v6.map((a) => a.address);
  }

  get linkLocal(): Uint8Array | undefined {
    return this.v6.find((a) => isIpv6LinkLocal(a.address))?.address;
  }

  /** Whether `addr` is one of our unicast addresses. */
  isOurAddress(addr: IpAddr): boolean {
    if (typeof addr === 'number') return this.ipv4Prefix >= 0 && addr === this.ipv4Address;
    return this.findV6(addr, 0) !== undefined;
  }

  /**
   * The source address for packets to `dst` (RFC 6724 reduced to what one link needs: link-local
   * for link-local destinations, else a global address on the same prefix, else any global).
   */
  sourceFor(dst: IpAddr): IpAddr | undefined {
    if (typeof dst === 'number') return this.ipv4;
    const linkScoped = isIpv6LinkLocal(dst) || (dst[0] === 0xff && (dst[1] & 0x0f) <= 2);
    const globals = this.v6.filter((a) => !isIpv6LinkLocal(a.address));
    if (linkScoped || globals.length === 0) return this.linkLocal ?? globals[0]?.address;
    return (globals.find((a) => ipv6PrefixMatch(a.address, dst, a.prefixLength)) ?? globals[0]).address;
  }

  // ---------------------------------------------------------------- handlers

  /** Receives every TCP segment addressed to us. Returns a function that unregisters it. */
  onTcp(handler: TcpHandler): () => void {
    this.tcpHandlers = [...this.tcpHandlers, handler];
    return () => {
      this.tcpHandlers = this.tcpHandlers.filter((h) => h !== handler);
    };
  }

  /** Receives UDP datagrams to `port` (one handler per port; a second replaces the first). */
  onUdp(port: number, handler: UdpHandler): () => void {
    this.udpHandlers.set(port, handler);
    return () => {
      if (this.udpHandlers.get(port) === handler) this.udpHandlers.delete(port);
    };
  }

  /** Receives ICMP/ICMPv6 messages the interface does not consume itself (echo replies, errors). */
  onIcmp(handler: IcmpHandler): () => void {
    this.icmpHandlers = [...this.icmpHandlers, handler];
    return () => {
      this.icmpHandlers = this.icmpHandlers.filter((h) => h !== handler);
    };
  }

  /** Receives every IP packet addressed to us (after reassembly), before demux. */
  onAnyIp(handler: RawIpHandler): () => void {
    this.rawHandlers = [...this.rawHandlers, handler];
    return () => {
      this.rawHandlers = this.rawHandlers.filter((h) => h !== handler);
    };
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
    const broadcast = this.isV4Broadcast(dst);
    if (!broadcast && (this.ipv4Prefix < 0 || dst !== this.ipv4Address)) {
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
    if (this.rawHandlers.length > 0) this.deliverRaw(buf.subarray(off, off + total), 4, protocol, info);
    this.deliver(protocol, buf, off, off + ihl, total - ihl, rx, broadcast);
  }

  private isV4Broadcast(dst: number): boolean {
    if (dst === 0xffffffff) return true;
    if (this.ipv4Prefix < 0 || this.ipv4Prefix >= 31) return false;
    const hostMask = ~ipv4Mask(this.ipv4Prefix) >>> 0;
    return (dst & hostMask) >>> 0 === hostMask && ((dst ^ this.ipv4Address) & ~hostMask) >>> 0 === 0;
  }

  private receiveIpv4Fragment(
    buf: Uint8Array,
    off: number,
    ihl: number,
    total: number,
    flagsOffset: number,
    info: RxInfo,
  ): void {
    const offset = (flagsOffset & 0x1fff) * 8;
    const key = `4:${get32(buf, off + 12)}:${get32(buf, off + 16)}:${buf[off + 9]}:${get16(buf, off + 4)}`;
    const done = this.reassembler.add({
      family: 4,
      key,
      offset,
      more: (flagsOffset & IPV4_MF) !== 0,
      data: buf.subarray(off + ihl, off + total),
      header: offset === 0 ? buf.subarray(off, off + ihl) : null,
    });
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
    if (!this.acceptsV6(buf, off + 24)) {
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
    if (this.rawHandlers.length > 0) this.deliverRaw(buf.subarray(off, end), 6, next, info);
    this.deliver(next, buf, off, p, end - p, rx, buf[off + 24] === 0xff);
  }

  /** Our unicast addresses, all-nodes, and the solicited-node groups of our addresses (RFC 4291 §2.8). */
  private acceptsV6(buf: Uint8Array, off: number): boolean {
    if (buf[off] !== 0xff) return this.findV6(buf, off) !== undefined;
    if (bytes16Equal(buf, off, IPV6_ALL_NODES, 0)) return true;
    return this.isSolicitedNodeGroup(buf, off);
  }

  private isSolicitedNodeGroup(buf: Uint8Array, off: number): boolean {
    if (buf[off + 1] !== 0x02 || buf[off + 11] !== 0x01 || buf[off + 12] !== 0xff) return false;
    for (let i = 2; i < 11; i++) if (buf[off + i] !== 0) return false;
    for (const a of this.v6) {
      const x = a.address;
      if (x[13] === buf[off + 13] && x[14] === buf[off + 14] && x[15] === buf[off + 15]) return true;
    }
    return false;
  }

  private findV6(buf: Uint8Array, off: number): Ipv6Address | undefined {
    for (const a of this.v6) if (bytes16Equal(a.address, 0, buf, off)) return a;
    return undefined;
  }

  /** Handles a fragment header at p. Returns true when the packet was consumed (held for reassembly). */
  private receiveIpv6Fragment(buf: Uint8Array, off: number, p: number, end: number, info: RxInfo): boolean {
    const offsetWord = get16(buf, p + 2);
    const offset = offsetWord & 0xfff8;
    const more = (offsetWord & 1) !== 0;
    if (offset === 0 && !more) return false; // RFC 6946 atomic fragment: process as is
    const key = `6:${hex16(buf, off + 8)}${hex16(buf, off + 24)}:${get32(buf, p + 4)}`;
    let header: Uint8Array | null = null;
    if (offset === 0) {
      header = buf.slice(off, off + IPV6_HEADER);
      header[6] = buf[p]; // the reassembled packet continues with the fragmentable part's header
    }
    const done = this.reassembler.add({
      family: 6,
      key,
      offset,
      more,
      data: buf.subarray(p + 8, end),
      header,
    });
    if (done !== null) {
      const packet = rebuildIpv6(done);
      this.receiveIpv6(packet, 0, packet.length, info);
    }
    return true;
  }

  // ---- demux

  private deliverRaw(packet: Uint8Array, family: 4 | 6, protocol: number, info: RxInfo): void {
    for (const h of this.rawHandlers) h(packet, family, protocol, info);
  }

  private deliver(
    protocol: number,
    buf: Uint8Array,
    ipOff: number,
    l4Off: number,
    l4Len: number,
    rx: RxIp,
    multicast: boolean,
  ): void {
    if (protocol === PROTO_TCP) this.receiveTcp(buf, ipOff, l4Off, l4Len, rx, multicast);
    else if (protocol === PROTO_UDP) this.receiveUdp(buf, ipOff, l4Off, l4Len, rx, multicast);
    else if (protocol === PROTO_ICMP && rx.family === 4)
      this.icmp.receiveIcmp4(buf, l4Off, l4Len, rx, multicast);
    else if (protocol === PROTO_ICMPV6 && rx.family === 6)
      this.icmp.receiveIcmp6(buf, ipOff, l4Off, l4Len, rx, multicast);
    else this.counters.dropped.unknownProtocol++;
  }

  private checksumOk(
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

  private receiveTcp(
    buf: Uint8Array,
    ipOff: number,
    l4Off: number,
    l4Len: number,
    rx: RxIp,
    multicast: boolean,
  ): void {
    this.counters.rxTcp++;
    // RFC 1122 §4.2.3.10: TCP to a broadcast or multicast address is dropped.
    if (multicast) {
      this.counters.dropped.notOurIp++;
      return;
    }
    if (!this.checksumOk(buf, ipOff, PROTO_TCP, l4Off, l4Len, rx)) {
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
  }

  private receiveUdp(
    buf: Uint8Array,
    ipOff: number,
    l4Off: number,
    l4Len: number,
    rx: RxIp,
    multicast: boolean,
  ): void {
    if (l4Len < 8) wireError('truncated', `UDP: ${l4Len} bytes`);
    const udpLength = get16(buf, l4Off + 4);
    if (udpLength < 8 || udpLength > l4Len)
      wireError('bad-length', `UDP length ${udpLength} with ${l4Len} bytes`);
    this.counters.rxUdp++;
    const sum = get16(buf, l4Off + 6);
    // RFC 768: 0 means "no checksum" on IPv4; RFC 8200 §8.1: mandatory on IPv6.
    const skip = sum === 0 && rx.family === 4;
    if (!skip && !this.checksumOk(buf, ipOff, PROTO_UDP, l4Off, udpLength, rx)) {
      this.counters.dropped.badUdpChecksum++;
      return;
    }
    const dstPort = get16(buf, l4Off + 2);
    const handler = this.udpHandlers.get(dstPort);
    if (handler === undefined) {
      this.counters.dropped.noHandler++;
      if (!multicast && this.portUnreachable) this.icmp.sendPortUnreachable(buf, ipOff, l4Off + l4Len, rx);
      return;
    }
    handler(buf.subarray(l4Off + 8, l4Off + udpLength), get16(buf, l4Off), dstPort, rx);
  }

  // ---------------------------------------------------------------- send

  /**
   * Sends one TCP segment: IP header (v4 or v6 by the address type) + TCP header + options +
   * payload, checksums filled, next hop resolved. Nothing is allocated unless the next hop is
   * still being resolved (the packet is then copied into the bounded pending queue).
   */
  sendTcp(src: IpAddr, dst: IpAddr, seg: TcpSegment): SendResult {
    const buf = this.output.txBuf;
    const l4Off = ETH_HEADER + (typeof dst === 'number' ? IPV4_HEADER : IPV6_HEADER);
    const l4Len = writeTcpSegment(seg, buf, l4Off);
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
    const l4Off = ETH_HEADER + (typeof dst === 'number' ? IPV4_HEADER : IPV6_HEADER);
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
    const l4Off = ETH_HEADER + (typeof dst === 'number' ? IPV4_HEADER : IPV6_HEADER);
    buf.set(payload, l4Off);
    return this.output.sendL4(buf, src, dst, protocol, payload.length, {
      checksumAt: -1,
      fragment: true,
      ttl: opts.ttl ?? this.ttl,
      tos: opts.tos ?? 0,
    });
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
    const l4Off = ETH_HEADER + (family === 4 ? IPV4_HEADER : IPV6_HEADER);
    buf[l4Off] = family === 4 ? ICMP_ECHO_REQUEST : ICMPV6_ECHO_REQUEST;
    buf[l4Off + 1] = 0;
    set16(buf, l4Off + 4, id);
    set16(buf, l4Off + 6, seq);
    buf.set(data, l4Off + 8);
    const proto = family === 4 ? PROTO_ICMP : PROTO_ICMPV6;
    return this.output.sendL4(buf, src, dst, proto, 8 + data.length, {
      checksumAt: 2,
      fragment: true,
      ttl: opts.ttl ?? this.ttl,
      tos: 0,
    });
  }

  /** Hands frames queued by transmit to the device (batched devices); call once per stack round. */
  flush(): void {
    this.device.flush();
  }

  /** The MSS to announce towards dst: link MTU minus the IP and TCP headers (RFC 9293 §3.7.1). */
  mssFor(dst: IpAddr): number {
    return this.mtu - (typeof dst === 'number' ? IPV4_HEADER : IPV6_HEADER) - 20;
  }

  /** All our unicast addresses (IPv4 first). */
  addresses(): IpAddr[] {
    const list: IpAddr[] = this.ipv4Prefix >= 0 ? [this.ipv4Address] : [];
    for (const a of this.v6) list.push(a.address);
    return list;
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
      `link ${this.device.name} ${this.device.linkType} mtu ${this.mtu} mac ${macText(this.mac)}`,
    ];
    if (this.ipv4Prefix >= 0) lines.push(`inet ${formatIp(this.ipv4Address)}/${this.ipv4Prefix}`);
    for (const a of this.v6) lines.push(`inet6 ${formatIp(a.address)}/${a.prefixLength}`);
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
