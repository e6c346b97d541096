// Bytes to parse, from memory or streamed from a file in large chunks: one read(2) per MiB rather
// than one or two per record. Parsers ask `has(n)` before reading n bytes at `pos`; a file source
// then moves the unread tail into a fresh chunk and reads more. Chunks are never reused, so views
// handed out earlier (record data) stay valid; memory is bounded by the chunk size plus what the
// caller keeps.
import { closeSync, openSync, readSync } from 'node:fs';

export const DEFAULT_CHUNK = 1024 * 1024;

export class ByteSource {
  /** The bytes available: buf[pos, end). */
  buf: Uint8Array;
  pos = 0;
  end: number;
  /** File offset of buf[0]. */
  private base = 0;

  private constructor(
    private readonly fd: number,
    private readonly chunkSize: number,
    buf: Uint8Array,
  ) {
    this.buf = buf;
    this.end = buf.length;
  }

  static fromBytes(bytes: Uint8Array): ByteSource {
    return new ByteSource(-1, 0, bytes);
  }

  /** Opens `path`; close() it when done (readers do so in a finally). */
  static open(path: string, chunkSize = DEFAULT_CHUNK): ByteSource {
    const source = new ByteSource(openSync(path, 'r'), Math.max(1, chunkSize), new Uint8Array(0));
    source.end = 0;
    return source;
  }

  /** Whether n bytes from pos are available, reading more of the file when needed. */
  has(n: number): boolean {
    return this.end - this.pos >= n || this.refill(n);
  }

  /** The file (or buffer) offset of `pos`, for error messages. */
  get offset(): number {
    return this.base + this.pos;
  }

  close(): void {
    if (this.fd >= 0) closeSync(this.fd);
  }

  private refill(n: number): boolean {
    if (this.fd < 0) return false;
    const next = new Uint8Array(Math.max(this.chunkSize, n));
    next.set(this.buf.subarray(this.pos, this.end));
    this.base += this.pos;
    let end = this.end - this.pos;
    while (end < next.length) {
      const got = readSync(this.fd, next, end, next.length - end, null);
      if (got === 0) break;
      end += got;
    }
    this.buf = next;
    this.pos = 0;
    this.end = end;
    return end >= n;
  }
}

/** Runs `read` over the source of a file and closes it, also when the reader stops early or throws. */
export function* overFile<T>(
  path: string,
  chunkSize: number,
  read: (source: ByteSource) => Generator<T>,
): Generator<T> {
  const source = ByteSource.open(path, chunkSize);
  try {
    yield* read(source);
  } finally {
    source.close();
  }
}
