// ICMP for IPv4 (RFC 792; next-hop MTU RFC 1191 §4).
import { formatIpv4Address, parseIpv4Address } from './addr.js';
import { get16, get32, need, placeBytes, set16, set32 } from './bytes.js';
import { checksumVerifies, internetChecksum } from './checksum.js';
import { wireError } from './errors.js';
import { ICMP_HEADER_LENGTH, type IcmpEchoRepr, IcmpHeaderView, parseIcmpEcho } from './icmp-header.js';

export const Icmpv4Type = {
  EchoReply: 0,
  DestinationUnreachable: 3,
  Redirect: 5,
  EchoRequest: 8,
  TimeExceeded: 11,
  ParameterProblem: 12,
} as const;

export const ICMPV4_HEADER_LENGTH = ICMP_HEADER_LENGTH;

export type Icmpv4Repr =
  | IcmpEchoRepr
  /** `invoking`: the quoted IP header + at least 8 bytes of the datagram that caused the error. */
  | { kind: 'destination-unreachable'; code: number; nextHopMtu: number; invoking: Uint8Array }
  | { kind: 'time-exceeded'; code: number; invoking: Uint8Array }
  | { kind: 'redirect'; code: number; gateway: string; invoking: Uint8Array }
  | { kind: 'parameter-problem'; code: number; pointer: number; invoking: Uint8Array }
  /** Any other type, or a known one with non-zero unused bits: kept as the 4 header bytes + data. */
  | { kind: 'other'; type: number; code: number; rest: number; data: Uint8Array };

export class Icmpv4View extends IcmpHeaderView {
  static check(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Icmpv4View {
    return new Icmpv4View().checkedWrap(bytes, offset, length);
  }
  protected get label(): string {
    return 'icmpv4';
  }
  verifyChecksum(): boolean {
    return checksumVerifies(this.bytes, this.offset, this.length);
  }
  fillChecksum(): void {
    this.checksum = 0;
    this.checksum = internetChecksum(this.bytes, this.offset, this.length);
  }
}

export function icmpv4Length(repr: Icmpv4Repr): number {
  return ICMPV4_HEADER_LENGTH + ('invoking' in repr ? repr.invoking.length : repr.data.length);
}

export function parseIcmpv4(
  input: Icmpv4View | Uint8Array,
  opts: { verifyChecksum?: boolean } = {},
): Icmpv4Repr {
  const v = input instanceof Icmpv4View ? input : Icmpv4View.check(input);
  if (opts.verifyChecksum && !v.verifyChecksum()) wireError('bad-checksum', 'icmpv4: checksum');
  const { type, code, rest, data } = v;
  switch (type) {
    case Icmpv4Type.EchoRequest:
    case Icmpv4Type.EchoReply:
      return parseIcmpEcho(v, Icmpv4Type.EchoRequest);
    case Icmpv4Type.DestinationUnreachable:
      if (rest >>> 16 === 0)
        return { kind: 'destination-unreachable', code, nextHopMtu: rest & 0xffff, invoking: data };
      break;
    case Icmpv4Type.TimeExceeded:
      if (rest === 0) return { kind: 'time-exceeded', code, invoking: data };
      break;
    case Icmpv4Type.Redirect:
      return { kind: 'redirect', code, gateway: formatIpv4Address(v.bytes, v.offset + 4), invoking: data };
    case Icmpv4Type.ParameterProblem:
      if ((rest & 0xffffff) === 0)
        return { kind: 'parameter-problem', code, pointer: rest >>> 24, invoking: data };
      break;
  }
  return { kind: 'other', type, code, rest, data };
}

function typeOf(repr: Icmpv4Repr): number {
  switch (repr.kind) {
    case 'echo-request':
      return Icmpv4Type.EchoRequest;
    case 'echo-reply':
      return Icmpv4Type.EchoReply;
    case 'destination-unreachable':
      return Icmpv4Type.DestinationUnreachable;
    case 'time-exceeded':
      return Icmpv4Type.TimeExceeded;
    case 'redirect':
      return Icmpv4Type.Redirect;
    case 'parameter-problem':
      return Icmpv4Type.ParameterProblem;
    default:
      return repr.type;
  }
}

function restOf(repr: Icmpv4Repr): number {
  switch (repr.kind) {
    case 'echo-request':
    case 'echo-reply':
      return ((repr.identifier & 0xffff) * 0x10000 + (repr.sequence & 0xffff)) >>> 0;
    case 'destination-unreachable':
      return repr.nextHopMtu & 0xffff;
    case 'time-exceeded':
      return 0;
    case 'redirect':
      return get32(parseIpv4Address(repr.gateway), 0);
    case 'parameter-problem':
      return (repr.pointer & 0xff) * 0x1000000;
    default:
      return repr.rest;
  }
}

/** Writes the message with its checksum at `offset`; returns its length. */
export function emitIcmpv4(repr: Icmpv4Repr, bytes: Uint8Array, offset = 0, checksum?: number): number {
  const len = icmpv4Length(repr);
  bytes[offset] = typeOf(repr);
  bytes[offset + 1] = repr.code;
  set16(bytes, offset + 2, 0);
  set32(bytes, offset + 4, restOf(repr));
  placeBytes(bytes, offset + ICMPV4_HEADER_LENGTH, 'invoking' in repr ? repr.invoking : repr.data);
  set16(bytes, offset + 2, checksum ?? internetChecksum(bytes, offset, len));
  return len;
}

/** What an ICMP error quotes: the offending IP header and the start of its payload (RFC 792). */
export interface QuotedIpv4 {
  src: string;
  dst: string;
  protocol: number;
  identification: number;
  /** The quoted transport bytes (normally the first 8). */
  transport: Uint8Array;
  /** From the transport bytes when the protocol is TCP or UDP and 4 bytes are there; else -1. */
  srcPort: number;
  dstPort: number;
}

/** Reads the quoted datagram of an ICMPv4 error leniently (the quote is often truncated). */
export function parseQuotedIpv4(invoking: Uint8Array): QuotedIpv4 {
  need(invoking.length, 20, 'icmp quoted ipv4 header');
  if (invoking[0] >> 4 !== 4) wireError('bad-version', 'icmp quote is not IPv4');
  const hl = (invoking[0] & 15) * 4;
  if (hl < 20) wireError('bad-length', 'icmp quote: bad header length');
  need(invoking.length, hl, 'icmp quoted ipv4 options');
  const transport = invoking.subarray(hl);
  const protocol = invoking[9];
  const ports = (protocol === 6 || protocol === 17) && transport.length >= 4;
  return {
    src: formatIpv4Address(invoking, 12),
    dst: formatIpv4Address(invoking, 16),
    protocol,
    identification: get16(invoking, 4),
    transport,
    srcPort: ports ? get16(transport, 0) : -1,
    dstPort: ports ? get16(transport, 2) : -1,
  };
}
