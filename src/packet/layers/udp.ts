// UDP (Scapy's UDP, RFC 768). src/wire's UdpView writes the fields; the checksum covers the
// pseudo-header of the IP/IPv6 layer below (RFC 768, RFC 8200 §8.1).
import { foldSum, sumWords } from '../../wire/checksum.js';
import { UDP_HEADER_LENGTH, UdpView } from '../../wire/udp.js';
import type { BuildContext } from '../build-context.js';
import {
  assignFields,
  type FieldSpec,
  isNetworkLayer,
  Layer,
  layerFactory,
  type SummaryContext,
} from '../layer.js';
import { portName } from '../names.js';
import { transportAddresses } from './transport-summary.js';

const PROTO_UDP = 17;

export interface UDPFields {
  sport?: number;
  dport?: number;
  /** Auto: header + payload length. */
  len?: number;
  /** Auto: computed over the pseudo-header; 0 means "none" (IPv4 only). */
  chksum?: number;
}

const UDP_FIELDS: readonly FieldSpec[] = [
  { name: 'sport', kind: 'int' },
  { name: 'dport', kind: 'int' },
  { name: 'len', kind: 'int' },
  { name: 'chksum', kind: 'hex' },
];

export class UDPLayer extends Layer {
  sport = 53;
  dport = 53;
  len: number | undefined = undefined;
  chksum: number | undefined = undefined;

  constructor(fields?: UDPFields) {
    super();
    assignFields(this, fields);
  }
  get name(): string {
    return 'UDP';
  }
  get fields(): readonly FieldSpec[] {
    return UDP_FIELDS;
  }
  override get ipProtocolNumber(): number {
    return PROTO_UDP;
  }
  headerLength(): number {
    return UDP_HEADER_LENGTH;
  }
  emit(ctx: BuildContext, index: number): void {
    const v = view.wrap(ctx.bytes, ctx.start(index), UDP_HEADER_LENGTH);
    v.srcPort = this.sport;
    v.dstPort = this.dport;
    v.udpLength = this.len ?? ctx.length(index);
    v.checksum = this.chksum ?? 0;
  }
  override finalize(ctx: BuildContext, index: number): void {
    if (this.chksum !== undefined) return;
    const ip = ctx.findBelow(index, isNetworkLayer);
    if (!ip) return; // no pseudo-header: leave 0 ("no checksum")
    const o = ctx.start(index);
    const len = ctx.length(index);
    const pseudo = ip.pseudoHeaderSum(ctx, ctx.layers.indexOf(ip), PROTO_UDP, len);
    const sum = ~foldSum(sumWords(ctx.bytes, o, len, pseudo)) & 0xffff;
    // RFC 768: a computed 0 is sent as all ones (0 means "no checksum").
    view.wrap(ctx.bytes, o, UDP_HEADER_LENGTH).checksum = sum === 0 ? 0xffff : sum;
  }
  override summaryPart(ctx: SummaryContext): string {
    const [src, dst] = transportAddresses(ctx.below);
    return `UDP ${src}${portName(this.sport)} > ${dst}${portName(this.dport)}`;
  }
  static fromView(v: UdpView): UDPLayer {
    const l = new UDPLayer();
    l.sport = v.srcPort;
    l.dport = v.dstPort;
    l.len = v.udpLength;
    l.chksum = v.checksum;
    return l;
  }
}

const view = new UdpView();

export const UDP = layerFactory(UDPLayer, 'UDP');
export type UDP = UDPLayer;
