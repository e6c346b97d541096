// The "addr:" prefixes of a transport summary ("10.0.0.1:1234 > 10.0.0.2:http"), from the layer below.
import type { Layer } from '../layer.js';
import { IPLayer } from './ip.js';
import { IPv6Layer } from './ipv6.js';

export function transportAddresses(below: Layer | undefined): [string, string] {
  if (below instanceof IPLayer || below instanceof IPv6Layer) return [`${below.src}:`, `${below.dst}:`];
  return ['', ''];
}
