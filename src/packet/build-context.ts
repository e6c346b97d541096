// Where each layer sits in the buffer being built, and what surrounds it (for auto fields).
import type { Layer } from './layer.js';

export class BuildContext {
  readonly starts: number[];
  readonly headerLengths: number[];
  /** End of the upper-layer data of each layer: the start of the first trailer (padding) above it. */
  readonly ends: number[];
  bytes: Uint8Array = new Uint8Array(0);

  constructor(readonly layers: readonly Layer[]) {
    const n = layers.length;
    this.starts = new Array<number>(n);
    this.headerLengths = new Array<number>(n);
    this.ends = new Array<number>(n);
    let offset = 0;
    for (let i = 0; i < n; i++) {
      this.starts[i] = offset;
      const len = layers[i].headerLength(this);
      this.headerLengths[i] = len;
      offset += len;
    }
    let end = offset;
    for (let i = n - 1; i >= 0; i--) {
      if (layers[i].isTrailer) end = this.starts[i];
      this.ends[i] = end;
    }
    this.bytes = allocate(offset);
  }

  get totalLength(): number {
    return this.bytes.length;
  }
  start(i: number): number {
    return this.starts[i];
  }
  payloadStart(i: number): number {
    return this.starts[i] + this.headerLengths[i];
  }
  /** Header + payload length of layer i (trailing padding excluded). */
  length(i: number): number {
    return this.ends[i] - this.starts[i];
  }
  payloadLength(i: number): number {
    return this.ends[i] - this.payloadStart(i);
  }
  above(i: number): Layer | undefined {
    const next = this.layers[i + 1];
    return next?.isTrailer ? undefined : next;
  }
  below(i: number): Layer | undefined {
    return this.layers[i - 1];
  }
  /** The nearest layer below i that satisfies `test` (e.g. the IP header a TCP checksum needs). */
  findBelow<T extends Layer>(i: number, test: (l: Layer) => l is T): T | undefined {
    for (let j = i - 1; j >= 0; j--) {
      const l = this.layers[j];
      if (test(l)) return l;
    }
    return undefined;
  }
}

// Built packets are carved out of shared 64 KiB slabs (like Node's Buffer pool): one ArrayBuffer per
// ~hundreds of packets instead of one per packet. Every region is handed out once, so it is still zero.
const SLAB_SIZE = 64 * 1024;
let slab = new Uint8Array(SLAB_SIZE);
let slabUsed = 0;

function allocate(length: number): Uint8Array {
  if (length > SLAB_SIZE / 8) return new Uint8Array(length);
  if (slabUsed + length > SLAB_SIZE) {
    slab = new Uint8Array(SLAB_SIZE);
    slabUsed = 0;
  }
  const out = slab.subarray(slabUsed, slabUsed + length);
  // Keep 8-byte alignment for the next packet.
  slabUsed = (slabUsed + length + 7) & ~7;
  return out;
}
