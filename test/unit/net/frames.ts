// Hand-built frames for the interface tests, written with raw offsets so that the tests do not
// reuse the code under test, plus a harness: a NetInterface on one end of a memory wire and a
// scripted peer on the other.
import { VirtualClock } from '../../../src/link/clock.js';
import { createMemoryWire, type MemoryDevice } from '../../../src/link/memory-wire.js';
import { NetInterface, type NetInterfaceOptions } from '../../../src/net/interface.js';
import { type IpAddr, parseIp } from '../../../src/net/ip-addr.js';
import { parseMac } from '../../../src/wire/addr.js';
import { internetChecksum, sumWords } from '../../../src/wire/checksum.js';

export const OUR_MAC = '02:00:00:00:00:02';
export const PEER_MAC = '02:00:00:00:00:01';
export const OUR_V4 = '10.9.0.2';
export const PEER_V4 = '10.9.0.1';
export const OUR_V6 = 'fd00:9::2';
export const PEER_V6 = 'fd00:9::1';

export function mac(text: string): Uint8Array {
  return parseMac(text);
}

export function v4(text: string): number {
  return parseIp(text) as number;
}

export function v6(text: string): Uint8Array {
  return parseIp(text) as Uint8Array;
}

function u16(n: number): number[] {
  return [(n >> 8) & 255, n & 255];
}

function u32(n: number): number[] {
  return [(n >>> 24) & 255, (n >>> 16) & 255, (n >>> 8) & 255, n & 255];
}

export function concat(...parts: Array<Uint8Array | number[]>): Uint8Array {
  const total = parts.reduce((n, p) => n + p.length, 0);
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function ethernet(
  dst: string | Uint8Array,
  src: string,
  type: number,
  payload: Uint8Array,
): Uint8Array {
  return concat(typeof dst === 'string' ? mac(dst) : dst, mac(src), u16(type), payload);
}

export function arp(op: number, sha: string, spa: string, tha: string, tpa: string): Uint8Array {
  return concat(u16(1), u16(0x0800), [6, 4], u16(op), mac(sha), u32(v4(spa)), mac(tha), u32(v4(tpa)));
}

export interface Ipv4Extra {
  id?: number;
  flagsOffset?: number;
  ttl?: number;
  totalLength?: number;
}

export function ipv4(
  src: string,
  dst: string,
  proto: number,
  payload: Uint8Array,
  x: Ipv4Extra = {},
): Uint8Array {
  const h = new Uint8Array([
    0x45,
    0,
    ...u16(x.totalLength ?? 20 + payload.length),
    ...u16(x.id ?? 0x1234),
    ...u16(x.flagsOffset ?? 0),
    x.ttl ?? 64,
    proto,
    0,
    0,
    ...u32(v4(src)),
    ...u32(v4(dst)),
  ]);
  const c = internetChecksum(h, 0, 20);
  h[10] = c >> 8;
  h[11] = c & 255;
  return concat(h, payload);
}

export function ipv6(src: string, dst: string, next: number, payload: Uint8Array, hop = 64): Uint8Array {
  return concat([0x60, 0, 0, 0, ...u16(payload.length), next, hop], v6(src), v6(dst), payload);
}

/** Fills a transport checksum at `at` over the whole upper-layer message with the pseudo-header. */
export function withChecksum(
  family: 4 | 6,
  src: string,
  dst: string,
  proto: number,
  msg: Uint8Array,
  at: number,
): Uint8Array {
  const out = msg.slice();
  out[at] = 0;
  out[at + 1] = 0;
  const s = family === 4 ? new Uint8Array(u32(v4(src))) : v6(src);
  const d = family === 4 ? new Uint8Array(u32(v4(dst))) : v6(dst);
  let pseudo = sumWords(s, 0, s.length) + sumWords(d, 0, d.length) + proto;
  pseudo += family === 4 ? out.length : Math.floor(out.length / 65536) + (out.length & 0xffff);
  const c = internetChecksum(out, 0, out.length, pseudo);
  out[at] = c >> 8;
  out[at + 1] = c & 255;
  return out;
}

export function icmp4Echo(type: number, id: number, seq: number, data: Uint8Array): Uint8Array {
  const m = concat([type, 0, 0, 0], u16(id), u16(seq), data);
  const c = internetChecksum(m, 0, m.length);
  m[2] = c >> 8;
  m[3] = c & 255;
  return m;
}

export function icmp6(
  type: number,
  code: number,
  rest: number[],
  body: Uint8Array,
  src: string,
  dst: string,
): Uint8Array {
  return withChecksum(6, src, dst, 58, concat([type, code, 0, 0], rest, body), 2);
}

export function neighborSolicit(src: string, dst: string, target: string, sll: string | null): Uint8Array {
  const opt = sll === null ? [] : [1, 1, ...mac(sll)];
  return icmp6(135, 0, [0, 0, 0, 0], concat(v6(target), opt), src, dst);
}

export function neighborAdvert(
  src: string,
  dst: string,
  target: string,
  flags: number,
  tll: string | null,
): Uint8Array {
  const opt = tll === null ? [] : [2, 1, ...mac(tll)];
  return icmp6(136, 0, [flags, 0, 0, 0], concat(v6(target), opt), src, dst);
}

export function udp(src: string, dst: string, sport: number, dport: number, data: Uint8Array): Uint8Array {
  const family = src.includes(':') ? 6 : 4;
  return withChecksum(
    family,
    src,
    dst,
    17,
    concat(u16(sport), u16(dport), u16(8 + data.length), [0, 0], data),
    6,
  );
}

export function tcpHeader(
  sport: number,
  dport: number,
  seq: number,
  ack: number,
  flags: number,
  window: number,
  options: number[] = [],
  payload: Uint8Array = new Uint8Array(0),
): Uint8Array {
  const hl = 20 + options.length;
  return concat(
    u16(sport),
    u16(dport),
    u32(seq),
    u32(ack),
    [(hl / 4) << 4, flags],
    u16(window),
    [0, 0, 0, 0],
    options,
    payload,
  );
}

/** A NetInterface on wire end `a`, frames captured on end `b`, a VirtualClock driving both. */
export class Harness {
  readonly clock = new VirtualClock(0);
  readonly wire;
  readonly iface: NetInterface;
  readonly peer: MemoryDevice;
  readonly received: Uint8Array[] = [];

  constructor(
    opts: Partial<NetInterfaceOptions> = {},
    wireOpts: { mtu?: number; linkType?: 'ethernet' | 'ip' } = {},
  ) {
    this.wire = createMemoryWire(this.clock, {
      mtu: wireOpts.mtu ?? 1500,
      linkType: wireOpts.linkType ?? 'ethernet',
    });
    this.peer = this.wire.b;
    this.peer.setReceiver((frame) => this.received.push(frame.slice()));
    const ethernet = (wireOpts.linkType ?? 'ethernet') === 'ethernet';
    this.iface = new NetInterface({
      device: this.wire.a,
      clock: this.clock,
      mac: ethernet ? OUR_MAC : undefined,
      ipv4: `${OUR_V4}/24`,
      ipv6: `${OUR_V6}/64`,
      gateway4: ethernet ? PEER_V4 : undefined,
      onHandlerError: (err) => {
        throw err;
      },
      ...opts,
    });
  }

  /** The peer sends a frame; it arrives at the interface (time advances by 0: delivered at once). */
  send(frame: Uint8Array): void {
    this.peer.transmit(frame);
    this.clock.advance(0);
  }

  /** Advance time, delivering frames both ways. */
  advance(ms: number): void {
    this.clock.advance(ms);
  }

  /**
   * The peer asks for our MAC by ARP (and, unless v4Only, by a neighbor solicitation), so the
   * interface learns the peer's MAC; the replies are taken and discarded.
   */
  learnPeer(opts: { v4Only?: boolean } = {}): void {
    this.send(
      ethernet('ff:ff:ff:ff:ff:ff', PEER_MAC, 0x0806, arp(1, PEER_MAC, PEER_V4, '00:00:00:00:00:00', OUR_V4)),
    );
    if (!opts.v4Only) {
      const ns = neighborSolicit(PEER_V6, 'ff02::1:ff00:2', OUR_V6, PEER_MAC);
      this.send(
        ethernet('33:33:ff:00:00:02', PEER_MAC, 0x86dd, ipv6(PEER_V6, 'ff02::1:ff00:2', 58, ns, 255)),
      );
    }
    this.take();
  }

  /** Frames the interface sent since the last call. */
  take(): Uint8Array[] {
    this.clock.advance(0);
    return this.received.splice(0);
  }
}

export function addrBytes(a: IpAddr): Uint8Array {
  return typeof a === 'number' ? new Uint8Array(u32(a)) : a;
}

/** Whether the upper-layer checksum of an IPv4/IPv6 packet at frame[off] verifies (no extension headers). */
export function l4ChecksumOk(frame: Uint8Array, off = 14): boolean {
  const family = frame[off] >> 4;
  const hl = family === 4 ? (frame[off] & 15) * 4 : 40;
  const len =
    family === 4 ? ((frame[off + 2] << 8) | frame[off + 3]) - hl : (frame[off + 4] << 8) | frame[off + 5];
  const proto = family === 4 ? frame[off + 9] : frame[off + 6];
  const addrLen = family === 4 ? 4 : 16;
  const srcAt = family === 4 ? off + 12 : off + 8;
  let sum = sumWords(frame, srcAt, addrLen * 2) + len + (family === 4 && proto === 1 ? -len : proto);
  if (family === 4 && proto === 1) sum = 0; // ICMPv4 has no pseudo-header
  sum = sumWords(frame, off + hl, len, sum);
  while (sum > 0xffff) sum = (sum & 0xffff) + Math.floor(sum / 65536);
  return sum === 0xffff;
}
