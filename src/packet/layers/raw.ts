// Raw: bytes no decoder claimed (or a layer that failed to parse: `error` says why). Padding: link
// padding after the end an IP/ARP header announces; not counted in any upper-layer length.

import type { WireError } from '../../wire/errors.js';
import type { BuildContext } from '../build-context.js';
import { type FieldSpec, Layer, layerFactory } from '../layer.js';

export interface RawFields {
  load?: Uint8Array | string;
}

const RAW_FIELDS: readonly FieldSpec[] = [{ name: 'load', kind: 'bytes' }];
const encoder = new TextEncoder();

function toBytes(load: Uint8Array | string | undefined): Uint8Array {
  if (load === undefined) return new Uint8Array(0);
  return typeof load === 'string' ? encoder.encode(load) : load;
}

export class RawLayer extends Layer {
  load: Uint8Array;
  /** Set by dissect when these bytes were meant to be a header that did not parse. */
  error?: WireError;
  /** The layer the bytes were meant to be (e.g. 'TCP'), when `error` is set. */
  intended?: string;

  constructor(fields?: RawFields) {
    super();
    this.load = toBytes(fields?.load);
  }
  get name(): string {
    return 'Raw';
  }
  get fields(): readonly FieldSpec[] {
    return RAW_FIELDS;
  }
  headerLength(): number {
    return this.load.length;
  }
  emit(ctx: BuildContext, index: number): void {
    ctx.bytes.set(this.load, ctx.start(index));
  }
}

export class PaddingLayer extends RawLayer {
  override get name(): string {
    return 'Padding';
  }
  override get isTrailer(): boolean {
    return true;
  }
}

export const Raw = layerFactory(RawLayer, 'Raw');
export type Raw = RawLayer;
export const Padding = layerFactory(PaddingLayer, 'Padding');
export type Padding = PaddingLayer;
