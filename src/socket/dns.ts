// A small DNS client codec for A and AAAA lookups (RFC 1035 §4.1 message format, RFC 3596 AAAA):
// build one query, parse the answer section (following name compression pointers, §4.1.4).
// Untrusted input: every read is bounds-checked and a malformed message raises DnsFormatError.
import { formatIpv6 } from '../wire/addr.js';

export const DnsType = { A: 1, CNAME: 5, AAAA: 28 } as const;
export type DnsQueryType = typeof DnsType.A | typeof DnsType.AAAA;

/** RCODE values (RFC 1035 §4.1.1). */
export const DnsRcode = { NOERROR: 0, FORMERR: 1, SERVFAIL: 2, NXDOMAIN: 3, NOTIMP: 4, REFUSED: 5 } as const;

export class DnsFormatError extends Error {
  override readonly name = 'DnsFormatError';
}

export interface DnsAnswer {
  name: string;
  type: number;
  ttl: number;
  /** Dotted IPv4, RFC 5952 IPv6 text, or the target name for CNAME; '' for other types. */
  data: string;
}

export interface DnsResponse {
  id: number;
  rcode: number;
  truncated: boolean;
  question: { name: string; type: number } | null;
  answers: DnsAnswer[];
}

/** A standard query with recursion desired (RFC 1035 §4.1.1 header, §4.1.2 question, class IN). */
export function buildDnsQuery(id: number, name: string, type: DnsQueryType): Uint8Array {
  const labels = name.replace(/\.$/, '').split('.');
  let nameLength = 1;
  for (const label of labels) {
    const bytes = Buffer.byteLength(label);
    if (bytes === 0 || bytes > 63) throw new DnsFormatError(`bad DNS label in ${JSON.stringify(name)}`);
    nameLength += 1 + bytes;
  }
  if (nameLength > 255) throw new DnsFormatError(`DNS name too long: ${name}`);
  const out = Buffer.alloc(12 + nameLength + 4);
  out.writeUInt16BE(id & 0xffff, 0);
  out.writeUInt16BE(0x0100, 2); // RD=1 (§4.1.1)
  out.writeUInt16BE(1, 4); // QDCOUNT
  let at = 12;
  for (const label of labels) {
    const written = out.write(label, at + 1, 'ascii');
    out[at] = written;
    at += 1 + written;
  }
  out[at++] = 0;
  out.writeUInt16BE(type, at);
  out.writeUInt16BE(1, at + 2); // QCLASS IN
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function need(msg: Uint8Array, at: number, n: number): void {
  if (at + n > msg.length) throw new DnsFormatError('DNS message truncated');
}

function u16(msg: Uint8Array, at: number): number {
  need(msg, at, 2);
  return (msg[at] << 8) | msg[at + 1];
}

function u32(msg: Uint8Array, at: number): number {
  need(msg, at, 4);
  return ((msg[at] << 24) | (msg[at + 1] << 16) | (msg[at + 2] << 8) | msg[at + 3]) >>> 0;
}

/** Read a possibly compressed name; returns it and the offset after it in the original position. */
function readName(msg: Uint8Array, start: number): [string, number] {
  const labels: string[] = [];
  let at = start;
  let end = -1;
  for (let jumps = 0; ; ) {
    need(msg, at, 1);
    const len = msg[at];
    if (len === 0) {
      at += 1;
      break;
    }
    if ((len & 0xc0) === 0xc0) {
      const target = u16(msg, at) & 0x3fff;
      if (end < 0) end = at + 2;
      if (++jumps > 32 || target >= msg.length) throw new DnsFormatError('DNS compression loop');
      at = target;
      continue;
    }
    if (len & 0xc0) throw new DnsFormatError('unsupported DNS label type');
    need(msg, at + 1, len);
    labels.push(Buffer.from(msg.subarray(at + 1, at + 1 + len)).toString('ascii'));
    at += 1 + len;
  }
  return [labels.join('.'), end >= 0 ? end : at];
}

function recordData(msg: Uint8Array, type: number, at: number, length: number): string {
  if (type === DnsType.A && length === 4) return `${msg[at]}.${msg[at + 1]}.${msg[at + 2]}.${msg[at + 3]}`;
  if (type === DnsType.AAAA && length === 16) return formatIpv6(msg, at);
  if (type === DnsType.CNAME) return readName(msg, at)[0];
  return '';
}

export function parseDnsResponse(msg: Uint8Array): DnsResponse {
  const id = u16(msg, 0);
  const flags = u16(msg, 2);
  if ((flags & 0x8000) === 0) throw new DnsFormatError('not a DNS response (QR=0)');
  const qdcount = u16(msg, 4);
  const ancount = u16(msg, 6);
  let at = 12;
  let question: DnsResponse['question'] = null;
  for (let i = 0; i < qdcount; i++) {
    const [name, next] = readName(msg, at);
    question ??= { name, type: u16(msg, next) };
    at = next + 4;
  }
  const answers: DnsAnswer[] = [];
  for (let i = 0; i < ancount; i++) {
    const [name, next] = readName(msg, at);
    const type = u16(msg, next);
    const ttl = u32(msg, next + 4);
    const rdlength = u16(msg, next + 8);
    const rdata = next + 10;
    need(msg, rdata, rdlength);
    answers.push({ name, type, ttl, data: recordData(msg, type, rdata, rdlength) });
    at = rdata + rdlength;
  }
  return { id, rcode: flags & 0x000f, truncated: (flags & 0x0200) !== 0, question, answers };
}

/** Addresses of the wanted type from an answer, following the CNAME chain from `name` (§3.6.2). */
export function addressesFor(response: DnsResponse, name: string, type: DnsQueryType): string[] {
  let target = name.replace(/\.$/, '').toLowerCase();
  const seen = new Set<string>();
  for (;;) {
    const cname = response.answers.find((a) => a.type === DnsType.CNAME && a.name.toLowerCase() === target);
    if (cname === undefined || seen.has(target)) break;
    seen.add(target);
    target = cname.data.toLowerCase();
  }
  return response.answers
    .filter((a) => a.type === type && a.name.toLowerCase() === target)
    .map((a) => a.data);
}
