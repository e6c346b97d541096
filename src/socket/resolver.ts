// Name resolution for stack.connect(): literal addresses pass through; names go to the system
// resolver (dns.lookup, i.e. getaddrinfo with /etc/hosts) by default, or — with a `dns` server — to
// DNS queries sent as UDP from the userspace stack itself (dns.ts), retried on the stack's clock.

import { randomInt } from 'node:crypto';
import { lookup as systemLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import type { Clock, TimerId } from '../link/clock.js';
import { type IpAddr, parseIpAddr } from './address.js';
import {
  addressesFor,
  buildDnsQuery,
  type DnsQueryType,
  DnsRcode,
  DnsType,
  parseDnsResponse,
} from './dns.js';
import type { TcpTransport } from './transport.js';

export interface LookupOptions {
  /** 0 (default): IPv4 and IPv6; 4 or 6: only that family. */
  family?: 0 | 4 | 6;
}

export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** What the resolver needs from the stack. */
export interface ResolverHost {
  readonly clock: Clock;
  readonly transport: TcpTransport;
}

const DNS_PORT = 53;
const QUERY_TIMEOUT_MS = 2000;
const QUERY_ATTEMPTS = 3;

export function lookupError(code: 'ENOTFOUND' | 'ETIMEOUT' | 'ESERVFAIL' | 'ENODATA', host: string): Error {
  const err = new Error(`getaddrinfo ${code} ${host}`) as Error & Record<string, unknown>;
  err.code = code;
  err.syscall = 'getaddrinfo';
  err.hostname = host;
  return err;
}

export class Resolver {
  private readonly server: IpAddr | null;
  private readonly inFlight = new Set<() => void>();

  constructor(
    private readonly host: ResolverHost,
    dnsServer?: string,
  ) {
    this.server = dnsServer === undefined ? null : parseIpAddr(dnsServer);
    if (dnsServer !== undefined && this.server === null) {
      throw new TypeError(`dns: expected a server IP address, got ${JSON.stringify(dnsServer)}`);
    }
  }

  async lookup(host: string, options: LookupOptions = {}): Promise<ResolvedAddress[]> {
    const family = options.family ?? 0;
    const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
    const literal = isIP(bare);
    if (literal !== 0) return [{ address: bare, family: literal as 4 | 6 }];
    if (this.server === null) {
      const found = await systemLookup(bare, { all: true, family });
      return found.map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
    }
    return this.queryServer(this.server, bare, family);
  }

  close(): void {
    for (const cancel of [...this.inFlight]) cancel();
  }

  private async queryServer(server: IpAddr, name: string, family: 0 | 4 | 6): Promise<ResolvedAddress[]> {
    const types: DnsQueryType[] =
      family === 4 ? [DnsType.A] : family === 6 ? [DnsType.AAAA] : [DnsType.A, DnsType.AAAA];
    const results = await Promise.allSettled(types.map((t) => this.queryType(server, name, t)));
    const out: ResolvedAddress[] = [];
    for (const r of results) if (r.status === 'fulfilled') out.push(...r.value);
    if (out.length > 0) return out;
    const failure = results.find((r) => r.status === 'rejected');
    throw failure ? (failure as PromiseRejectedResult).reason : lookupError('ENOTFOUND', name);
  }

  /** One question, retried QUERY_ATTEMPTS times with a fresh id and port (RFC 5452 §9.2). */
  private queryType(server: IpAddr, name: string, type: DnsQueryType): Promise<ResolvedAddress[]> {
    const udp = this.host.transport.udp;
    if (udp === undefined)
      return Promise.reject(new Error('this interface has no UDP: cannot send DNS queries'));
    const source = this.host.transport.sourceFor(server);
    if (source === null) return Promise.reject(lookupError('ENOTFOUND', name));
    return new Promise((resolve, reject) => {
      let attempt = 0;
      let timer: TimerId = 0;
      let unbind: () => void = () => {};
      let id = 0;
      const finish = (): void => {
        unbind();
        if (timer !== 0) this.host.clock.clearTimer(timer);
        this.inFlight.delete(cancel);
      };
      const cancel = (): void => {
        finish();
        reject(lookupError('ETIMEOUT', name));
      };
      const send = (): void => {
        unbind();
        if (attempt++ >= QUERY_ATTEMPTS) {
          cancel();
          return;
        }
        id = randomU16();
        const port = 49152 + (randomU16() % 16384);
        unbind = udp.bind(port, (src, srcPort, payload) => {
          if (srcPort !== DNS_PORT || typeof src !== typeof server) return;
          let response: ReturnType<typeof parseDnsResponse>;
          try {
            response = parseDnsResponse(payload);
          } catch {
            return; // malformed: ignore, keep waiting (counted by nobody: a resolver is not a sniffer)
          }
          if (response.id !== id) return;
          finish();
          if (response.rcode === DnsRcode.NXDOMAIN) return reject(lookupError('ENOTFOUND', name));
          if (response.rcode !== DnsRcode.NOERROR) return reject(lookupError('ESERVFAIL', name));
          const addrs = addressesFor(response, name, type);
          if (addrs.length === 0) return reject(lookupError('ENODATA', name));
          resolve(addrs.map((address) => ({ address, family: type === DnsType.A ? 4 : 6 })));
        });
        udp.send(source, port, server, DNS_PORT, buildDnsQuery(id, name, type));
        this.host.transport.flush();
        timer = this.host.clock.setTimer(this.host.clock.now() + QUERY_TIMEOUT_MS, send);
      };
      this.inFlight.add(cancel);
      send();
    });
  }
}

function randomU16(): number {
  return randomInt(0x10000);
}
