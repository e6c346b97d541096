// ARP (RFC 826, RFC 5227) and IPv6 neighbor discovery (RFC 4861, RFC 4862 DAD) for one link:
// answering for our addresses, resolving our next hops through the two neighbor caches,
// defending our addresses, and noticing other hosts that use them.
import type { Clock } from '../link/clock.js';
import { formatMac, solicitedNodeMulticast } from '../wire/addr.js';
import { ARP_REPLY, ARP_REQUEST, emptyArpFields, readArp, writeArp } from './arp.js';
import type { RxIp } from './handlers.js';
import { formatIp, IPV6_ALL_NODES, type IpAddr, isIpv6Unspecified } from './ip-addr.js';
import {
  ETH_HEADER,
  ETHERTYPE_ARP,
  ETHERTYPE_IPV6,
  fillTransportChecksum,
  IPV6_HEADER,
  PROTO_ICMPV6,
  writeIpv6Header,
} from './ip-header.js';
import type { IpOutput } from './ip-output.js';
import { BROADCAST_MAC, sameMac, writeEthernet, writeMulticastEthernet } from './link-frames.js';
import {
  ICMPV6_NEIGHBOR_ADVERT,
  ICMPV6_NEIGHBOR_SOLICIT,
  NA_OVERRIDE,
  NA_SOLICITED,
  type NdFields,
  readNd,
  writeNd,
} from './ndp.js';
import { NeighborCache, type NeighborCacheHooks, type NeighborCacheOptions } from './neighbor-cache.js';
import type { NetStats } from './stats.js';

/** What neighbor handling needs from its interface. */
export interface NeighborContext {
  readonly mac: Uint8Array;
  readonly ethernet: boolean;
  readonly clock: Clock;
  readonly counters: NetStats;
  readonly output: IpOutput;
  /** Answer ARP requests and solicitations for our addresses (off when the kernel does it). */
  readonly answerNeighbors: boolean;
  ipv4(): number | undefined;
  ipv6(): readonly Uint8Array[];
  isOurV6(buf: Uint8Array, off: number): boolean;
  sourceFor(dst: IpAddr): IpAddr | undefined;
  flush(): void;
}

export interface AddressConflict {
  address: string;
  mac: string;
}

export class NeighborProtocols {
  /** IPv4 next hops (ARP). */
  readonly arp: NeighborCache;
  /** IPv6 next hops (neighbor discovery). */
  readonly neighbors: NeighborCache;
  private readonly arpFields = emptyArpFields();
  private readonly ndFields: NdFields = { type: 0, flags: 0, target: new Uint8Array(16), linkAddress: null };
  private readonly conflictList: AddressConflict[] = [];

  constructor(
    private readonly ctx: NeighborContext,
    options: NeighborCacheOptions,
  ) {
    this.arp = new NeighborCache(ctx.clock, options, this.cacheHooks(4));
    this.neighbors = new NeighborCache(ctx.clock, options, this.cacheHooks(6));
  }

  // ---- ARP (RFC 826 "Packet Reception")

  receiveArp(buf: Uint8Array, off: number, len: number): void {
    const a = this.arpFields;
    const counters = this.ctx.counters;
    readArp(buf, off, len, a);
    counters.rxArp++;
    if ((a.senderMac[0] & 1) === 1 || sameMac(a.senderMac, 0, this.ctx.mac)) {
      counters.dropped.invalidNeighborMessage++;
      return;
    }
    const ours = this.ctx.ipv4();
    if (ours !== undefined && a.senderIp === ours) {
      this.recordConflict(ours, a.senderMac); // RFC 5227 §2.4: someone else uses our address
      return;
    }
    const forUs = ours !== undefined && a.targetIp === ours;
    // RFC 826: update an existing entry from any ARP ("merge"), create one only when we are the
    // target. A sender of 0.0.0.0 is an RFC 5227 probe and teaches nothing.
    if (a.senderIp !== 0) this.arp.update(a.senderIp, a.senderMac, forUs && a.senderIp !== a.targetIp);
    if (forUs && a.op === ARP_REQUEST && this.ctx.answerNeighbors) {
      this.sendArp(ARP_REPLY, a.senderMac, a.senderIp, a.senderMac);
    }
  }

  private sendArp(
    op: number,
    targetMac: Uint8Array | null,
    targetIp: number,
    dstMac: Uint8Array | null,
    senderIp = this.ctx.ipv4(),
  ): void {
    if (senderIp === undefined || this.ctx.ipv4() === undefined) return;
    const buf = this.ctx.output.ctlBuf;
    writeEthernet(buf, dstMac ?? BROADCAST_MAC, this.ctx.mac, ETHERTYPE_ARP);
    writeArp(buf, ETH_HEADER, op, this.ctx.mac, senderIp, targetMac, targetIp);
    if (op === ARP_REPLY) this.ctx.counters.txArpReplies++;
    else this.ctx.counters.txArpRequests++;
    this.ctx.output.transmitFrame(buf, ETH_HEADER + 28);
  }

  // ---- Neighbor discovery (RFC 4861 §7.1, §7.2)

  receiveNeighborMessage(buf: Uint8Array, l4Off: number, l4Len: number, rx: RxIp, multicast: boolean): void {
    const nd = this.ndFields;
    readNd(buf, l4Off, l4Len, nd);
    // RFC 4861 §7.1.1/§7.1.2: hop limit 255 (it was not forwarded), code 0, target not multicast.
    if (rx.hopLimit !== 255 || buf[l4Off + 1] !== 0 || nd.target[0] === 0xff || !this.ctx.ethernet) {
      this.ctx.counters.dropped.invalidNeighborMessage++;
      return;
    }
    if (nd.type === ICMPV6_NEIGHBOR_SOLICIT) this.receiveNeighborSolicit(nd, rx);
    else this.receiveNeighborAdvert(nd, multicast);
  }

  private receiveNeighborSolicit(nd: NdFields, rx: RxIp): void {
    const src = rx.src as Uint8Array;
    const dad = isIpv6Unspecified(src);
    if (dad && nd.linkAddress !== null) {
      this.ctx.counters.dropped.invalidNeighborMessage++; // §7.1.1: no SLLA in a DAD probe
      return;
    }
    if (!this.ctx.isOurV6(nd.target, 0)) return;
    if (!dad && nd.linkAddress !== null) this.neighbors.update(src, nd.linkAddress, true);
    if (!this.ctx.answerNeighbors) return;
    if (dad) {
      // §7.2.4: someone probes an address we own: defend it with an NA to all-nodes (S=0),
      // and learn nothing from the unspecified source.
      this.sendNeighborAdvert(nd.target, IPV6_ALL_NODES, null, NA_OVERRIDE);
      return;
    }
    const mac = nd.linkAddress ?? this.neighbors.lookup(src);
    if (mac === null) return;
    this.sendNeighborAdvert(nd.target, src.slice(), mac, NA_SOLICITED | NA_OVERRIDE);
  }

  private receiveNeighborAdvert(nd: NdFields, multicastDst: boolean): void {
    // §7.1.2: an NA sent to multicast must not have the Solicited flag.
    if (multicastDst && (nd.flags & NA_SOLICITED) !== 0) {
      this.ctx.counters.dropped.invalidNeighborMessage++;
      return;
    }
    // §7.2.5: update an existing entry only; our own address claimed by someone else is a conflict.
    if (this.ctx.isOurV6(nd.target, 0)) {
      this.ctx.counters.dropped.invalidNeighborMessage++;
      if (nd.linkAddress !== null && !sameMac(nd.linkAddress, 0, this.ctx.mac)) {
        this.recordConflict(nd.target.slice(), nd.linkAddress);
      }
      return;
    }
    if (nd.linkAddress !== null) this.neighbors.update(nd.target, nd.linkAddress, false);
  }

  private sendNeighborAdvert(
    target: Uint8Array,
    dst: Uint8Array,
    dstMac: Uint8Array | null,
    flags: number,
  ): void {
    const out = this.ctx.output.ctlBuf;
    const len = writeNd(out, ETH_HEADER + IPV6_HEADER, ICMPV6_NEIGHBOR_ADVERT, flags, target, this.ctx.mac);
    this.ctx.counters.txNeighborAdverts++;
    this.sendNeighborMessage(out, target, dst, dstMac, len);
  }

  private sendNeighborSolicit(target: Uint8Array, unicastMac: Uint8Array | null): void {
    const src = this.ctx.sourceFor(target) as Uint8Array | undefined;
    if (src === undefined) return;
    // The fragment buffer: a solicitation can start while ctlBuf holds a reply being queued.
    const out = this.ctx.output.fragBuf;
    const len = writeNd(out, ETH_HEADER + IPV6_HEADER, ICMPV6_NEIGHBOR_SOLICIT, 0, target, this.ctx.mac);
    // §7.2.2: multicast to the target's solicited-node group, unicast when re-verifying.
    const dst = unicastMac === null ? solicitedNodeMulticast(target) : target;
    this.ctx.counters.txNeighborSolicits++;
    this.sendNeighborMessage(out, src, dst, unicastMac, len);
  }

  /** RFC 4862 §5.4.2: NS from the unspecified address, no source link-layer option. */
  private sendDadSolicit(target: Uint8Array): void {
    const out = this.ctx.output.fragBuf;
    const len = writeNd(out, ETH_HEADER + IPV6_HEADER, ICMPV6_NEIGHBOR_SOLICIT, 0, target, null);
    const dst = solicitedNodeMulticast(target);
    this.ctx.counters.txNeighborSolicits++;
    this.sendNeighborMessage(out, new Uint8Array(16), dst, null, len);
  }

  /** ND messages go to a known MAC or dst's group MAC, with hop limit 255 (RFC 4861 §7.1). */
  private sendNeighborMessage(
    out: Uint8Array,
    src: Uint8Array,
    dst: Uint8Array,
    dstMac: Uint8Array | null,
    len: number,
  ): void {
    writeIpv6Header(out, ETH_HEADER, src, dst, PROTO_ICMPV6, len, 255, 0);
    fillTransportChecksum(out, ETH_HEADER, 6, PROTO_ICMPV6, ETH_HEADER + IPV6_HEADER, len, 2);
    if (dstMac !== null) writeEthernet(out, dstMac, this.ctx.mac, ETHERTYPE_IPV6);
    else writeMulticastEthernet(out, dst, this.ctx.mac, ETHERTYPE_IPV6);
    this.ctx.output.transmitFrame(out, ETH_HEADER + IPV6_HEADER + len);
  }

  // ---- announcing and defending our addresses

  /** Gratuitous ARP and unsolicited NAs for our addresses (RFC 5227 §3, RFC 4861 §7.2.6). */
  announce(): void {
    if (!this.ctx.ethernet) return;
    const v4 = this.ctx.ipv4();
    if (v4 !== undefined) this.sendArp(ARP_REQUEST, null, v4, null);
    for (const a of this.ctx.ipv6()) this.sendNeighborAdvert(a, IPV6_ALL_NODES, null, NA_OVERRIDE);
  }

  /**
   * Checks that nobody else uses our addresses before we claim them: an ARP probe (RFC 5227 §2.1,
   * sender 0.0.0.0) and a DAD solicitation (RFC 4862 §5.4.2) per address, then waits.
   * Resolves with the conflicts seen (empty: the addresses are free).
   */
  probeConflicts(waitMs: number): Promise<AddressConflict[]> {
    if (!this.ctx.ethernet) return Promise.resolve([]);
    const v4 = this.ctx.ipv4();
    if (v4 !== undefined) this.sendArp(ARP_REQUEST, null, v4, null, 0);
    for (const a of this.ctx.ipv6()) this.sendDadSolicit(a);
    this.ctx.flush();
    const clock = this.ctx.clock;
    return new Promise((resolve) => {
      clock.setTimer(clock.now() + waitMs, () => resolve(this.conflicts()));
    });
  }

  /** Other hosts seen using one of our addresses (ARP from our IPv4, NA for our IPv6). */
  conflicts(): AddressConflict[] {
    return this.conflictList.map((c) => ({ ...c }));
  }

  private recordConflict(address: IpAddr, mac: Uint8Array): void {
    const conflict = { address: formatIp(address), mac: formatMac(mac) };
    if (!this.conflictList.some((c) => c.address === conflict.address && c.mac === conflict.mac)) {
      this.conflictList.push(conflict);
    }
  }

  private cacheHooks(family: 4 | 6): NeighborCacheHooks {
    const counters = this.ctx.counters;
    return {
      solicit: (target, mac) => {
        if (family === 4) this.sendArp(ARP_REQUEST, null, target as number, mac);
        else this.sendNeighborSolicit(target as Uint8Array, mac);
      },
      release: (frame, mac) => {
        frame.set(mac, 0);
        this.ctx.output.transmitFrame(frame, frame.length);
      },
      failed: (_target, dropped) => {
        counters.neighbor.failed++;
        counters.dropped.neighborUnreachable += dropped;
      },
      expired: () => {
        counters.neighbor.expired++;
      },
      resolved: () => {
        counters.neighbor.resolved++;
      },
    };
  }
}
