// IPv6 fixed header (RFC 8200 §3) and its extension-header chain.
import { formatIpv6Address, writeIpv6Address } from './addr.js';
import { get16, get32, need, set16, set32 } from './bytes.js';
import { wireError } from './errors.js';
import {
  emitIpv6Extension,
  extensionLength,
  extensionType,
  findUpperLayer,
  type Ipv6ExtensionHeader,
  parseIpv6Extensions,
  type UpperLayer,
} from './ipv6-ext.js';
import { WireView } from './view.js';

export const IPV6_HEADER_LENGTH = 40;

export interface Ipv6Repr {
  trafficClass: number;
  flowLabel: number;
  hopLimit: number;
  src: string;
  dst: string;
  /** Extension headers in order; each one's next-header field is derived from its successor. */
  extensions: Ipv6ExtensionHeader[];
  /** The final next-header value: the upper-layer protocol (or 59 no next header, 50 ESP). */
  protocol: number;
  /** Bytes after the extension chain. */
  upperLayerLength: number;
  /** Parse only: offset of the upper-layer header from the start of the IPv6 header. */
  upperLayerOffset?: number;
}

export class Ipv6View extends WireView {
  static check(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Ipv6View {
    return new Ipv6View().checkedWrap(bytes, offset, length);
  }

  /** Checks the fixed header only; walk the chain with upperLayer() or parseIpv6. */
  validate(): void {
    need(this.length, IPV6_HEADER_LENGTH, 'ipv6');
    if (this.version !== 6) wireError('bad-version', `ipv6: version ${this.version}`);
    need(this.length, IPV6_HEADER_LENGTH + this.payloadLength, 'ipv6 payload length');
  }

  get version(): number {
    return this.bytes[this.offset] >> 4;
  }
  /** The high nibble of the first byte (RFC 8200 §3); the traffic class is kept. For crafting only. */
  set version(v: number) {
    this.bytes[this.offset] = ((v & 15) << 4) | (this.bytes[this.offset] & 15);
  }
  get trafficClass(): number {
    return (get16(this.bytes, this.offset) >> 4) & 0xff;
  }
  set trafficClass(v: number) {
    const o = this.offset;
    this.bytes[o] = 0x60 | ((v >> 4) & 15);
    this.bytes[o + 1] = ((v & 15) << 4) | (this.bytes[o + 1] & 15);
  }
  get flowLabel(): number {
    return get32(this.bytes, this.offset) & 0xfffff;
  }
  set flowLabel(v: number) {
    const o = this.offset;
    this.bytes[o + 1] = (this.bytes[o + 1] & 0xf0) | ((v >> 16) & 15);
    set16(this.bytes, o + 2, v & 0xffff);
  }
  get payloadLength(): number {
    return get16(this.bytes, this.offset + 4);
  }
  set payloadLength(v: number) {
    set16(this.bytes, this.offset + 4, v);
  }
  get nextHeader(): number {
    return this.bytes[this.offset + 6];
  }
  set nextHeader(v: number) {
    this.bytes[this.offset + 6] = v;
  }
  get hopLimit(): number {
    return this.bytes[this.offset + 7];
  }
  set hopLimit(v: number) {
    this.bytes[this.offset + 7] = v;
  }
  get src(): string {
    return formatIpv6Address(this.bytes, this.offset + 8);
  }
  get dst(): string {
    return formatIpv6Address(this.bytes, this.offset + 24);
  }
  get srcOffset(): number {
    return this.offset + 8;
  }
  get dstOffset(): number {
    return this.offset + 24;
  }
  /** End of the packet (payload length counts); later bytes are link padding. */
  get end(): number {
    return this.offset + IPV6_HEADER_LENGTH + this.payloadLength;
  }
  get paddingLength(): number {
    return Math.max(0, this.length - IPV6_HEADER_LENGTH - this.payloadLength);
  }
  /** Walks the extension chain into `out` (reuse one object on the hot path). */
  upperLayer(out: UpperLayer): UpperLayer {
    return findUpperLayer(this.bytes, this.offset + IPV6_HEADER_LENGTH, this.end, this.nextHeader, out);
  }
}

export function ipv6HeaderLength(repr: Ipv6Repr): number {
  let n = IPV6_HEADER_LENGTH;
  for (const h of repr.extensions) n += extensionLength(h);
  return n;
}

export function parseIpv6(input: Ipv6View | Uint8Array): Ipv6Repr {
  const v = input instanceof Ipv6View ? input : Ipv6View.check(input);
  const chain = parseIpv6Extensions(v.bytes, v.offset + IPV6_HEADER_LENGTH, v.end, v.nextHeader);
  return {
    trafficClass: v.trafficClass,
    flowLabel: v.flowLabel,
    hopLimit: v.hopLimit,
    src: v.src,
    dst: v.dst,
    extensions: chain.extensions,
    protocol: chain.protocol,
    upperLayerLength: v.end - chain.offset,
    upperLayerOffset: chain.offset - v.offset,
  };
}

/** Writes the fixed header and the extension chain at `offset`; returns their length. */
export function emitIpv6(repr: Ipv6Repr, bytes: Uint8Array, offset = 0): number {
  const hl = ipv6HeaderLength(repr);
  const payloadLength = hl - IPV6_HEADER_LENGTH + repr.upperLayerLength;
  if (payloadLength > 0xffff) wireError('bad-length', 'ipv6: payload over 65535 (jumbograms unsupported)');
  const b = bytes;
  set32(b, offset, (0x6 << 28) | ((repr.trafficClass & 0xff) << 20) | (repr.flowLabel & 0xfffff));
  set16(b, offset + 4, payloadLength);
  const exts = repr.extensions;
  b[offset + 6] = exts.length ? extensionType(exts[0]) : repr.protocol;
  b[offset + 7] = repr.hopLimit;
  writeIpv6Address(repr.src, b, offset + 8);
  writeIpv6Address(repr.dst, b, offset + 24);
  let o = offset + IPV6_HEADER_LENGTH;
  for (let i = 0; i < exts.length; i++) {
    const next = i + 1 < exts.length ? extensionType(exts[i + 1]) : repr.protocol;
    o += emitIpv6Extension(exts[i], next, b, o);
  }
  return hl;
}
