// pcapng reading (draft-ietf-opsawg-pcapng): SHB in either byte order, IDB with if_tsresol and
// if_tsoffset, EPB, SPB and the obsolete PB; unknown blocks are skipped; several interfaces and sections.
import { closeSync, openSync, readFileSync, readSync } from 'node:fs';
import { wireError } from './errors.js';
import { type CaptureRecord, readPcap, readPcapFile } from './pcap.js';

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
  constructor(readonly b: Uint8Array) {}
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

/** Yields every packet of an in-memory pcapng file (data are subarrays of `b`). */
export function* readPcapng(b: Uint8Array): Generator<CaptureRecord> {
  const r = new Reader(b);
  let ifaces: PcapngInterface[] = [];
  let o = 0;
  if (b.length < 12 || r.u32(0) !== PcapngBlock.SectionHeader)
    wireError('bad-format', 'pcapng: no section header');
  while (o < b.length) {
    if (b.length - o < 12) wireError('truncated', `pcapng: partial block at ${o}`);
    const type = r.u32(o);
    if (type === PcapngBlock.SectionHeader) {
      readSectionHeader(r, o);
      ifaces = [];
    }
    const len = r.u32(o + 4);
    if (len < 12 || len % 4 !== 0) wireError('bad-length', `pcapng: block length ${len} at ${o}`);
    if (o + len > b.length) wireError('truncated', `pcapng: block at ${o} runs past the file`);
    if (r.u32(o + len - 4) !== len) wireError('bad-length', `pcapng: trailing length mismatch at ${o}`);
    const body = o + 8;
    const end = o + len - 4;
    if (type === PcapngBlock.InterfaceDescription) ifaces.push(parseInterface(r, body, end));
    else if (
      type === PcapngBlock.EnhancedPacket ||
      type === PcapngBlock.SimplePacket ||
      type === PcapngBlock.ObsoletePacket
    ) {
      yield packetRecord(r, type, body, end, ifaces);
    }
    o += len;
  }
}

/** Reads pcap or pcapng, told apart by the first four bytes. */
export function readCapture(b: Uint8Array): Generator<CaptureRecord> {
  const isNg = b.length >= 4 && b[0] === 0x0a && b[1] === 0x0d && b[2] === 0x0d && b[3] === 0x0a;
  return isNg ? readPcapng(b) : readPcap(b);
}

/** Reads a pcap (streamed from disk) or pcapng (loaded whole) file. */
export function readCaptureFile(path: string): Generator<CaptureRecord> {
  const head = new Uint8Array(4);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, head, 0, 4, 0);
  } finally {
    closeSync(fd);
  }
  const isNg =
    head.length === 4 && head[0] === 0x0a && head[1] === 0x0d && head[2] === 0x0d && head[3] === 0x0a;
  return isNg ? readPcapng(new Uint8Array(readFileSync(path))) : readPcapFile(path);
}

/** Alias for pcapng files on disk. */
export function readPcapngFile(path: string): Generator<CaptureRecord> {
  return readPcapng(new Uint8Array(readFileSync(path)));
}
