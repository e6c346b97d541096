// The lab's test files: deterministic bytes (AES-128-CTR keystream), written once, checked by sha256.
import { createCipheriv, createHash } from 'node:crypto';
import {
  closeSync,
  createReadStream,
  existsSync,
  mkdirSync,
  openSync,
  renameSync,
  statSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import type { LabFile } from './plan.js';

const CHUNK = 4 * 1024 * 1024;

/** The keystream generator for one file name (key from the name, IV zero). */
function keystream(name: string) {
  const key = createHash('sha256').update(`synack-lab:${name}`).digest().subarray(0, 16);
  return createCipheriv('aes-128-ctr', key, Buffer.alloc(16));
}

/** Writes `size` deterministic bytes for `name` to `path` (through a temp file, then rename). */
export function writeLabFile(path: string, name: string, size: number): void {
  const cipher = keystream(name);
  const zeros = Buffer.alloc(Math.min(CHUNK, size));
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, 'w', 0o644);
  try {
    for (let left = size; left > 0; left -= zeros.length) {
      const block = cipher.update(left >= zeros.length ? zeros : zeros.subarray(0, left));
      writeSync(fd, block);
      if (left < zeros.length) break;
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** sha256 of a file, lower-case hex. */
export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { highWaterMark: CHUNK })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** sha256 of the bytes writeLabFile would write, without touching the disk. */
export function expectedSha256(name: string, size: number): string {
  const cipher = keystream(name);
  const hash = createHash('sha256');
  const zeros = Buffer.alloc(Math.min(CHUNK, size));
  for (let left = size; left > 0; left -= zeros.length) {
    hash.update(cipher.update(left >= zeros.length ? zeros : zeros.subarray(0, left)));
    if (left < zeros.length) break;
  }
  return hash.digest('hex');
}

export interface ContentReport {
  readonly generated: string[];
}

/**
 * Makes sure every file exists with the planned size; generates only the missing or wrong-sized
 * ones. Checksums are verified by `status` (hashing 110 MB on every `up` would be wasted time).
 */
export function ensureLabFiles(dir: string, files: readonly LabFile[]): ContentReport {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const generated: string[] = [];
  for (const file of files) {
    const path = join(dir, file.name);
    if (existsSync(path) && statSync(path).size === file.size) continue;
    writeLabFile(path, file.name, file.size);
    generated.push(file.name);
  }
  return { generated };
}
