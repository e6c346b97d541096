// ARP (RFC 826). Ethernet/IPv4 is decoded; any other hardware/protocol pair is kept raw.
import { formatIpv4Address, formatMac, parseIpv4Address, parseMac } from './addr.js';
import { get16, need, set16 } from './bytes.js';
import { wireError } from './errors.js';
import { WireView } from './view.js';

export const ArpOperation = { Request: 1, Reply: 2, RarpRequest: 3, RarpReply: 4 } as const;
export const ARP_HTYPE_ETHERNET = 1;
const PTYPE_IPV4 = 0x0800;

export interface ArpEthernetIpv4Repr {
  kind: 'ethernet-ipv4';
  operation: number;
  senderMac: string;
  senderIp: string;
  targetMac: string;
  targetIp: string;
}

export interface ArpRawRepr {
  kind: 'raw';
  hardwareType: number;
  protocolType: number;
  operation: number;
  senderHardware: Uint8Array;
  senderProtocol: Uint8Array;
  targetHardware: Uint8Array;
  targetProtocol: Uint8Array;
}

export type ArpRepr = ArpEthernetIpv4Repr | ArpRawRepr;

export class ArpView extends WireView {
  static check(bytes: Uint8Array, offset = 0, length = bytes.length - offset): ArpView {
    return new ArpView().checkedWrap(bytes, offset, length);
  }
  validate(): void {
    need(this.length, 8, 'arp');
    need(this.length, this.packetLength, 'arp addresses');
  }
  // RFC 826 "Packet format": ar$hrd, ar$pro, ar$hln, ar$pln. The setters write the field only
  // (crafting): the address fields after them are not moved.
  get hardwareType(): number {
    return get16(this.bytes, this.offset);
  }
  set hardwareType(v: number) {
    set16(this.bytes, this.offset, v);
  }
  get protocolType(): number {
    return get16(this.bytes, this.offset + 2);
  }
  set protocolType(v: number) {
    set16(this.bytes, this.offset + 2, v);
  }
  get hardwareLength(): number {
    return this.bytes[this.offset + 4];
  }
  set hardwareLength(v: number) {
    this.bytes[this.offset + 4] = v;
  }
  get protocolLength(): number {
    return this.bytes[this.offset + 5];
  }
  set protocolLength(v: number) {
    this.bytes[this.offset + 5] = v;
  }
  get operation(): number {
    return get16(this.bytes, this.offset + 6);
  }
  set operation(v: number) {
    set16(this.bytes, this.offset + 6, v);
  }
  /** 8 + 2 * (hlen + plen); bytes after it are link padding. */
  get packetLength(): number {
    return 8 + 2 * (this.hardwareLength + this.protocolLength);
  }
  get senderHardwareOffset(): number {
    return this.offset + 8;
  }
  get senderProtocolOffset(): number {
    return this.offset + 8 + this.hardwareLength;
  }
  get targetHardwareOffset(): number {
    return this.offset + 8 + this.hardwareLength + this.protocolLength;
  }
  get targetProtocolOffset(): number {
    return this.offset + 8 + 2 * this.hardwareLength + this.protocolLength;
  }
  get isEthernetIpv4(): boolean {
    return (
      this.hardwareType === ARP_HTYPE_ETHERNET &&
      this.protocolType === PTYPE_IPV4 &&
      this.hardwareLength === 6 &&
      this.protocolLength === 4
    );
  }
}

export function arpPacketLength(repr: ArpRepr): number {
  if (repr.kind === 'ethernet-ipv4') return 28;
  return 8 + 2 * (repr.senderHardware.length + repr.senderProtocol.length);
}

export function parseArp(input: ArpView | Uint8Array): ArpRepr {
  const v = input instanceof ArpView ? input : ArpView.check(input);
  const b = v.bytes;
  if (v.isEthernetIpv4) {
    return {
      kind: 'ethernet-ipv4',
      operation: v.operation,
      senderMac: formatMac(b, v.senderHardwareOffset),
      senderIp: formatIpv4Address(b, v.senderProtocolOffset),
      targetMac: formatMac(b, v.targetHardwareOffset),
      targetIp: formatIpv4Address(b, v.targetProtocolOffset),
    };
  }
  const hl = v.hardwareLength;
  const pl = v.protocolLength;
  return {
    kind: 'raw',
    hardwareType: v.hardwareType,
    protocolType: v.protocolType,
    operation: v.operation,
    senderHardware: b.slice(v.senderHardwareOffset, v.senderHardwareOffset + hl),
    senderProtocol: b.slice(v.senderProtocolOffset, v.senderProtocolOffset + pl),
    targetHardware: b.slice(v.targetHardwareOffset, v.targetHardwareOffset + hl),
    targetProtocol: b.slice(v.targetProtocolOffset, v.targetProtocolOffset + pl),
  };
}

/** Writes the packet at `offset`; returns its length. */
export function emitArp(repr: ArpRepr, bytes: Uint8Array, offset = 0): number {
  if (repr.kind === 'ethernet-ipv4') {
    set16(bytes, offset, ARP_HTYPE_ETHERNET);
    set16(bytes, offset + 2, PTYPE_IPV4);
    bytes[offset + 4] = 6;
    bytes[offset + 5] = 4;
    set16(bytes, offset + 6, repr.operation);
    bytes.set(parseMac(repr.senderMac), offset + 8);
    bytes.set(parseIpv4Address(repr.senderIp), offset + 14);
    bytes.set(parseMac(repr.targetMac), offset + 18);
    bytes.set(parseIpv4Address(repr.targetIp), offset + 24);
    return 28;
  }
  const hl = repr.senderHardware.length;
  const pl = repr.senderProtocol.length;
  if (repr.targetHardware.length !== hl || repr.targetProtocol.length !== pl || hl > 255 || pl > 255) {
    wireError('bad-length', 'arp: sender and target addresses differ in length');
  }
  set16(bytes, offset, repr.hardwareType);
  set16(bytes, offset + 2, repr.protocolType);
  bytes[offset + 4] = hl;
  bytes[offset + 5] = pl;
  set16(bytes, offset + 6, repr.operation);
  let o = offset + 8;
  for (const part of [repr.senderHardware, repr.senderProtocol, repr.targetHardware, repr.targetProtocol]) {
    bytes.set(part, o);
    o += part.length;
  }
  return o - offset;
}
