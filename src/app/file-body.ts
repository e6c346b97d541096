// A file as a response body, read into two reused 1 MB buffers: one is read while the other is on
// its way into the stack's send buffer. res.write's callback fires once the socket's _write has
// copied the chunk into the send ring, so the buffer is free again then. A fresh Buffer per read
// (fs.createReadStream) made most of an upload's garbage collection; 1 MB per read keeps the
// thread-pool round trips few.
import { close, open, read } from 'node:fs';
import type http from 'node:http';

const CHUNK = 1 << 20;

export function sendFileBody(path: string, res: http.ServerResponse): void {
  open(path, 'r', (err, fd) => {
    if (err) {
      res.destroy();
      return;
    }
    new FileBody(fd, res).pump();
  });
}

class FileBody {
  private readonly buffers = [Buffer.allocUnsafe(CHUNK), Buffer.allocUnsafe(CHUNK)];
  private readonly free = [true, true];
  private position = 0;
  private reading = false;
  private eof = false;
  private closed = false;

  constructor(
    private readonly fd: number,
    private readonly res: http.ServerResponse,
  ) {
    res.once('close', () => this.release());
  }

  /** Reads into a free buffer, if one is free and no read is under way. */
  readonly pump = (): void => {
    if (this.reading || this.eof || this.closed) return;
    const i = this.free[0] ? 0 : this.free[1] ? 1 : -1;
    if (i < 0) return;
    this.reading = true;
    this.free[i] = false;
    read(this.fd, this.buffers[i], 0, CHUNK, this.position, (err, n) => {
      this.reading = false;
      if (this.closed) return;
      if (err) {
        this.release();
        this.res.destroy();
        return;
      }
      if (n === 0) {
        this.free[i] = true;
        this.eof = true;
        this.maybeEnd();
        return;
      }
      this.position += n;
      const chunk = n === CHUNK ? this.buffers[i] : this.buffers[i].subarray(0, n);
      this.res.write(chunk, () => {
        this.free[i] = true;
        this.maybeEnd();
        this.pump();
      });
      this.pump();
    });
  };

  private maybeEnd(): void {
    if (!this.eof || !this.free[0] || !this.free[1] || this.closed) return;
    this.release();
    this.res.end();
  }

  private release(): void {
    if (this.closed) return;
    this.closed = true;
    close(this.fd, () => {});
  }
}
