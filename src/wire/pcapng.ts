// pcapng reading (draft-ietf-opsawg-pcapng): SHB in either byte order, IDB with if_tsresol and
// if_tsoffset, EPB, SPB and the obsolete PB; unknown blocks are skipped; several interfaces and sections.
import { ByteSource, DEFAULT_CHUNK, overFile } from './byte-source.js';
import { get32 } from './bytes.js';
import { wireError } from './errors.js';
import { type CaptureRecord, emptyRecord, pcapRecords } from './pcap.js';

export const PcapngBlock = {
  SectionHeader: 0x0a0d0d0a,
  InterfaceDescription: 0x00000001,
  ObsoletePacket: 0x00000002,
  SimplePacket: 0x00000003,
  EnhancedPacket: 0x00000006,
} as const;

const BYTE_ORDER_MAGIC = 0x1a2b3c4d;
const OPT_TSRESOL = 9;
const OPT_TSOFFSET = 14;

export interface PcapngInterface {
  linkType: number;
  snaplen: number;
  /** Timestamp units per second (10^6 by default). */
  unitsPerSecond: bigint;
  /** if_tsoffset: seconds added to every timestamp. */
  offsetSeconds: bigint;
}

class Reader {
  le = true;
  constructor(public b: Uint8Array) {}
  u16(o: number): number {
    const b = this.b;
    return this.le ? b[o] | (b[o + 1] << 8) : (b[o] << 8) | b[o + 1];
  }
  u32(o: number): number {
    const b = this.b;
    return this.le
      ? (b[o] | (b[o + 1] << 8) | (b[o + 2] << 16) | (b[o + 3] << 24)) >>> 0
      : ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
  }
}

/** Walks the options of a block body [o, end): calls visit(code, valueOffset, length). */
function walkOptions(
  r: Reader,
  o: number,
  end: number,
  visit: (code: number, at: number, len: number) => void,
): void {
  while (o + 4 <= end) {
    const code = r.u16(o);
    const len = r.u16(o + 2);
    if (code === 0) return;
    if (o + 4 + len > end) wireError('bad-option', `pcapng: option ${code} runs past its block`);
    visit(code, o + 4, len);
    o += 4 + ((len + 3) & ~3);
  }
}

function parseInterface(r: Reader, o: number, end: number): PcapngInterface {
  if (end - o < 8) wireError('bad-length', 'pcapng: short interface description block');
  const iface: PcapngInterface = {
    linkType: r.u16(o),
    snaplen: r.u32(o + 4),
    unitsPerSecond: 1_000_000n,
    offsetSeconds: 0n,
  };
  walkOptions(r, o + 8, end, (code, at, len) => {
    if (code === OPT_TSRESOL && len >= 1) {
      const v = r.b[at];
      // MSB clear: 10^-v seconds; MSB set: 2^-(v & 0x7f) seconds.
      iface.unitsPerSecond = v & 0x80 ? 1n << BigInt(v & 0x7f) : 10n ** BigInt(v);
    } else if (code === OPT_TSOFFSET && len >= 8) {
      const hi = BigInt(r.u32(at + (r.le ? 4 : 0)));
      const lo = BigInt(r.u32(at + (r.le ? 0 : 4)));
      iface.offsetSeconds = BigInt.asIntN(64, (hi << 32n) | lo);
    }
  });
  return iface;
}

function makeRecord(
  iface: PcapngInterface,
  interfaceId: number,
  ts: bigint,
  data: Uint8Array,
  origLength: number,
): CaptureRecord {
  const secs = ts / iface.unitsPerSecond + iface.offsetSeconds;
  const frac = ts % iface.unitsPerSecond;
  return {
    seconds: Number(secs),
    nanoseconds: Number((frac * 1_000_000_000n) / iface.unitsPerSecond),
    linkType: iface.linkType,
    data,
    origLength,
    interfaceId,
  };
}

function packetRecord(
  r: Reader,
  type: number,
  o: number,
  end: number,
  ifaces: PcapngInterface[],
): CaptureRecord {
  if (type === PcapngBlock.SimplePacket) {
    if (end - o < 4) wireError('bad-length', 'pcapng: short simple packet block');
    const iface = ifaces[0] ?? wireError('bad-format', 'pcapng: packet before any interface');
    const origLength = r.u32(o);
    const caplen = Math.min(origLength, end - o - 4, iface.snaplen || Number.MAX_SAFE_INTEGER);
    return makeRecord(iface, 0, 0n, r.b.subarray(o + 4, o + 4 + caplen), origLength);
  }
  const obsolete = type === PcapngBlock.ObsoletePacket;
  if (end - o < 20) wireError('bad-length', 'pcapng: short packet block');
  const id = obsolete ? r.u16(o) : r.u32(o);
  const iface = ifaces[id] ?? wireError('bad-format', `pcapng: packet on undeclared interface ${id}`);
  const ts = (BigInt(r.u32(o + 4)) << 32n) | BigInt(r.u32(o + 8));
  const caplen = r.u32(o + 12);
  if (caplen > end - o - 20) wireError('bad-length', 'pcapng: captured length runs past its block');
  return makeRecord(iface, id, ts, r.b.subarray(o + 20, o + 20 + caplen), r.u32(o + 16));
}

function readSectionHeader(r: Reader, o: number): void {
  if (r.b.length - o < 28) wireError('truncated', 'pcapng: short section header block');
  const b = r.b;
  const leMagic = (b[o + 8] | (b[o + 9] << 8) | (b[o + 10] << 16) | (b[o + 11] << 24)) >>> 0;
  const beMagic = ((b[o + 8] << 24) | (b[o + 9] << 16) | (b[o + 10] << 8) | b[o + 11]) >>> 0;
  if (leMagic === BYTE_ORDER_MAGIC) r.le = true;
  else if (beMagic === BYTE_ORDER_MAGIC) r.le = false;
  else wireError('bad-format', 'pcapng: bad byte-order magic');
  if (r.u16(o + 12) !== 1) wireError('unsupported', `pcapng: major version ${r.u16(o + 12)}`);
}

/** Yields the packets of a pcapng file from `source` (data are views into the source's bytes). */
export function* pcapngRecords(source: ByteSource): Generator<CaptureRecord> {
  const r = new Reader(source.buf);
  let ifaces: PcapngInterface[] = [];
  if (!source.has(12) || r.u32(source.pos) !== PcapngBlock.SectionHeader)
    wireError('bad-format', 'pcapng: no section header');
  while (source.has(1)) {
    if (!source.has(12)) wireError('truncated', `pcapng: partial block at ${source.offset}`);
    r.b = source.buf;
    // The section header's type reads the same in both byte orders; its magic sets the order.
    const type = r.u32(source.pos);
    if (type === PcapngBlock.SectionHeader) {
      if (!source.has(28)) wireError('truncated', 'pcapng: short section header block');
      r.b = source.buf;
      readSectionHeader(r, source.pos);
      ifaces = [];
    }
    const len = r.u32(source.pos + 4);
    if (len < 12 || len % 4 !== 0) wireError('bad-length', `pcapng: block length ${len} at ${source.offset}`);
    if (!source.has(len)) wireError('truncated', `pcapng: block at ${source.offset} runs past the file`);
    r.b = source.buf;
    const o = source.pos;
    if (r.u32(o + len - 4) !== len)
      wireError('bad-length', `pcapng: trailing length mismatch at ${source.offset}`);
    const body = o + 8;
    const end = o + len - 4;
    source.pos = o + len;
    if (type === PcapngBlock.InterfaceDescription) ifaces.push(parseInterface(r, body, end));
    else if (
      type === PcapngBlock.EnhancedPacket ||
      type === PcapngBlock.SimplePacket ||
      type === PcapngBlock.ObsoletePacket
    ) {
      yield packetRecord(r, type, body, end, ifaces);
    }
  }
}

/** Yields every packet of an in-memory pcapng file (data are subarrays of `b`). */
export function readPcapng(b: Uint8Array): Generator<CaptureRecord> {
  return pcapngRecords(ByteSource.fromBytes(b));
}

/** Streams the packets of a pcapng file from disk in chunks (see readPcapFile). */
export function readPcapngFile(path: string, chunkSize = DEFAULT_CHUNK): Generator<CaptureRecord> {
  return overFile(path, chunkSize, pcapngRecords);
}

/** Reads pcap or pcapng, told apart by the first four bytes. */
export function readCapture(b: Uint8Array): Generator<CaptureRecord> {
  return captureRecords(ByteSource.fromBytes(b));
}

/**
 * Streams a pcap or pcapng file from disk in chunks, told apart by the first four bytes. Record
 * data are views into the chunk read for them (they stay valid when kept).
 */
export function readCaptureFile(path: string, chunkSize = DEFAULT_CHUNK): Generator<CaptureRecord> {
  return overFile(path, chunkSize, (source) => captureRecords(source));
}

/**
 * Calls `visit` for every record of a pcap or pcapng file with one reused record object (copy
 * what you keep): the fastest way through a capture. `visit` returning false stops the walk.
 */
export function forEachRecord(
  path: string,
  visit: (rec: CaptureRecord) => boolean | undefined,
  chunkSize = DEFAULT_CHUNK,
): void {
  const reuse = emptyRecord();
  for (const rec of overFile(path, chunkSize, (source) => captureRecords(source, reuse))) {
    if (visit(rec) === false) return;
  }
}

/** pcap (with `reuse`, one record object for all) or pcapng, by the magic at the source's start. */
function captureRecords(source: ByteSource, reuse?: CaptureRecord): Generator<CaptureRecord> {
  const isNg = source.has(4) && get32(source.buf, source.pos) === PcapngBlock.SectionHeader;
  return isNg ? pcapngRecords(source) : pcapRecords(source, reuse);
}
