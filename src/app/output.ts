// Where the body goes: stdout (not ended: the process may print more) or a file (-o), with
// backpressure and write errors reported once (curl exit 23).
import { createWriteStream } from 'node:fs';
import type { Writable } from 'node:stream';

export interface Output {
  readonly name: string;
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
  return streamOutput(path, createWriteStream(path), true);
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
