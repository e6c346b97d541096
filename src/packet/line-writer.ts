// A buffered, synchronous line writer for a file descriptor (stdout): one write(2) per ~64 KiB instead
// of one per line. A closed pipe (EPIPE, e.g. `| head`) ends output quietly; a full non-blocking pipe
// (EAGAIN) is waited on.
import { writeSync } from 'node:fs';

const FLUSH_AT = 64 * 1024;
const pause = new Int32Array(new SharedArrayBuffer(4));

export class LineWriter {
  #pending = '';
  /** True once the reader went away (EPIPE); later writes are dropped. */
  closed = false;

  constructor(readonly fd = 1) {}

  line(text: string): void {
    this.#pending += `${text}\n`;
    if (this.#pending.length >= FLUSH_AT) this.flush();
  }

  flush(): void {
    if (this.closed || this.#pending.length === 0) {
      this.#pending = '';
      return;
    }
    const buf = Buffer.from(this.#pending, 'utf8');
    this.#pending = '';
    let off = 0;
    while (off < buf.length) {
      try {
        off += writeSync(this.fd, buf, off, buf.length - off);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EAGAIN') Atomics.wait(pause, 0, 0, 1);
        else if (code === 'EPIPE') {
          this.closed = true;
          return;
        } else throw err;
      }
    }
  }
}
