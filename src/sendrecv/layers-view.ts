// Where the network, transport and payload layers of a packet are, once link layers (Ether, Dot1Q,
// a cooked-capture Raw header) and IPv6 extension headers are skipped: what matching needs.

import type { Layer } from '../packet/layer.js';
import { ARPLayer } from '../packet/layers/arp.js';
import { Dot1QLayer, EtherLayer } from '../packet/layers/ether.js';
import { IPLayer } from '../packet/layers/ip.js';
import { IPv6ExtHdr, IPv6Layer } from '../packet/layers/ipv6.js';
import { RawLayer } from '../packet/layers/raw.js';
import { Packet } from '../packet/packet.js';

export type NetworkLayerOf = IPLayer | IPv6Layer | ARPLayer;

/** Index of the first layer above the link layers (Ether / Dot1Q), or -1 when there is none. */
export function networkIndex(layers: readonly Layer[]): number {
  for (let i = 0; i < layers.length; i++) {
    const l = layers[i];
    if (l instanceof EtherLayer || l instanceof Dot1QLayer) continue;
    return i;
  }
  return -1;
}

/** The network layer (IP, IPv6, ARP) at or above `from`, skipping link layers. */
export function networkLayer(
  layers: readonly Layer[],
  from = 0,
): { layer: NetworkLayerOf; index: number } | undefined {
  for (let i = from; i < layers.length; i++) {
    const l = layers[i];
    if (l instanceof IPLayer || l instanceof IPv6Layer || l instanceof ARPLayer)
      return { layer: l, index: i };
    if (!(l instanceof EtherLayer || l instanceof Dot1QLayer)) return undefined;
  }
  return undefined;
}

/** The layer right above a network layer at `index`, IPv6 extension headers skipped. */
export function upperIndex(layers: readonly Layer[], index: number): number {
  let i = index + 1;
  while (i < layers.length && layers[i] instanceof IPv6ExtHdr) i++;
  return i < layers.length ? i : -1;
}

/** Bytes carried above layer `index` (link padding excluded): a TCP segment's data length. */
export function payloadLength(layers: readonly Layer[], index: number): number {
  let n = 0;
  for (let i = index + 1; i < layers.length; i++) {
    const l = layers[i];
    if (l.isTrailer) continue;
    if (l instanceof RawLayer) n += l.load.length;
    else return n + builtLength(layers.slice(i));
  }
  return n;
}

function builtLength(layers: readonly Layer[]): number {
  let trailer = 0;
  for (const l of layers) if (l.isTrailer && l instanceof RawLayer) trailer += l.load.length;
  return new Packet(layers).build().length - trailer;
}
