// Classic pcap files (draft-ietf-opsawg-pcap): microsecond (a1b2c3d4) and nanosecond (a1b23c4d)
// resolution, either byte order on read; written in little-endian.
import { closeSync, fstatSync, openSync, writeSync } from 'node:fs';
import { ByteSource, DEFAULT_CHUNK, overFile } from './byte-source.js';
import { wireError } from './errors.js';

export const PCAP_MAGIC_MICRO = 0xa1b2c3d4;
export const PCAP_MAGIC_NANO = 0xa1b23c4d;
const FILE_HEADER = 24;
const RECORD_HEADER = 16;
const MAX_RECORD = 256 * 1024 * 1024;

/** One captured frame, the same shape for pcap and pcapng. */
export interface CaptureRecord {
  /** Whole seconds since the epoch. */
  seconds: number;
  /** Nanoseconds within the second. */
  nanoseconds: number;
  linkType: number;
  /** The captured bytes (caplen of them). */
  data: Uint8Array;
  /** The frame's length on the wire (may exceed data.length when snaplen cut it). */
  origLength: number;
  /** pcapng: the interface index; pcap: 0. */
  interfaceId: number;
}

export interface PcapHeader {
  nanosecond: boolean;
  littleEndian: boolean;
  versionMajor: number;
  versionMinor: number;
  snaplen: number;
  linkType: number;
}

function u32(b: Uint8Array, o: number, le: boolean): number {
  return le
    ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
    : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function u16(b: Uint8Array, o: number, le: boolean): number {
  return le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
}

export function parsePcapHeader(b: Uint8Array): PcapHeader {
  if (b.length < FILE_HEADER) wireError('bad-format', 'pcap: file shorter than its 24-byte header');
  const be = u32(b, 0, false);
  const le = u32(b, 0, true);
  let littleEndian: boolean;
  let nanosecond: boolean;
  if (le === PCAP_MAGIC_MICRO || le === PCAP_MAGIC_NANO) {
    littleEndian = true;
    nanosecond = le === PCAP_MAGIC_NANO;
  } else if (be === PCAP_MAGIC_MICRO || be === PCAP_MAGIC_NANO) {
    littleEndian = false;
    nanosecond = be === PCAP_MAGIC_NANO;
  } else {
    wireError('bad-format', `pcap: bad magic 0x${be.toString(16)}`);
  }
  return {
    nanosecond,
    littleEndian,
    versionMajor: u16(b, 4, littleEndian),
    versionMinor: u16(b, 6, littleEndian),
    snaplen: u32(b, 16, littleEndian),
    // The upper 16 bits carry FCS info (draft §4): the link type is the low 16.
    linkType: u32(b, 20, littleEndian) & 0xffff,
  };
}

/** A record object for readers to fill (forEachRecord reuses one for every record). */
export function emptyRecord(): CaptureRecord {
  return { seconds: 0, nanoseconds: 0, linkType: 0, data: new Uint8Array(0), origLength: 0, interfaceId: 0 };
}

/**
 * Yields the records of a pcap file from `source` (draft-ietf-opsawg-pcap §5: 16-byte record
 * headers of seconds, fraction, captured and original length in the file's byte order). With
 * `reuse` the same object is filled for every record; data are views into the source's bytes.
 */
export function* pcapRecords(source: ByteSource, reuse?: CaptureRecord): Generator<CaptureRecord> {
  if (!source.has(FILE_HEADER)) wireError('bad-format', 'pcap: file shorter than its 24-byte header');
  const h = parsePcapHeader(source.buf.subarray(source.pos, source.pos + FILE_HEADER));
  const le = h.littleEndian;
  source.pos += FILE_HEADER;
  while (source.has(RECORD_HEADER)) {
    const caplen = u32(source.buf, source.pos + 8, le);
    if (caplen > MAX_RECORD) wireError('bad-length', `pcap: record of ${caplen} bytes at ${source.offset}`);
    if (!source.has(RECORD_HEADER + caplen))
      wireError('truncated', `pcap: partial record at ${source.offset}`);
    const b = source.buf;
    const o = source.pos;
    const rec = reuse ?? emptyRecord();
    rec.seconds = u32(b, o, le);
    const frac = u32(b, o + 4, le);
    rec.nanoseconds = h.nanosecond ? frac : frac * 1000;
    rec.linkType = h.linkType;
    rec.data = b.subarray(o + RECORD_HEADER, o + RECORD_HEADER + caplen);
    rec.origLength = u32(b, o + 12, le);
    source.pos = o + RECORD_HEADER + caplen;
    yield rec;
  }
  if (source.pos !== source.end) wireError('truncated', `pcap: partial record header at ${source.offset}`);
}

/** Yields every record of an in-memory pcap file (data are subarrays of `b`). */
export function readPcap(b: Uint8Array): Generator<CaptureRecord> {
  return pcapRecords(ByteSource.fromBytes(b));
}

/**
 * Streams the records of a pcap file from disk in chunks (bounded memory). Each record's data is a
 * view into the chunk it was read in; chunks are not reused, so records stay valid when kept.
 */
export function readPcapFile(path: string, chunkSize = DEFAULT_CHUNK): Generator<CaptureRecord> {
  return overFile(path, chunkSize, (source) => pcapRecords(source));
}

export interface PcapWriterOptions {
  linkType?: number;
  snaplen?: number;
  /** 'ns' writes the nanosecond magic a1b23c4d; default 'us'. */
  resolution?: 'us' | 'ns';
  /** Flush to the fd once this many bytes are buffered (default 64 KiB). */
  bufferSize?: number;
}

/** Streams a pcap file to a path or an open fd. Buffers records and writes them on flush/close. */
export class PcapWriter {
  private readonly fd: number;
  private readonly ownsFd: boolean;
  private readonly nano: boolean;
  private readonly snaplen: number;
  private buf: Uint8Array;
  private dv: DataView;
  private used = 0;
  private closed = false;

  constructor(target: string | number, opts: PcapWriterOptions = {}) {
    this.ownsFd = typeof target === 'string';
    this.fd = typeof target === 'string' ? openSync(target, 'w') : target;
    if (typeof target === 'number') fstatSync(target);
    this.nano = opts.resolution === 'ns';
    this.snaplen = opts.snaplen ?? 262144;
    this.buf = new Uint8Array(Math.max(opts.bufferSize ?? 65536, FILE_HEADER));
    this.dv = new DataView(this.buf.buffer);
    const h = this.reserve(FILE_HEADER);
    this.dv.setUint32(h, this.nano ? PCAP_MAGIC_NANO : PCAP_MAGIC_MICRO, true);
    this.dv.setUint16(h + 4, 2, true);
    this.dv.setUint16(h + 6, 4, true);
    this.dv.setUint32(h + 8, 0, true);
    this.dv.setUint32(h + 12, 0, true);
    this.dv.setUint32(h + 16, this.snaplen, true);
    this.dv.setUint32(h + 20, opts.linkType ?? 1, true);
  }

  private reserve(n: number): number {
    if (this.used + n > this.buf.length) {
      this.flush();
      if (n > this.buf.length) {
        this.buf = new Uint8Array(n);
        this.dv = new DataView(this.buf.buffer);
      }
    }
    const at = this.used;
    this.used += n;
    return at;
  }

  /**
   * Appends a frame. `timestamp`: milliseconds since the epoch as a number (fractions kept), or
   * nanoseconds as a bigint. Frames longer than snaplen are cut; origLength keeps the real size.
   */
  write(frame: Uint8Array, timestamp: number | bigint, origLength = frame.length): void {
    if (this.closed) throw new Error('PcapWriter: write after close');
    let seconds: number;
    let subNs: number;
    if (typeof timestamp === 'bigint') {
      seconds = Number(timestamp / 1_000_000_000n);
      subNs = Number(timestamp % 1_000_000_000n);
    } else {
      seconds = Math.floor(timestamp / 1000);
      subNs = Math.min(999_999_999, Math.round((timestamp - seconds * 1000) * 1e6));
    }
    const caplen = Math.min(frame.length, this.snaplen);
    const at = this.reserve(RECORD_HEADER + caplen);
    const dv = this.dv;
    dv.setUint32(at, seconds, true);
    dv.setUint32(at + 4, this.nano ? subNs : Math.floor(subNs / 1000), true);
    dv.setUint32(at + 8, caplen, true);
    dv.setUint32(at + 12, origLength, true);
    this.buf.set(frame.subarray(0, caplen), at + RECORD_HEADER);
  }

  flush(): void {
    let off = 0;
    while (off < this.used) off += writeSync(this.fd, this.buf, off, this.used - off);
    this.used = 0;
  }

  /** Flushes, and closes the fd if the writer opened it. Idempotent. */
  close(): void {
    if (this.closed) return;
    this.flush();
    this.closed = true;
    if (this.ownsFd) closeSync(this.fd);
  }
}
