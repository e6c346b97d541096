// Scapy's summary(): the topmost layer that has something to say says it; every layer below is
// named by its class ("Ether / IP / TCP 10.0.0.1:1234 > 10.0.0.2:http S / Raw").
import type { Layer } from './layer.js';

export function summarize(layers: readonly Layer[]): string {
  let spoken = -1;
  let said = '';
  for (let i = layers.length - 1; i >= 0 && spoken < 0; i--) {
    const part = layers[i].summaryPart({ below: layers[i - 1] });
    if (part !== undefined) {
      spoken = i;
      said = part;
    }
  }
  let out = '';
  for (let i = 0; i < layers.length; i++) {
    const part = i === spoken ? said : layers[i].summaryName;
    out += i === 0 ? part : ` / ${part}`;
  }
  return out;
}
