// ICMPv6 (RFC 4443) and Neighbor Discovery messages (RFC 4861 §4). Checksum over the IPv6 pseudo-header.
import { formatIpv6Address, parseIpv6Address } from './addr.js';
import { get16, get32, need, placeBytes, set16, set32 } from './bytes.js';
import { checksumVerifies, internetChecksum, type PseudoHeader, pseudoHeaderSum } from './checksum.js';
import { wireError } from './errors.js';
import { type IcmpEchoRepr, IcmpHeaderView, parseIcmpEcho } from './icmp-header.js';
import { emitNdpOptions, type NdpOption, ndpOptionsLength, parseNdpOptions } from './ndp-options.js';

export const Icmpv6Type = {
  DestinationUnreachable: 1,
  PacketTooBig: 2,
  TimeExceeded: 3,
  ParameterProblem: 4,
  EchoRequest: 128,
  EchoReply: 129,
  RouterSolicitation: 133,
  RouterAdvertisement: 134,
  NeighborSolicitation: 135,
  NeighborAdvertisement: 136,
} as const;

const PROTO_ICMPV6 = 58;

export type Icmpv6Repr =
  | IcmpEchoRepr
  | { kind: 'destination-unreachable' | 'time-exceeded'; code: number; invoking: Uint8Array }
  | { kind: 'packet-too-big'; code: number; mtu: number; invoking: Uint8Array }
  | { kind: 'parameter-problem'; code: number; pointer: number; invoking: Uint8Array }
  | { kind: 'router-solicitation'; code: number; options: NdpOption[] }
  | {
      kind: 'router-advertisement';
      code: number;
      curHopLimit: number;
      managed: boolean;
      other: boolean;
      /** The remaining 6 flag bits (home agent, preference, proxy, ...). */
      flags: number;
      routerLifetime: number;
      reachableTime: number;
      retransTimer: number;
      options: NdpOption[];
    }
  | { kind: 'neighbor-solicitation'; code: number; target: string; options: NdpOption[] }
  | {
      kind: 'neighbor-advertisement';
      code: number;
      router: boolean;
      solicited: boolean;
      override: boolean;
      target: string;
      options: NdpOption[];
    }
  /** Any other type, or a known one with non-zero reserved bits: the bytes after the checksum. */
  | { kind: 'other'; type: number; code: number; body: Uint8Array };

export class Icmpv6View extends IcmpHeaderView {
  static check(bytes: Uint8Array, offset = 0, length = bytes.length - offset): Icmpv6View {
    return new Icmpv6View().checkedWrap(bytes, offset, length);
  }
  protected get label(): string {
    return 'icmpv6';
  }
  /** RFC 4443 §2.3: the checksum covers the IPv6 pseudo-header (`pseudoSum`) and the message. */
  verifyChecksum(pseudoSum: number): boolean {
    return checksumVerifies(this.bytes, this.offset, this.length, pseudoSum);
  }
  fillChecksum(pseudoSum: number): void {
    this.checksum = 0;
    this.checksum = internetChecksum(this.bytes, this.offset, this.length, pseudoSum);
  }
}
/** Pseudo-header sum for ICMPv6 (next header 58) over a message of `length` bytes. */
export function icmpv6PseudoSum(pseudo: PseudoHeader, length: number): number {
  return pseudoHeaderSum(pseudo, PROTO_ICMPV6, length);
}

function parseNdp(v: Icmpv6View, code: number): Icmpv6Repr | null {
  const b = v.bytes;
  const o = v.offset;
  const end = o + v.length;
  switch (v.type) {
    case Icmpv6Type.RouterSolicitation:
      if (v.rest !== 0) return null;
      return { kind: 'router-solicitation', code, options: parseNdpOptions(b, o + 8, end) };
    case Icmpv6Type.RouterAdvertisement:
      need(v.length, 16, 'router advertisement');
      return {
        kind: 'router-advertisement',
        code,
        curHopLimit: b[o + 4],
        managed: (b[o + 5] & 0x80) !== 0,
        other: (b[o + 5] & 0x40) !== 0,
        flags: b[o + 5] & 0x3f,
        routerLifetime: get16(b, o + 6),
        reachableTime: get32(b, o + 8),
        retransTimer: get32(b, o + 12),
        options: parseNdpOptions(b, o + 16, end),
      };
    case Icmpv6Type.NeighborSolicitation:
      need(v.length, 24, 'neighbor solicitation');
      if (v.rest !== 0) return null;
      return {
        kind: 'neighbor-solicitation',
        code,
        target: formatIpv6Address(b, o + 8),
        options: parseNdpOptions(b, o + 24, end),
      };
    case Icmpv6Type.NeighborAdvertisement: {
      need(v.length, 24, 'neighbor advertisement');
      if ((v.rest & 0x1fffffff) !== 0) return null;
      return {
        kind: 'neighbor-advertisement',
        code,
        router: (b[o + 4] & 0x80) !== 0,
        solicited: (b[o + 4] & 0x40) !== 0,
        override: (b[o + 4] & 0x20) !== 0,
        target: formatIpv6Address(b, o + 8),
        options: parseNdpOptions(b, o + 24, end),
      };
    }
  }
  return null;
}

export function parseIcmpv6(
  input: Icmpv6View | Uint8Array,
  opts: { pseudo?: PseudoHeader } = {},
): Icmpv6Repr {
  const v = input instanceof Icmpv6View ? input : Icmpv6View.check(input);
  if (opts.pseudo && !v.verifyChecksum(icmpv6PseudoSum(opts.pseudo, v.length))) {
    wireError('bad-checksum', 'icmpv6: checksum');
  }
  const { type, code, rest } = v;
  const data = v.data;
  switch (type) {
    case Icmpv6Type.EchoRequest:
    case Icmpv6Type.EchoReply:
      return parseIcmpEcho(v, Icmpv6Type.EchoRequest);
    case Icmpv6Type.DestinationUnreachable:
    case Icmpv6Type.TimeExceeded:
      if (rest === 0)
        return {
          kind: type === Icmpv6Type.DestinationUnreachable ? 'destination-unreachable' : 'time-exceeded',
          code,
          invoking: data,
        };
      break;
    case Icmpv6Type.PacketTooBig:
      return { kind: 'packet-too-big', code, mtu: rest, invoking: data };
    case Icmpv6Type.ParameterProblem:
      return { kind: 'parameter-problem', code, pointer: rest, invoking: data };
    default: {
      const ndp = parseNdp(v, code);
      if (ndp) return ndp;
    }
  }
  return { kind: 'other', type, code, body: v.bytes.subarray(v.offset + 4, v.offset + v.length) };
}

const TYPES: Record<Exclude<Icmpv6Repr['kind'], 'other'>, number> = {
  'destination-unreachable': Icmpv6Type.DestinationUnreachable,
  'packet-too-big': Icmpv6Type.PacketTooBig,
  'time-exceeded': Icmpv6Type.TimeExceeded,
  'parameter-problem': Icmpv6Type.ParameterProblem,
  'echo-request': Icmpv6Type.EchoRequest,
  'echo-reply': Icmpv6Type.EchoReply,
  'router-solicitation': Icmpv6Type.RouterSolicitation,
  'router-advertisement': Icmpv6Type.RouterAdvertisement,
  'neighbor-solicitation': Icmpv6Type.NeighborSolicitation,
  'neighbor-advertisement': Icmpv6Type.NeighborAdvertisement,
};

export function icmpv6Length(repr: Icmpv6Repr): number {
  switch (repr.kind) {
    case 'echo-request':
    case 'echo-reply':
      return 8 + repr.data.length;
    case 'router-solicitation':
      return 8 + ndpOptionsLength(repr.options);
    case 'router-advertisement':
      return 16 + ndpOptionsLength(repr.options);
    case 'neighbor-solicitation':
    case 'neighbor-advertisement':
      return 24 + ndpOptionsLength(repr.options);
    case 'other':
      return 4 + repr.body.length;
    default:
      return 8 + repr.invoking.length;
  }
}

function emitBody(repr: Icmpv6Repr, b: Uint8Array, o: number): void {
  switch (repr.kind) {
    case 'echo-request':
    case 'echo-reply':
      set16(b, o + 4, repr.identifier);
      set16(b, o + 6, repr.sequence);
      placeBytes(b, o + 8, repr.data);
      return;
    case 'destination-unreachable':
    case 'time-exceeded':
    case 'packet-too-big':
    case 'parameter-problem':
      set32(
        b,
        o + 4,
        repr.kind === 'packet-too-big' ? repr.mtu : repr.kind === 'parameter-problem' ? repr.pointer : 0,
      );
      placeBytes(b, o + 8, repr.invoking);
      return;
    case 'router-solicitation':
      set32(b, o + 4, 0);
      emitNdpOptions(repr.options, b, o + 8);
      return;
    case 'router-advertisement':
      b[o + 4] = repr.curHopLimit;
      b[o + 5] = (repr.managed ? 0x80 : 0) | (repr.other ? 0x40 : 0) | (repr.flags & 0x3f);
      set16(b, o + 6, repr.routerLifetime);
      set32(b, o + 8, repr.reachableTime);
      set32(b, o + 12, repr.retransTimer);
      emitNdpOptions(repr.options, b, o + 16);
      return;
    case 'neighbor-solicitation':
    case 'neighbor-advertisement': {
      const na = repr.kind === 'neighbor-advertisement';
      set32(b, o + 4, 0);
      if (na) b[o + 4] = (repr.router ? 0x80 : 0) | (repr.solicited ? 0x40 : 0) | (repr.override ? 0x20 : 0);
      b.set(parseIpv6Address(repr.target), o + 8);
      emitNdpOptions(repr.options, b, o + 24);
      return;
    }
    default:
      placeBytes(b, o + 4, repr.body);
  }
}

/**
 * Writes the message at `offset`; returns its length. The checksum needs the IPv6 addresses
 * (RFC 4443 §2.3): without `pseudo` it is left 0 unless `checksum` is given.
 */
export function emitIcmpv6(
  repr: Icmpv6Repr,
  bytes: Uint8Array,
  offset = 0,
  pseudo: PseudoHeader | null = null,
  checksum?: number,
): number {
  const len = icmpv6Length(repr);
  bytes[offset] = repr.kind === 'other' ? repr.type : TYPES[repr.kind];
  bytes[offset + 1] = repr.code;
  set16(bytes, offset + 2, 0);
  emitBody(repr, bytes, offset);
  if (checksum !== undefined) set16(bytes, offset + 2, checksum);
  else if (pseudo) {
    set16(bytes, offset + 2, internetChecksum(bytes, offset, len, icmpv6PseudoSum(pseudo, len)));
  }
  return len;
}
