// The interface's own addresses: one IPv4 address with its prefix and any number of IPv6
// addresses, their connected routes, which destinations count as "us" on receive, and which
// source address to use towards a destination.
import {
  bytes16Equal,
  formatIp,
  IPV6_ALL_NODES,
  type IpAddr,
  ipv4Mask,
  ipv6PrefixMatch,
  isIpv6LinkLocal,
  parseIpWithPrefix,
} from './ip-addr.js';
import type { RouteTable } from './routes.js';

export interface Ipv6Address {
  address: Uint8Array;
  prefixLength: number;
}

export class AddressSet {
  private ipv4Address = 0;
  /** -1 while no IPv4 address is configured. */
  private ipv4Prefix = -1;
  private readonly v6: Ipv6Address[] = [];

  /** Connected routes for the addresses are added to (and removed from) `routes`. */
  constructor(private readonly routes: RouteTable) {}

  /** Sets the IPv4 address ("a.b.c.d/len") and its connected route. */
  setIpv4(text: string): void {
    const { address, prefixLength } = parseIpWithPrefix(text, 32);
    if (typeof address !== 'number') throw new TypeError(`not an IPv4 address: ${text}`);
    if (this.ipv4Prefix >= 0) this.routes.remove(this.ipv4Address, this.ipv4Prefix);
    this.ipv4Address = address;
    this.ipv4Prefix = prefixLength;
    this.routes.add({ destination: (address & ipv4Mask(prefixLength)) >>> 0, prefixLength, metric: 0 });
  }

  /** Adds an IPv6 address ("addr/len", default /64). */
  addIpv6Text(text: string): void {
    const { address, prefixLength } = parseIpWithPrefix(text, 64);
    if (typeof address === 'number') throw new TypeError(`not an IPv6 address: ${text}`);
    this.addIpv6(address, prefixLength);
  }

  addIpv6(address: Uint8Array, prefixLength: number): void {
    this.v6.push({ address: address.slice(), prefixLength });
    const network = address.slice();
    for (let bit = prefixLength; bit < 128; bit++) network[bit >> 3] &= ~(0x80 >> (bit & 7));
    this.routes.add({ destination: network, prefixLength, metric: 0 });
  }

  get ipv4(): number | undefined {
    return this.ipv4Prefix >= 0 ? this.ipv4Address : undefined;
  }

  get ipv4PrefixLength(): number | undefined {
    return this.ipv4Prefix >= 0 ? this.ipv4Prefix : undefined;
  }

  get hasIpv6(): boolean {
    return this.v6.length > 0;
  }

  /** Our IPv6 addresses in the order they were added (link-local first when configured). */
  get ipv6(): Uint8Array[] {
    return this.v6.map((a) => a.address);
  }

  get linkLocal(): Uint8Array | undefined {
    return this.v6.find((a) => isIpv6LinkLocal(a.address))?.address;
  }

  /** All our unicast addresses (IPv4 first). */
  list(): IpAddr[] {
    const list: IpAddr[] = this.ipv4Prefix >= 0 ? [this.ipv4Address] : [];
    for (const a of this.v6) list.push(a.address);
    return list;
  }

  /** Whether `addr` is one of our unicast addresses. */
  isOurs(addr: IpAddr): boolean {
    if (typeof addr === 'number') return this.isOurV4(addr);
    return this.findV6(addr, 0) !== undefined;
  }

  isOurV4(addr: number): boolean {
    return this.ipv4Prefix >= 0 && addr === this.ipv4Address;
  }

  /** The IPv6 address at buf[off] when it is one of ours. */
  findV6(buf: Uint8Array, off: number): Ipv6Address | undefined {
    for (const a of this.v6) if (bytes16Equal(a.address, 0, buf, off)) return a;
    return undefined;
  }

  /** The limited broadcast, or the directed broadcast of our IPv4 subnet (RFC 919, RFC 922). */
  isV4Broadcast(dst: number): boolean {
    if (dst === 0xffffffff) return true;
    // RFC 3021: a /31 (and a /32) has no broadcast address.
    if (this.ipv4Prefix < 0 || this.ipv4Prefix >= 31) return false;
    const hostMask = ~ipv4Mask(this.ipv4Prefix) >>> 0;
    return (dst & hostMask) >>> 0 === hostMask && ((dst ^ this.ipv4Address) & ~hostMask) >>> 0 === 0;
  }

  /** Our unicast addresses, all-nodes, and the solicited-node groups of our addresses (RFC 4291 §2.8). */
  acceptsV6(buf: Uint8Array, off: number): boolean {
    if (buf[off] !== 0xff) return this.findV6(buf, off) !== undefined;
    if (bytes16Equal(buf, off, IPV6_ALL_NODES, 0)) return true;
    return this.isSolicitedNodeGroup(buf, off);
  }

  /** ff02::1:ffXX:XXXX for the low 24 bits of one of our addresses (RFC 4291 §2.7.1). */
  private isSolicitedNodeGroup(buf: Uint8Array, off: number): boolean {
    if (buf[off + 1] !== 0x02 || buf[off + 11] !== 0x01 || buf[off + 12] !== 0xff) return false;
    for (let i = 2; i < 11; i++) if (buf[off + i] !== 0) return false;
    for (const a of this.v6) {
      const x = a.address;
      if (x[13] === buf[off + 13] && x[14] === buf[off + 14] && x[15] === buf[off + 15]) return true;
    }
    return false;
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

  /** `inet` / `inet6` lines as `ip addr` shows them. */
  describe(): string[] {
    const lines: string[] = [];
    if (this.ipv4Prefix >= 0) lines.push(`inet ${formatIp(this.ipv4Address)}/${this.ipv4Prefix}`);
    for (const a of this.v6) lines.push(`inet6 ${formatIp(a.address)}/${a.prefixLength}`);
    return lines;
  }
}
