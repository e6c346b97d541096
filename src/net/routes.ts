// The routing table: connected routes and gateways for IPv4 and IPv6, longest prefix match
// (RFC 1812 §5.2.4.3). Tables are tiny (a handful of routes), so a list kept sorted by prefix
// length, longest first, is both simplest and fastest.
import { formatIp, type IpAddr, ipv4Mask, ipv6PrefixMatch } from './ip-addr.js';

export interface Route {
  /** Network address (host bits may be set; they are ignored). */
  destination: IpAddr;
  prefixLength: number;
  /** Next-hop router; undefined for a connected (on-link) route. */
  gateway?: IpAddr;
  /** Lower wins among routes of the same prefix length. */
  metric: number;
}

export class RouteTable {
  private readonly v4: Route[] = [];
  private readonly v6: Route[] = [];

  add(route: Route): void {
    const list = typeof route.destination === 'number' ? this.v4 : this.v6;
    list.push(route);
    list.sort((a, b) => b.prefixLength - a.prefixLength || a.metric - b.metric);
  }

  /** Removes every route with this destination and prefix length. Returns how many were removed. */
  remove(destination: IpAddr, prefixLength: number): number {
    const list = typeof destination === 'number' ? this.v4 : this.v6;
    let removed = 0;
    for (let i = list.length - 1; i >= 0; i--) {
      const r = list[i];
      if (r.prefixLength === prefixLength && matches(r, destination)) {
        list.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  /** The most specific route covering `dst`, or undefined (no route to host). */
  lookup(dst: IpAddr): Route | undefined {
    const list = typeof dst === 'number' ? this.v4 : this.v6;
    for (let i = 0; i < list.length; i++) if (matches(list[i], dst)) return list[i];
    return undefined;
  }

  /** The address to resolve on the link for `dst`: the gateway, or `dst` itself when on-link. */
  nextHop(dst: IpAddr): IpAddr | undefined {
    const route = this.lookup(dst);
    if (route === undefined) return undefined;
    return route.gateway ?? dst;
  }

  routes(): Route[] {
    return [...this.v4, ...this.v6];
  }

  /** `ip route`-like text, one route a line. */
  describe(): string[] {
    return this.routes().map((r) => {
      const dst = r.prefixLength === 0 ? 'default' : `${formatIp(r.destination)}/${r.prefixLength}`;
      return r.gateway === undefined ? `${dst} dev (link)` : `${dst} via ${formatIp(r.gateway)}`;
    });
  }
}

function matches(route: Route, dst: IpAddr): boolean {
  const d = route.destination;
  if (typeof d === 'number') {
    if (typeof dst !== 'number') return false;
    const mask = ipv4Mask(route.prefixLength);
    return (d & mask) >>> 0 === (dst & mask) >>> 0;
  }
  if (typeof dst === 'number') return false;
  return ipv6PrefixMatch(d, dst, route.prefixLength);
}
