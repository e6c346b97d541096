// IPv4 header (RFC 791 §3.1, DSCP/ECN per RFC 2474 / RFC 3168).
import { formatIpv4Address, writeIpv4Address } from './addr.js';
import { get16, get32, need, set16, set32 } from './bytes.js';
import { checksumVerifies, internetChecksum } from './checksum.js';
import { wireError } from './errors.js';
import { WireView } from './view.js';

export const IpProtocol = {
  HopByHop: 0,
  ICMP: 1,
  IGMP: 2,
  TCP: 6,
  UDP: 17,
  IPv6Route: 43,
  IPv6Fragment: 44,
  ESP: 50,
  AH: 51,
  ICMPv6: 58,
  IPv6NoNext: 59,
  IPv6Options: 60,
} as const;

export const IPV4_MIN_HEADER_LENGTH = 20;

export interface Ipv4Repr {
  dscp: number;
  ecn: number;
  identification: number;
  /** The reserved ("evil") bit, RFC 791 bit 0 of the flags. */
  reservedFlag: boolean;
  dontFragment: boolean;
  moreFragments: boolean;
  /** In units of 8 bytes (RFC 791). */
  fragmentOffset: number;
  ttl: number;
  protocol: number;
  src: string;
  dst: string;
  /** The raw options area, a multiple of 4 bytes (decode with decodeIpv4Options). */
  options: Uint8Array;
  /** Bytes after the header (total length - header length). */
  payloadLength: number;
  /** Emit only: write this checksum instead of the correct one (for crafting bad packets). */
  checksum?: number;
}

export class Ipv4View extends WireView {
  static check(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Ipv4View {
    return new Ipv4View().checkedWrap(bytes, offset, length);
  }

  validate(): void {
    need(this.length, IPV4_MIN_HEADER_LENGTH, 'ipv4');
    if (this.version !== 4) wireError('bad-version', `ipv4: version ${this.version}`);
    const hl = this.headerLength;
    if (hl < IPV4_MIN_HEADER_LENGTH) wireError('bad-length', `ipv4: header length ${hl}`);
    need(this.length, hl, 'ipv4 options');
    const total = this.totalLength;
    if (total < hl) wireError('bad-length', `ipv4: total length ${total} < header length ${hl}`);
    need(this.length, total, 'ipv4 total length');
  }

  get version(): number {
    return this.bytes[this.offset] >> 4;
  }
  /** The high nibble of the first byte (RFC 791 §3.1); the IHL is kept. For crafting only. */
  set version(v: number) {
    this.bytes[this.offset] = ((v & 15) << 4) | (this.bytes[this.offset] & 15);
  }
  /** Header length in bytes (IHL * 4). */
  get headerLength(): number {
    return (this.bytes[this.offset] & 15) * 4;
  }
  set headerLength(n: number) {
    this.bytes[this.offset] = 0x40 | ((n >> 2) & 15);
  }
  get dscp(): number {
    return this.bytes[this.offset + 1] >> 2;
  }
  set dscp(v: number) {
    this.bytes[this.offset + 1] = ((v & 63) << 2) | (this.bytes[this.offset + 1] & 3);
  }
  get ecn(): number {
    return this.bytes[this.offset + 1] & 3;
  }
  set ecn(v: number) {
    this.bytes[this.offset + 1] = (this.bytes[this.offset + 1] & 0xfc) | (v & 3);
  }
  get totalLength(): number {
    return get16(this.bytes, this.offset + 2);
  }
  set totalLength(v: number) {
    set16(this.bytes, this.offset + 2, v);
  }
  get identification(): number {
    return get16(this.bytes, this.offset + 4);
  }
  set identification(v: number) {
    set16(this.bytes, this.offset + 4, v);
  }
  get reservedFlag(): boolean {
    return (this.bytes[this.offset + 6] & 0x80) !== 0;
  }
  get dontFragment(): boolean {
    return (this.bytes[this.offset + 6] & 0x40) !== 0;
  }
  set dontFragment(on: boolean) {
    this.bytes[this.offset + 6] = on
      ? this.bytes[this.offset + 6] | 0x40
      : this.bytes[this.offset + 6] & ~0x40;
  }
  set reservedFlag(on: boolean) {
    this.bytes[this.offset + 6] = on
      ? this.bytes[this.offset + 6] | 0x80
      : this.bytes[this.offset + 6] & ~0x80;
  }
  get moreFragments(): boolean {
    return (this.bytes[this.offset + 6] & 0x20) !== 0;
  }
  set moreFragments(on: boolean) {
    this.bytes[this.offset + 6] = on
      ? this.bytes[this.offset + 6] | 0x20
      : this.bytes[this.offset + 6] & ~0x20;
  }
  /** In units of 8 bytes. */
  get fragmentOffset(): number {
    return get16(this.bytes, this.offset + 6) & 0x1fff;
  }
  set fragmentOffset(v: number) {
    set16(this.bytes, this.offset + 6, (get16(this.bytes, this.offset + 6) & 0xe000) | (v & 0x1fff));
  }
  get isFragment(): boolean {
    return this.moreFragments || this.fragmentOffset !== 0;
  }
  get ttl(): number {
    return this.bytes[this.offset + 8];
  }
  set ttl(v: number) {
    this.bytes[this.offset + 8] = v;
  }
  get protocol(): number {
    return this.bytes[this.offset + 9];
  }
  set protocol(v: number) {
    this.bytes[this.offset + 9] = v;
  }
  get checksum(): number {
    return get16(this.bytes, this.offset + 10);
  }
  set checksum(v: number) {
    set16(this.bytes, this.offset + 10, v);
  }
  /** Source address as an unsigned 32-bit number. */
  get srcNumber(): number {
    return get32(this.bytes, this.offset + 12);
  }
  set srcNumber(v: number) {
    set32(this.bytes, this.offset + 12, v);
  }
  get dstNumber(): number {
    return get32(this.bytes, this.offset + 16);
  }
  set dstNumber(v: number) {
    set32(this.bytes, this.offset + 16, v);
  }
  get src(): string {
    return formatIpv4Address(this.bytes, this.offset + 12);
  }
  get dst(): string {
    return formatIpv4Address(this.bytes, this.offset + 16);
  }
  get srcOffset(): number {
    return this.offset + 12;
  }
  get dstOffset(): number {
    return this.offset + 16;
  }
  get options(): Uint8Array {
    return this.bytes.subarray(this.offset + 20, this.offset + this.headerLength);
  }
  get payloadOffset(): number {
    return this.offset + this.headerLength;
  }
  get payloadLength(): number {
    return this.totalLength - this.headerLength;
  }
  get payload(): Uint8Array {
    return this.bytes.subarray(this.payloadOffset, this.offset + this.totalLength);
  }
  /** Bytes after the total length: Ethernet minimum-frame padding, not part of the packet. */
  get paddingLength(): number {
    return Math.max(0, this.length - this.totalLength);
  }
  verifyChecksum(): boolean {
    return checksumVerifies(this.bytes, this.offset, this.headerLength);
  }
  fillChecksum(): void {
    this.checksum = 0;
    this.checksum = internetChecksum(this.bytes, this.offset, this.headerLength);
  }
}

export function ipv4HeaderLength(repr: Ipv4Repr): number {
  return IPV4_MIN_HEADER_LENGTH + ((repr.options.length + 3) & ~3);
}

export interface Ipv4ParseOptions {
  /** Throw WireError('bad-checksum') when the header checksum does not verify. */
  verifyChecksum?: boolean;
}

export function parseIpv4(input: Ipv4View | Uint8Array, opts: Ipv4ParseOptions = {}): Ipv4Repr {
  const v = input instanceof Ipv4View ? input : Ipv4View.check(input);
  if (opts.verifyChecksum && !v.verifyChecksum()) wireError('bad-checksum', 'ipv4: header checksum');
  return {
    dscp: v.dscp,
    ecn: v.ecn,
    identification: v.identification,
    reservedFlag: v.reservedFlag,
    dontFragment: v.dontFragment,
    moreFragments: v.moreFragments,
    fragmentOffset: v.fragmentOffset,
    ttl: v.ttl,
    protocol: v.protocol,
    src: v.src,
    dst: v.dst,
    options: v.options.slice(),
    payloadLength: v.payloadLength,
  };
}

/** Writes the header (with its checksum) at `offset`; returns the header length. */
export function emitIpv4(repr: Ipv4Repr, bytes: Uint8Array, offset = 0): number {
  const hl = ipv4HeaderLength(repr);
  if (hl > 60) wireError('bad-length', `ipv4: options of ${repr.options.length} bytes exceed 40`);
  if (hl + repr.payloadLength > 0xffff) wireError('bad-length', 'ipv4: total length over 65535');
  const b = bytes;
  b[offset] = 0x40 | (hl >> 2);
  b[offset + 1] = ((repr.dscp & 63) << 2) | (repr.ecn & 3);
  set16(b, offset + 2, hl + repr.payloadLength);
  set16(b, offset + 4, repr.identification);
  const flags =
    (repr.reservedFlag ? 0x8000 : 0) | (repr.dontFragment ? 0x4000 : 0) | (repr.moreFragments ? 0x2000 : 0);
  set16(b, offset + 6, flags | (repr.fragmentOffset & 0x1fff));
  b[offset + 8] = repr.ttl;
  b[offset + 9] = repr.protocol;
  set16(b, offset + 10, 0);
  writeIpv4Address(repr.src, b, offset + 12);
  writeIpv4Address(repr.dst, b, offset + 16);
  b.set(repr.options, offset + 20);
  b.fill(0, offset + 20 + repr.options.length, offset + hl);
  set16(b, offset + 10, repr.checksum ?? internetChecksum(b, offset, hl));
  return hl;
}
