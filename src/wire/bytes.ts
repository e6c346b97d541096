// Big-endian field access by direct byte math (no DataView, no allocation) shared by every view.
import { wireError } from './errors.js';

export function get16(b: Uint8Array, o: number): number {
  return (b[o] << 8) | b[o + 1];
}

export function set16(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 8) & 0xff;
  b[o + 1] = v & 0xff;
}

export function get32(b: Uint8Array, o: number): number {
  return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

export function set32(b: Uint8Array, o: number, v: number): void {
  b[o] = (v >>> 24) & 0xff;
  b[o + 1] = (v >>> 16) & 0xff;
  b[o + 2] = (v >>> 8) & 0xff;
  b[o + 3] = v & 0xff;
}

/** Throws 'truncated' unless [offset, offset + need) lies inside the `length` bytes available. */
export function need(available: number, needed: number, what: string): void {
  if (needed > available) wireError('truncated', `${what}: need ${needed} bytes, have ${available}`);
}

/** Resolves the default length of a view: everything from offset to the end of the buffer. */
export function spanOf(bytes: Uint8Array, offset: number, length: number | undefined): number {
  if (offset < 0 || offset > bytes.length) wireError('truncated', `offset ${offset} outside buffer`);
  const len = length ?? bytes.length - offset;
  if (len < 0 || offset + len > bytes.length) wireError('truncated', `length ${len} runs past the buffer`);
  return len;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Copies `src` to `dst` at `offset` unless it is already there (zero-copy emit into place). */
export function placeBytes(dst: Uint8Array, offset: number, src: Uint8Array): void {
  if (src.buffer === dst.buffer && src.byteOffset === dst.byteOffset + offset) return;
  dst.set(src, offset);
}
