// The base of every layer: plain typed fields, how the layer is built into bytes, how it is shown.
import type { BuildContext } from './build-context.js';
import { Packet } from './packet.js';

/** How a field's value is printed by show() and toJSON(). */
export type FieldKind = 'int' | 'hex' | 'str' | 'bool' | 'bytes' | 'list' | 'enum';

export interface FieldSpec {
  readonly name: string;
  readonly kind: FieldKind;
  /** For 'enum': names of well-known values, shown like Scapy (`type = IPv4`). */
  readonly names?: Readonly<Record<number, string>>;
}

/** A layer class (or its callable factory): what `pkt.get(TCP)` takes. */
export interface LayerType<T extends Layer = Layer> {
  readonly prototype: T;
  readonly layerName: string;
}

export abstract class Layer {
  /** Scapy's layer name, e.g. 'TCP', 'Ethernet'. */
  abstract get name(): string;
  /** Scapy's class name, used in summary() ("Ether", "IP", "TCP"); defaults to `name`. */
  get summaryName(): string {
    return this.name;
  }
  /** The fields show()/toJSON() list, in wire order. */
  abstract get fields(): readonly FieldSpec[];

  /** Header length in bytes given the current fields (payload excluded). */
  abstract headerLength(ctx: BuildContext): number;
  /** Writes the header at ctx.start(index), leaving auto checksums for finalize(). */
  abstract emit(ctx: BuildContext, index: number): void;
  /**
   * Fills checksums once every header is written. Runs from the top layer down, so a checksum over
   * the payload (TCP, ICMP quoting a packet) sees final bytes, and the IP header below is in place.
   */
  finalize(_ctx: BuildContext, _index: number): void {}

  /** One summary fragment, e.g. "TCP 10.0.0.1:1234 > 10.0.0.2:80 S"; undefined: the name only. */
  summaryPart(_ctx: SummaryContext): string | undefined {
    return undefined;
  }

  /** The ethertype that announces this layer below an Ethernet header (IP: 0x0800). */
  get etherTypeNumber(): number | undefined {
    return undefined;
  }
  /** The IP protocol / IPv6 next-header number that announces this layer (TCP: 6). */
  get ipProtocolNumber(): number | undefined {
    return undefined;
  }

  /** True for layers that are not part of the upper-layer length (link padding). */
  get isTrailer(): boolean {
    return false;
  }

  /** Starts a packet with this layer at the bottom: Ether().over(IP()).over(TCP()). */
  over<N extends Layer>(next: N): Packet<[this, N]>;
  over<M extends readonly Layer[]>(next: Packet<M>): Packet<[this, ...M]>;
  over(next: Layer | Packet): Packet {
    return new Packet([this, ...(next instanceof Packet ? next.layers : [next])]);
  }
  /** This layer alone as a packet. */
  toPacket(): Packet<[this]> {
    return new Packet([this]);
  }
  /** The bytes of this layer alone (auto fields computed as for a one-layer packet). */
  build(): Uint8Array {
    return this.toPacket().build();
  }

  /**
   * What an unset auto field will be that the layer above decides (Ether type, IP proto, IPv6 nh),
   * for show(); undefined when it depends on the built bytes (lengths, checksums).
   */
  autoValue(_field: string, _above: Layer | undefined): unknown {
    return undefined;
  }

  /** Reads a field by name (used by show/toJSON). */
  field(name: string): unknown {
    return (this as unknown as Record<string, unknown>)[name];
  }

  /** A copy with the same field values (byte arrays and lists copied). */
  copy(): this {
    const out = Object.create(Object.getPrototypeOf(this)) as this;
    for (const [k, v] of Object.entries(this)) {
      (out as Record<string, unknown>)[k] = cloneValue(v);
    }
    return out;
  }
}

/** A layer whose addresses go into the transport checksum's pseudo-header (IP, IPv6). */
export interface NetworkLayer {
  /** The unfolded pseudo-header sum for an upper layer at `protocol` of `length` bytes. */
  pseudoHeaderSum(ctx: BuildContext, index: number, protocol: number, length: number): number;
}

export function isNetworkLayer(l: Layer): l is Layer & NetworkLayer {
  return typeof (l as Partial<NetworkLayer>).pseudoHeaderSum === 'function';
}

export interface SummaryContext {
  /** The layer below this one (e.g. IP under TCP), for addresses. */
  readonly below: Layer | undefined;
}

function cloneValue(v: unknown): unknown {
  if (v instanceof Uint8Array) return v.slice();
  if (Array.isArray(v)) return v.map(cloneValue);
  if (v !== null && typeof v === 'object') return { ...(v as object) };
  return v;
}

/**
 * Turns a layer class into Scapy's call style: `TCP({ dport: 80 })` and `new TCP(...)` both work, and
 * `x instanceof TCP` holds. The factory shares the class prototype, so pkt.get(TCP) can match on it.
 */
export type LayerFactory<T extends Layer, F> = {
  (fields?: F): T;
  new (fields?: F): T;
  readonly prototype: T;
  readonly layerName: string;
};

export function layerFactory<T extends Layer, F>(
  cls: new (fields?: F) => T,
  layerName: string,
): LayerFactory<T, F> {
  // A function declaration, not an arrow: `new TCP()` must work too (it returns the layer).
  function make(fields?: F): T {
    return new cls(fields);
  }
  const factory = make as unknown as LayerFactory<T, F>;
  Object.defineProperty(factory, 'prototype', { value: cls.prototype });
  Object.defineProperty(factory, 'layerName', { value: layerName });
  Object.defineProperty(factory, 'name', { value: layerName });
  return factory;
}

/** Copies the defined entries of a partial onto a layer (undefined keeps the default). */
export function assignFields(target: object, fields: object | undefined): void {
  if (!fields) return;
  const t = target as Record<string, unknown>;
  const f = fields as Record<string, unknown>;
  for (const key in f) {
    const v = f[key];
    if (v !== undefined) t[key] = v;
  }
}
