// Streams the records of a capture file in large chunks: one read(2) per MiB instead of two per
// record, so `synack read` keeps up with tcpdump. Classic pcap is parsed here (record headers are
// 16 bytes: seconds, fraction, captured length, original length, in the file's byte order, as in
// draft-ietf-opsawg-pcap §5); the file header is src/wire's parsePcapHeader. pcapng files go to
// src/wire's reader. Memory stays bounded by the chunk size for pcap.
import { closeSync, openSync, readSync } from 'node:fs';
import { WireError } from '../wire/errors.js';
import { type CaptureRecord, parsePcapHeader } from '../wire/pcap.js';
import { readCaptureFile } from '../wire/pcapng.js';

const FILE_HEADER = 24;
const RECORD_HEADER = 16;
const MAX_RECORD = 256 * 1024 * 1024;
const DEFAULT_CHUNK = 1024 * 1024;
const PCAPNG_MAGIC = 0x0a0d0d0a;

/**
 * Calls `visit` for every record of a pcap or pcapng file with one reused record object (copy what
 * you keep): the fastest way through a capture. Record data are views into the chunk read for them.
 */
export function forEachRecord(
  path: string,
  visit: (rec: CaptureRecord) => boolean | undefined,
  chunkSize = DEFAULT_CHUNK,
): void {
  const rec: CaptureRecord = {
    seconds: 0,
    nanoseconds: 0,
    linkType: 0,
    data: EMPTY,
    origLength: 0,
    interfaceId: 0,
  };
  for (const r of records(path, chunkSize, rec)) if (visit(r) === false) return;
}

/** Yields every record of a pcap or pcapng file. Record data are views into a chunk read for them. */
export function streamCapture(path: string, chunkSize = DEFAULT_CHUNK): Generator<CaptureRecord> {
  return records(path, chunkSize, undefined);
}

const EMPTY = new Uint8Array(0);

function* records(
  path: string,
  chunkSize: number,
  reuse: CaptureRecord | undefined,
): Generator<CaptureRecord> {
  const fd = openSync(path, 'r');
  try {
    let buf = new Uint8Array(Math.max(chunkSize, FILE_HEADER));
    let end = fill(fd, buf, 0);
    if (end >= 4 && u32(buf, 0, false) === PCAPNG_MAGIC) {
      yield* readCaptureFile(path);
      return;
    }
    const h = parsePcapHeader(buf.subarray(0, end));
    const le = h.littleEndian;
    let o = FILE_HEADER;
    for (;;) {
      if (end - o < RECORD_HEADER || end - o < RECORD_HEADER + u32(buf, o + 8, le)) {
        // Move the partial record to the front of a fresh chunk and read more.
        const need = end - o >= RECORD_HEADER ? RECORD_HEADER + u32(buf, o + 8, le) : RECORD_HEADER;
        if (need > MAX_RECORD + RECORD_HEADER)
          throw new WireError('bad-length', `pcap: record of ${need} bytes`);
        const next = new Uint8Array(Math.max(chunkSize, need));
        next.set(buf.subarray(o, end));
        end -= o;
        o = 0;
        buf = next;
        const got = fill(fd, buf, end);
        if (got === end) {
          if (end === 0) return;
          throw new WireError('truncated', `pcap: the last record is cut short (${end} of ${need} bytes)`);
        }
        end = got;
        continue;
      }
      const caplen = u32(buf, o + 8, le);
      const frac = u32(buf, o + 4, le);
      const seconds = u32(buf, o, le);
      const nanoseconds = h.nanosecond ? frac : frac * 1000;
      const data = buf.subarray(o + RECORD_HEADER, o + RECORD_HEADER + caplen);
      const origLength = u32(buf, o + 12, le);
      if (reuse) {
        reuse.seconds = seconds;
        reuse.nanoseconds = nanoseconds;
        reuse.linkType = h.linkType;
        reuse.data = data;
        reuse.origLength = origLength;
        yield reuse;
      } else yield { seconds, nanoseconds, linkType: h.linkType, data, origLength, interfaceId: 0 };
      o += RECORD_HEADER + caplen;
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads until `buf` is full or the file ends; returns the new end offset. */
function fill(fd: number, buf: Uint8Array, from: number): number {
  let end = from;
  while (end < buf.length) {
    const n = readSync(fd, buf, end, buf.length - end, null);
    if (n === 0) break;
    end += n;
  }
  return end;
}

function u32(b: Uint8Array, o: number, le: boolean): number {
  return le
    ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
    : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}
