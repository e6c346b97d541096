// tcpdump -n's TCP part (print-tcp.c, no -v/-S): "Flags [S.], seq 1:5, ack 1, win 502,
// options [...], length 4". Options are printed from the bytes with tcpdump's own rules.
import { get16, get32 } from '../../wire/bytes.js';
import { formatHttp, isHttp } from './http.js';
import { TCP_FLAG_LETTERS, TCP_OPTION_NAMES } from './names.js';
import type { RelativeSeq, TcpSeqTracker } from './tcp-seq.js';

const TH_FIN = 0x01;
const TH_SYN = 0x02;
const TH_RST = 0x04;
const TH_ACK = 0x10;
const TH_URG = 0x20;

export interface TcpAddresses {
  /** Printed address text, e.g. "10.0.0.1". */
  src: string;
  dst: string;
  /** IPv4 addresses as numbers (flow keys without strings); -1 for IPv6. */
  srcNumber: number;
  dstNumber: number;
  /** tcpdump's memcmp tie-break for equal ports (see TcpSeqTracker). */
  srcAbove: boolean;
}

/**
 * `length` is the TCP length from the IP header (header + payload); `o`/`end` the captured bytes.
 * `withAddresses` is false when the IP protocol field is not TCP (TCP behind IPv6 extension headers):
 * tcpdump then prints the ports alone.
 */
export function formatTcp(
  b: Uint8Array,
  o: number,
  end: number,
  length: number,
  a: TcpAddresses,
  seqs: TcpSeqTracker,
  withAddresses: boolean,
): string {
  if (end - o < 4) return `${a.src} > ${a.dst}: [|tcp]`;
  const sport = get16(b, o);
  const dport = get16(b, o + 2);
  let s = withAddresses ? `${a.src}.${sport} > ${a.dst}.${dport}: ` : `${sport} > ${dport}: `;
  if (end - o < 20) return `${s}[|tcp]`;
  const hlen = (b[o + 12] >> 4) * 4;
  if (hlen < 20) return `${s} tcp ${length - hlen} [bad hdr length ${hlen} - too short, < 20]`;
  let seq = get32(b, o + 4);
  let ack = get32(b, o + 8);
  const win = get16(b, o + 14);
  const urp = get16(b, o + 18);
  const flags = b[o + 13];
  s += `Flags [${flagString(flags)}]`;
  let rel: RelativeSeq | undefined;
  if (flags & TH_ACK) {
    const v4 = a.srcNumber >= 0;
    const srcKey = v4 ? a.srcNumber * 65536 + sport : `${a.src}.${sport}`;
    const dstKey = v4 ? a.dstNumber * 65536 + dport : `${a.dst}.${dport}`;
    rel = seqs.relative(srcKey, dstKey, a.srcAbove, sport, dport, seq, ack, (flags & TH_SYN) !== 0);
    seq = rel.seq;
    ack = rel.ack;
  }
  if (hlen > length) return `${s} [bad hdr length ${hlen} - too long, > ${length}]`;
  const dataLength = length - hlen;
  if (dataLength > 0 || flags & (TH_SYN | TH_FIN | TH_RST)) {
    s += `, seq ${seq}`;
    if (dataLength > 0) s += `:${(seq + dataLength) >>> 0}`;
  }
  if (flags & TH_ACK) s += `, ack ${ack}`;
  s += `, win ${win}`;
  if (flags & TH_URG) s += `, urg ${urp}`;
  if (hlen > 20) {
    const opts = formatOptions(b, o + 20, o + hlen, end, rel?.rev ?? false, rel?.thseq ?? 0, rel?.thack ?? 0);
    s += `, options [${opts.text}`;
    if (opts.stop) return s;
    s += ']';
  }
  s += `, length ${dataLength}`;
  // print-tcp.c hands the data to a printer by port; HTTP is the one synack knows.
  if (dataLength > 0 && isHttp(sport, dport)) {
    s += formatHttp(b, o + hlen, dataLength, end);
  }
  return s;
}

function flagString(flags: number): string {
  if (flags === 0) return 'none';
  let s = '';
  for (const [bit, letter] of TCP_FLAG_LETTERS) if (flags & bit) s += letter;
  return s;
}

/**
 * The option list as print-tcp.c prints it. `stop` is set when tcpdump gives up on the rest of the
 * packet ("[bad opt]" or a truncation), after which nothing more is printed on the line.
 */
function formatOptions(
  b: Uint8Array,
  start: number,
  end: number,
  capEnd: number,
  rev: boolean,
  thseq: number,
  thack: number,
): { text: string; stop: boolean } {
  let s = '';
  let cp = start;
  let hlen = end - start;
  let first = true;
  while (hlen > 0) {
    if (!first) s += ',';
    first = false;
    if (cp >= capEnd) return { text: `${s}[|tcp]>`, stop: true };
    const opt = b[cp++];
    let len: number;
    if (opt === 0 || opt === 1) len = 1;
    else {
      if (cp >= capEnd) return { text: `${s}[|tcp]>`, stop: true };
      len = b[cp++];
      if (len < 2 || len > hlen) return { text: `${s}[bad opt]]`, stop: true };
      hlen--;
    }
    hlen--;
    s += TCP_OPTION_NAMES[opt] ?? `unknown-${opt}`;
    let datalen = 0;
    switch (opt) {
      case 2:
        datalen = 2;
        if (datalen > hlen) return { text: `${s}[bad opt]]`, stop: true };
        s += ` ${get16(b, cp)}`;
        break;
      case 3:
        datalen = 1;
        if (datalen > hlen) return { text: `${s}[bad opt]]`, stop: true };
        s += ` ${b[cp]}`;
        break;
      case 5:
        datalen = len - 2;
        if (datalen % 8 !== 0) s += ' invalid sack';
        else {
          s += ` ${datalen / 8} `;
          for (let i = 0; i < datalen; i += 8) {
            if (i + 8 > hlen) return { text: `${s}[bad opt]]`, stop: true };
            const base = rev ? thseq : thack;
            s += `{${(get32(b, cp + i) - base) >>> 0}:${(get32(b, cp + i + 4) - base) >>> 0}}`;
          }
        }
        break;
      case 6:
      case 7:
      case 11:
      case 12:
      case 13:
        datalen = 4;
        if (datalen > hlen) return { text: `${s}[bad opt]]`, stop: true };
        s += ` ${get32(b, cp)}`;
        break;
      case 8:
        datalen = 8;
        if (datalen > hlen) return { text: `${s}[bad opt]]`, stop: true };
        s += ` val ${get32(b, cp)} ecr ${get32(b, cp + 4)}`;
        break;
      case 0:
      case 1:
      case 4:
        break;
      case 19:
        datalen = 16;
        if (datalen > hlen) return { text: `${s}[bad opt]]`, stop: true };
        s += ' ';
        for (let i = 0; i < 16; i++) s += hex2(b[cp + i]);
        break;
      case 28: {
        datalen = 2;
        if (datalen > hlen) return { text: `${s}[bad opt]]`, stop: true };
        const v = get16(b, cp);
        s += ` 0x${v.toString(16)} ${v & 1 ? (v >> 1) * 60 : v >> 1}`;
        break;
      }
      default:
        datalen = len - 2;
        if (datalen) s += ' 0x';
        for (let i = 0; i < datalen; i++) {
          if (i + 1 > hlen) return { text: `${s}[bad opt]]`, stop: true };
          s += hex2(b[cp + i]);
        }
    }
    cp += datalen;
    hlen -= datalen;
    const spec = datalen + (opt === 0 || opt === 1 ? 1 : 2);
    if (spec !== len) s += `[len ${len}]`;
    if (opt === 0) break;
  }
  return { text: s, stop: false };
}

function hex2(v: number): string {
  return v < 16 ? `0${v.toString(16)}` : v.toString(16);
}
