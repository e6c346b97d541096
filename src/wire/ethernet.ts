// Ethernet II (IEEE 802.3 §3.2.6 type field) with any number of 802.1Q / 802.1ad VLAN tags.
import { formatMac, writeMac } from './addr.js';
import { get16, need, set16 } from './bytes.js';
import { wireError } from './errors.js';
import { WireView } from './view.js';

export const EtherType = {
  IPv4: 0x0800,
  ARP: 0x0806,
  VLAN: 0x8100, // 802.1Q C-tag
  QinQ: 0x88a8, // 802.1ad S-tag
  QinQLegacy: 0x9100,
  IPv6: 0x86dd,
  LLDP: 0x88cc,
} as const;

export const ETHERNET_HEADER_LENGTH = 14;
const MAX_TAGS = 16;

function isTagTpid(t: number): boolean {
  return t === EtherType.VLAN || t === EtherType.QinQ || t === EtherType.QinQLegacy;
}

export interface VlanTag {
  /** The tag protocol identifier: 0x8100, 0x88a8 or 0x9100. */
  tpid: number;
  /** Priority code point (802.1p), 0-7. */
  pcp: number;
  /** Drop eligible indicator. */
  dei: boolean;
  /** VLAN identifier, 0-4095. */
  vid: number;
}

export interface EthernetRepr {
  dst: string;
  src: string;
  /** Outermost first. */
  vlans: VlanTag[];
  /** The type after the last tag. */
  etherType: number;
}

export class EthernetView extends WireView {
  static check(bytes: Uint8Array, offset = 0, length = bytes.length - offset): EthernetView {
    return new EthernetView().checkedWrap(bytes, offset, length);
  }

  validate(): void {
    need(this.length, ETHERNET_HEADER_LENGTH, 'ethernet');
    const tags = this.tagCount;
    if (tags > MAX_TAGS) wireError('bad-field', `ethernet: more than ${MAX_TAGS} VLAN tags`);
    need(this.length, ETHERNET_HEADER_LENGTH + 4 * tags, 'ethernet VLAN tags');
  }

  get dst(): string {
    return formatMac(this.bytes, this.offset);
  }
  set dst(mac: string) {
    writeMac(mac, this.bytes, this.offset);
  }
  get src(): string {
    return formatMac(this.bytes, this.offset + 6);
  }
  set src(mac: string) {
    writeMac(mac, this.bytes, this.offset + 6);
  }
  get dstIsMulticast(): boolean {
    return (this.bytes[this.offset] & 1) === 1;
  }

  /** Number of VLAN tags (stops at the end of the view). */
  get tagCount(): number {
    let n = 0;
    let o = this.offset + 12;
    const end = this.offset + this.length;
    while (o + 2 <= end && isTagTpid(get16(this.bytes, o)) && n <= MAX_TAGS) {
      n++;
      o += 4;
    }
    return n;
  }
  /** The type field after all tags. */
  get etherType(): number {
    return get16(this.bytes, this.offset + 12 + 4 * this.tagCount);
  }
  set etherType(v: number) {
    set16(this.bytes, this.offset + 12 + 4 * this.tagCount, v);
  }
  get headerLength(): number {
    return ETHERNET_HEADER_LENGTH + 4 * this.tagCount;
  }
  get payloadOffset(): number {
    return this.offset + this.headerLength;
  }
  get payload(): Uint8Array {
    return this.bytes.subarray(this.payloadOffset, this.offset + this.length);
  }
  tagTpid(i: number): number {
    return get16(this.bytes, this.offset + 12 + 4 * i);
  }
  tagPcp(i: number): number {
    return this.bytes[this.offset + 14 + 4 * i] >> 5;
  }
  tagDei(i: number): boolean {
    return (this.bytes[this.offset + 14 + 4 * i] & 0x10) !== 0;
  }
  tagVid(i: number): number {
    return get16(this.bytes, this.offset + 14 + 4 * i) & 0x0fff;
  }
}

export function ethernetHeaderLength(repr: EthernetRepr): number {
  return ETHERNET_HEADER_LENGTH + 4 * repr.vlans.length;
}

export function parseEthernet(input: EthernetView | Uint8Array): EthernetRepr {
  const v = input instanceof EthernetView ? input : EthernetView.check(input);
  const vlans: VlanTag[] = [];
  const tags = v.tagCount;
  for (let i = 0; i < tags; i++) {
    vlans.push({ tpid: v.tagTpid(i), pcp: v.tagPcp(i), dei: v.tagDei(i), vid: v.tagVid(i) });
  }
  return { dst: v.dst, src: v.src, vlans, etherType: v.etherType };
}

/** Writes the header at `offset`; returns the header length. */
export function emitEthernet(repr: EthernetRepr, bytes: Uint8Array, offset = 0): number {
  writeMac(repr.dst, bytes, offset);
  writeMac(repr.src, bytes, offset + 6);
  let o = offset + 12;
  for (const t of repr.vlans) {
    set16(bytes, o, t.tpid);
    set16(bytes, o + 2, ((t.pcp & 7) << 13) | (t.dei ? 0x1000 : 0) | (t.vid & 0x0fff));
    o += 4;
  }
  set16(bytes, o, repr.etherType);
  return o + 2 - offset;
}
