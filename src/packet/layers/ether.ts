// Ethernet II and 802.1Q/802.1ad tags (Scapy's Ether and Dot1Q). Both are written by src/wire's
// emitEthernet: the Ether layer emits its header plus the tags of the Dot1Q layers right above it.
import { formatMac } from '../../wire/addr.js';
import { type EthernetView, emitEthernet, type VlanTag } from '../../wire/ethernet.js';
import type { BuildContext } from '../build-context.js';
import { assignFields, type FieldSpec, Layer, layerFactory } from '../layer.js';
import { ETHER_TYPE_NAMES } from '../names.js';

/** The type Scapy uses when nothing above says what follows (0x9000, "LOOP"). */
const DEFAULT_ETHER_TYPE = 0x9000;
const VLAN_TPID = 0x8100;
const NO_TAGS: VlanTag[] = [];

export interface EtherFields {
  dst?: string;
  src?: string;
  /** Auto: from the layer above (IP 0x0800, IPv6 0x86dd, ARP 0x0806, Dot1Q 0x8100). */
  type?: number;
}

const ETHER_FIELDS: readonly FieldSpec[] = [
  { name: 'dst', kind: 'str' },
  { name: 'src', kind: 'str' },
  { name: 'type', kind: 'enum', names: ETHER_TYPE_NAMES },
];

function typeFor(layer: Layer | undefined): number {
  return layer?.etherTypeNumber ?? DEFAULT_ETHER_TYPE;
}

export class EtherLayer extends Layer {
  /** Storage of dst/src; undefined while they are only in `_raw` (dissected, not yet read). */
  _dst: string | undefined = 'ff:ff:ff:ff:ff:ff';
  _src: string | undefined = '00:00:00:00:00:00';
  /** The dissected header, for addresses formatted on first read. */
  _raw: Uint8Array | undefined = undefined;
  _at = 0;
  type: number | undefined = undefined;

  constructor(fields?: EtherFields) {
    super();
    assignFields(this, fields);
  }
  get dst(): string {
    if (this._dst === undefined) this._dst = formatMac(this._raw as Uint8Array, this._at);
    return this._dst;
  }
  set dst(mac: string) {
    this._dst = mac;
  }
  get src(): string {
    if (this._src === undefined) this._src = formatMac(this._raw as Uint8Array, this._at + 6);
    return this._src;
  }
  set src(mac: string) {
    this._src = mac;
  }
  get name(): string {
    return 'Ethernet';
  }
  override get summaryName(): string {
    return 'Ether';
  }
  get fields(): readonly FieldSpec[] {
    return ETHER_FIELDS;
  }
  headerLength(): number {
    return 14;
  }
  override autoValue(field: string, above: Layer | undefined): unknown {
    return field === 'type' ? typeFor(above) : undefined;
  }
  emit(ctx: BuildContext, index: number): void {
    let tpid = this.type ?? typeFor(ctx.above(index));
    if (!(ctx.layers[index + 1] instanceof Dot1QLayer)) {
      emitEthernet(
        { dst: this.dst, src: this.src, vlans: NO_TAGS, etherType: tpid },
        ctx.bytes,
        ctx.start(index),
      );
      return;
    }
    const vlans: VlanTag[] = [];
    let i = index + 1;
    for (; ctx.layers[i] instanceof Dot1QLayer; i++) {
      const tag = ctx.layers[i] as Dot1QLayer;
      vlans.push({ tpid, pcp: tag.prio, dei: tag.dei, vid: tag.vlan });
      tpid = tag.type ?? typeFor(ctx.above(i));
    }
    emitEthernet({ dst: this.dst, src: this.src, vlans, etherType: tpid }, ctx.bytes, ctx.start(index));
  }
  override summaryPart(): string {
    return `${this.src} > ${this.dst} (${ETHER_TYPE_NAMES[this.type ?? -1] ?? this.type ?? 'auto'})`;
  }
  /** Reads the fixed header (tags are separate Dot1Q layers). */
  static fromView(v: EthernetView): EtherLayer {
    const l = new EtherLayer();
    // The addresses are read from the bytes when first asked for (most dissections never do).
    l._raw = v.bytes;
    l._at = v.offset;
    l._dst = undefined;
    l._src = undefined;
    l.type = v.tagCount > 0 ? v.tagTpid(0) : v.etherType;
    return l;
  }
}

export interface Dot1QFields {
  /** Priority code point (802.1p). */
  prio?: number;
  /** Drop eligible indicator. */
  dei?: boolean;
  vlan?: number;
  /** Auto: the type of what follows the tag. */
  type?: number;
}

const DOT1Q_FIELDS: readonly FieldSpec[] = [
  { name: 'prio', kind: 'int' },
  { name: 'dei', kind: 'bool' },
  { name: 'vlan', kind: 'int' },
  { name: 'type', kind: 'enum', names: ETHER_TYPE_NAMES },
];

export class Dot1QLayer extends Layer {
  prio = 0;
  dei = false;
  vlan = 1;
  type: number | undefined = undefined;

  constructor(fields?: Dot1QFields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return '802.1Q';
  }
  override get summaryName(): string {
    return 'Dot1Q';
  }
  get fields(): readonly FieldSpec[] {
    return DOT1Q_FIELDS;
  }
  override get etherTypeNumber(): number {
    return VLAN_TPID;
  }
  headerLength(): number {
    return 4;
  }
  override autoValue(field: string, above: Layer | undefined): unknown {
    return field === 'type' ? typeFor(above) : undefined;
  }
  emit(): void {
    // Written by the Ether layer below (src/wire emits the tags with the Ethernet header).
  }
  override summaryPart(): string {
    return `802.1q vlan ${this.vlan}`;
  }
  static fromView(v: EthernetView, i: number): Dot1QLayer {
    const l = new Dot1QLayer();
    l.prio = v.tagPcp(i);
    l.dei = v.tagDei(i);
    l.vlan = v.tagVid(i);
    l.type = i + 1 < v.tagCount ? v.tagTpid(i + 1) : v.etherType;
    return l;
  }
}

export const Ether = layerFactory(EtherLayer, 'Ethernet');
export type Ether = EtherLayer;
export const Dot1Q = layerFactory(Dot1QLayer, '802.1Q');
export type Dot1Q = Dot1QLayer;
