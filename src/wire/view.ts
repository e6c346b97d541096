// The base of every header view: a re-pointable window (bytes, offset, length) over a buffer.
import { WireError } from './errors.js';

const EMPTY = new Uint8Array(0);

export abstract class WireView {
  bytes: Uint8Array = EMPTY;
  offset = 0;
  /** Bytes available to this view from `offset` (the header, its payload, and any link padding). */
  length = 0;

  constructor(bytes?: Uint8Array, offset = 0, length?: number) {
    if (bytes) this.wrap(bytes, offset, length);
  }

  /** Re-points the view without validation: for buffers this program built itself. */
  wrap(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    this.bytes = bytes;
    this.offset = offset;
    this.length = length;
    return this;
  }

  /** Re-points the view and validates it: for untrusted input. Throws only WireError. */
  checkedWrap(bytes: Uint8Array, offset = 0, length = bytes.length - offset): this {
    if (offset < 0 || length < 0 || offset + length > bytes.length) {
      this.wrap(bytes, 0, 0);
      throw new RangeErrorAsWire(offset, length, bytes.length);
    }
    this.wrap(bytes, offset, length);
    this.validate();
    return this;
  }

  /** Throws WireError if the header at (bytes, offset, length) is malformed. */
  abstract validate(): void;

  /** The bytes this view covers. */
  get slice(): Uint8Array {
    return this.bytes.subarray(this.offset, this.offset + this.length);
  }
}

class RangeErrorAsWire extends WireError {
  constructor(offset: number, length: number, size: number) {
    super('truncated', `window ${offset}+${length} outside a buffer of ${size} bytes`);
  }
}
