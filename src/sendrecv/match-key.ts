// Hash keys for sr(): a sent packet and every packet that can answer it get the same key, so a
// received packet is compared only with the few sent packets in its bucket (Scapy's hashret()).
// Keys are deliberately coarse; answers() makes the exact decision.
import type { Layer } from '../packet/layer.js';
import { ARPLayer } from '../packet/layers/arp.js';
import { ICMPLayer } from '../packet/layers/icmp.js';
import {
  ICMPv6EchoRequestLayer,
  ICMPv6ErrorLayer,
  ICMPv6ND_NALayer,
  ICMPv6ND_NSLayer,
} from '../packet/layers/icmpv6.js';
import { IPLayer } from '../packet/layers/ip.js';
import { IPv6Layer } from '../packet/layers/ipv6.js';
import { RawLayer } from '../packet/layers/raw.js';
import { TCPLayer } from '../packet/layers/tcp.js';
import { UDPLayer } from '../packet/layers/udp.js';
import type { Packet } from '../packet/packet.js';
import { canonicalAddress, isGroupAddress } from './addresses.js';
import { networkLayer, upperIndex } from './layers-view.js';

/** The key of a packet, or undefined when it can match anything (scanned for every packet). */
export function matchKey(pkt: Packet): string | undefined {
  const n = networkLayer(pkt.layers);
  if (!n) return undefined;
  if (n.layer instanceof ARPLayer) {
    // A request (odd op) is keyed by the address asked for, the reply by the address answering.
    return `arp ${n.layer.op & 1 ? n.layer.pdst : n.layer.psrc}`;
  }
  return ipKey(pkt.layers, n.index, false);
}

function ipKey(layers: readonly Layer[], index: number, quoted: boolean): string | undefined {
  const ip = layers[index] as IPLayer | IPv6Layer;
  const ui = upperIndex(layers, index);
  const upper = ui < 0 ? undefined : layers[ui];
  if (!quoted && ((upper instanceof ICMPLayer && upper.isError) || upper instanceof ICMPv6ErrorLayer)) {
    const q = layers[ui + 1];
    return q instanceof IPLayer || q instanceof IPv6Layer ? ipKey(layers, ui + 1, true) : undefined;
  }
  if (upper instanceof ICMPv6ND_NSLayer || upper instanceof ICMPv6ND_NALayer)
    return `nd ${canonicalAddress(upper.tgt)}`;
  if (upper instanceof ICMPLayer) return `icmp ${upper.id} ${upper.seq}`;
  if (upper instanceof ICMPv6EchoRequestLayer) return `icmp6 ${upper.id} ${upper.seq}`;
  if (quoted && upper instanceof RawLayer && isIcmpProtocol(ip)) return quotedEchoKey(ip, upper.load);
  if (!quoted && isGroupAddress(ip.dst)) return undefined;
  const a = canonicalAddress(ip.src);
  const b = canonicalAddress(ip.dst);
  const hosts = a < b ? `${a} ${b}` : `${b} ${a}`;
  const ports = portsOf(upper);
  return ports === undefined ? `ip ${hosts}` : `ip ${hosts} ${ports}`;
}

function portsOf(upper: Layer | undefined): string | undefined {
  let p: number;
  let q: number;
  if (upper instanceof TCPLayer || upper instanceof UDPLayer) {
    p = upper.sport;
    q = upper.dport;
  } else if (upper instanceof RawLayer && upper.load.length >= 4) {
    // A quote cut before a whole transport header still has the ports.
    p = (upper.load[0] << 8) | upper.load[1];
    q = (upper.load[2] << 8) | upper.load[3];
  } else return undefined;
  return p < q ? `${p} ${q}` : `${q} ${p}`;
}

function isIcmpProtocol(ip: IPLayer | IPv6Layer): boolean {
  return ip instanceof IPLayer ? ip.proto === 1 : ip.nh === 58;
}

/** An echo request quoted by an error stays raw bytes: type, code, checksum, id, seq. */
function quotedEchoKey(ip: IPLayer | IPv6Layer, b: Uint8Array): string | undefined {
  const v6 = ip instanceof IPv6Layer;
  if (b.length < 8 || b[0] !== (v6 ? 128 : 8)) return undefined;
  return `${v6 ? 'icmp6' : 'icmp'} ${(b[4] << 8) | b[5]} ${(b[6] << 8) | b[7]}`;
}
