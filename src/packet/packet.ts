// A packet: an ordered list of layers (bottom first), built into bytes on demand.
import { BuildContext } from './build-context.js';
import { hexdump } from './hexdump.js';
import type { Layer, LayerType } from './layer.js';
import { showPacket } from './show.js';
import { summarize } from './summary.js';

/** A capture timestamp: whole seconds since the epoch plus nanoseconds. */
export interface PacketTime {
  seconds: number;
  nanoseconds: number;
}

export class Packet<L extends readonly Layer[] = readonly Layer[]> {
  /** The bytes this packet was dissected from (undefined for packets made in code). */
  original?: Uint8Array;
  /** Capture time, when the packet came from a capture file. */
  time?: PacketTime;
  /** The capture's link type (1 Ethernet, 101 raw IP, ...), when it came from a capture file. */
  linkType?: number;

  constructor(readonly layers: L) {}

  /** Stacks a layer (or another packet's layers) on top: Ether().over(IP()).over(TCP()). Layers are shared, not copied. */
  over<N extends Layer>(next: N): Packet<[...L, N]>;
  over<M extends readonly Layer[]>(next: Packet<M>): Packet<[...L, ...M]>;
  over(next: Layer | Packet): Packet {
    const more = next instanceof Packet ? next.layers : [next];
    return new Packet([...this.layers, ...more]);
  }

  /** The first layer of this type; throws when there is none (use find() to test). */
  get<T extends Layer>(type: LayerType<T>): T {
    const l = this.find(type);
    if (!l)
      throw new Error(`packet has no ${type.layerName} layer (it has ${this.layerNames().join(' / ')})`);
    return l;
  }
  /** The first layer of this type (the nth with `nth`), or undefined. */
  find<T extends Layer>(type: LayerType<T>, nth = 0): T | undefined {
    let seen = 0;
    for (const l of this.layers) {
      if (l instanceof (type as unknown as abstract new (...a: never[]) => T) && seen++ === nth) return l;
    }
    return undefined;
  }
  has(type: LayerType): boolean {
    return this.find(type) !== undefined;
  }
  layerNames(): string[] {
    return this.layers.map((l) => l.summaryName);
  }

  /** The bytes: auto fields (lengths, checksums, protocol numbers) computed, hand-set fields kept. */
  build(): Uint8Array {
    const ctx = new BuildContext(this.layers);
    const layers = this.layers;
    for (let i = 0; i < layers.length; i++) layers[i].emit(ctx, i);
    for (let i = layers.length - 1; i >= 0; i--) layers[i].finalize(ctx, i);
    return ctx.bytes;
  }
  /** A deep copy (layers copied). */
  copy(): Packet<L> {
    const p = new Packet(this.layers.map((l) => l.copy()) as unknown as L);
    p.time = this.time;
    p.linkType = this.linkType;
    return p;
  }

  /** Scapy's show(): every field of every layer; unset auto fields print as None. */
  show(): string {
    return showPacket(this.layers);
  }
  /** Scapy's summary(): "Ether / IP / TCP 10.0.0.1:1234 > 10.0.0.2:http S". */
  summary(): string {
    return summarize(this.layers);
  }
  /** Scapy/tcpdump -X style hex and ASCII of the built (or original) bytes. */
  hexdump(): string {
    return hexdump(this.original ?? this.build());
  }
  /** Each layer's fields, for --json: [{ layer: 'TCP', sport: 1234, ... }, ...]. */
  toJSON(): Record<string, unknown>[] {
    return this.layers.map(layerToJSON);
  }
}

function layerToJSON(l: Layer): Record<string, unknown> {
  const out: Record<string, unknown> = { layer: l.summaryName };
  for (const f of l.fields) out[f.name] = jsonValue(l.field(f.name));
  const err = (l as { error?: Error }).error;
  if (err) out.error = `${err.name}: ${err.message}`;
  return out;
}

function jsonValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  if (Array.isArray(v)) return v.map(jsonValue);
  if (v !== null && typeof v === 'object') {
    const o: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) o[k] = jsonValue(x);
    return o;
  }
  return v ?? null;
}
