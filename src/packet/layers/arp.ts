// ARP for Ethernet/IPv4 (Scapy's ARP, RFC 826), written by src/wire's emitArp. Other hardware/protocol
// pairs are left to Raw by dissect.
import { formatIpv4Address as formatIpAt, formatMac as formatMacAt } from '../../wire/addr.js';
import { ArpView, emitArp } from '../../wire/arp.js';
import type { BuildContext } from '../build-context.js';
import { assignFields, type FieldSpec, Layer, layerFactory } from '../layer.js';
import { ARP_OP_NAMES, ETHER_TYPE_NAMES } from '../names.js';

export interface ARPFields {
  hwtype?: number;
  ptype?: number;
  /** Auto: 6. */
  hwlen?: number;
  /** Auto: 4. */
  plen?: number;
  /** 1 / 'who-has' (request), 2 / 'is-at' (reply). */
  op?: number | 'who-has' | 'is-at';
  hwsrc?: string;
  psrc?: string;
  hwdst?: string;
  pdst?: string;
}

const ARP_FIELDS: readonly FieldSpec[] = [
  { name: 'hwtype', kind: 'hex' },
  { name: 'ptype', kind: 'enum', names: ETHER_TYPE_NAMES },
  { name: 'hwlen', kind: 'int' },
  { name: 'plen', kind: 'int' },
  { name: 'op', kind: 'enum', names: ARP_OP_NAMES },
  { name: 'hwsrc', kind: 'str' },
  { name: 'psrc', kind: 'str' },
  { name: 'hwdst', kind: 'str' },
  { name: 'pdst', kind: 'str' },
];

export class ARPLayer extends Layer {
  hwtype = 1;
  ptype = 0x0800;
  hwlen: number | undefined = undefined;
  plen: number | undefined = undefined;
  _op = 1;
  hwsrc = '00:00:00:00:00:00';
  psrc = '0.0.0.0';
  hwdst = '00:00:00:00:00:00';
  pdst = '0.0.0.0';

  constructor(fields?: ARPFields) {
    super();
    assignFields(this, fields);
  }
  get op(): number {
    return this._op;
  }
  set op(v: number | 'who-has' | 'is-at') {
    this._op = v === 'who-has' ? 1 : v === 'is-at' ? 2 : v;
  }
  get name(): string {
    return 'ARP';
  }
  get fields(): readonly FieldSpec[] {
    return ARP_FIELDS;
  }
  override get etherTypeNumber(): number {
    return 0x0806;
  }
  headerLength(): number {
    return 28;
  }
  emit(ctx: BuildContext, index: number): void {
    const o = ctx.start(index);
    emitArp(
      {
        kind: 'ethernet-ipv4',
        operation: this._op,
        senderMac: this.hwsrc,
        senderIp: this.psrc,
        targetMac: this.hwdst,
        targetIp: this.pdst,
      },
      ctx.bytes,
      o,
    );
    // Hand-set header fields (RFC 826 order: hrd, pro, hln, pln) written over the Ethernet/IPv4 ones.
    const v = view.wrap(ctx.bytes, o, ctx.length(index));
    if (this.hwtype !== 1) v.hardwareType = this.hwtype;
    if (this.ptype !== 0x0800) v.protocolType = this.ptype;
    if (this.hwlen !== undefined) v.hardwareLength = this.hwlen;
    if (this.plen !== undefined) v.protocolLength = this.plen;
  }
  override summaryPart(): string {
    if (this._op === 1) return `ARP who has ${this.pdst} says ${this.psrc}`;
    if (this._op === 2) return `ARP is at ${this.hwsrc} says ${this.psrc}`;
    return `ARP ${ARP_OP_NAMES[this._op] ?? this._op} ${this.psrc} > ${this.pdst}`;
  }
  /** Only for Ethernet/IPv4 ARP (view.isEthernetIpv4). */
  static fromView(v: ArpView): ARPLayer {
    const l = new ARPLayer();
    l.hwlen = 6;
    l.plen = 4;
    l._op = v.operation;
    const b = v.bytes;
    l.hwsrc = formatMacAt(b, v.senderHardwareOffset);
    l.psrc = formatIpAt(b, v.senderProtocolOffset);
    l.hwdst = formatMacAt(b, v.targetHardwareOffset);
    l.pdst = formatIpAt(b, v.targetProtocolOffset);
    return l;
  }
}

const view = new ArpView();

export const ARP = layerFactory(ARPLayer, 'ARP');
export type ARP = ARPLayer;
