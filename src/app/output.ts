// Where the body goes: stdout (not ended: the process may print more) or a file (-o), with
// backpressure and write errors reported once (curl exit 23).
import { closeSync, openSync, writeSync } from 'node:fs';
import type { Writable } from 'node:stream';

export interface Output {
  readonly name: string;
  /** write() is done with the chunk when it returns (a file): it may be a view that is reused next. */
  readonly synchronous: boolean;
  write(chunk: Uint8Array): boolean;
  onceDrain(fn: () => void): void;
  onError(fn: (err: Error) => void): void;
  /** Resolves when every byte is handed to the OS. */
  end(): Promise<void>;
  /** Gives up (a failed transfer): closes a file we opened; stdout stays open. */
  abort(): void;
}

export function openOutput(path: string | undefined, stdout: Writable): Output {
  if (path === undefined || path === '-') return streamOutput('stdout', stdout, false);
  return fileOutput(path);
}

/**
 * A file (-o): written synchronously, as curl writes it. A write to a regular file lands in the page
 * cache at once; a write stream would instead pause the transfer for a thread-pool round trip every
 * 16 KB (its high-water mark), and the receive window would close meanwhile.
 */
function fileOutput(path: string): Output {
  let fd: number | undefined = openSync(path, 'w');
  let failed: Error | undefined;
  const listeners: Array<(err: Error) => void> = [];
  const fail = (err: Error) => {
    failed ??= err;
    close();
    for (const fn of listeners) fn(err);
  };
  const close = () => {
    if (fd === undefined) return;
    const open = fd;
    fd = undefined;
    closeSync(open);
  };
  return {
    name: path,
    synchronous: true,
    write(chunk) {
      if (fd === undefined) return true;
      try {
        for (let off = 0; off < chunk.length; ) off += writeSync(fd, chunk, off);
      } catch (err) {
        fail(err as Error);
      }
      return true;
    },
    onceDrain: (fn) => queueMicrotask(fn),
    onError: (fn) => {
      listeners.push(fn);
      if (failed) fn(failed);
    },
    abort: close,
    end: async () => {
      if (failed) throw failed;
      close();
    },
  };
}

function streamOutput(name: string, stream: Writable, owned: boolean): Output {
  let failed: Error | undefined;
  const listeners: Array<(err: Error) => void> = [];
  stream.on('error', (err) => {
    failed ??= err;
    for (const fn of listeners) fn(err);
  });
  return {
    name,
    synchronous: false,
    write: (chunk) => stream.write(chunk),
    onceDrain: (fn) => stream.once('drain', fn),
    onError: (fn) => {
      listeners.push(fn);
      if (failed) fn(failed);
    },
    abort: () => {
      if (owned && !stream.destroyed) stream.destroy();
    },
    end: () =>
      new Promise<void>((resolve, reject) => {
        if (failed) return reject(failed);
        stream.once('error', reject);
        if (owned) stream.end(() => resolve());
        else if (stream.writableNeedDrain) stream.once('drain', () => resolve());
        else stream.write('', () => resolve());
      }),
  };
}
