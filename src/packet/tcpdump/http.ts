// tcpdump's HTTP printer (print-http.c over util-print.c txtproto_print, no -v): after a TCP segment
// to or from port 80 or 8080 with data it prints ": HTTP", and ": <first line>" when the data starts
// with a request (a known method) or a response (a 3-digit status as the second token).

const HTTP_METHODS = new Set([
  'GET',
  'PUT',
  'COPY',
  'HEAD',
  'LOCK',
  'MOVE',
  'POLL',
  'POST',
  'BCOPY',
  'BMOVE',
  'MKCOL',
  'TRACE',
  'LABEL',
  'MERGE',
  'DELETE',
  'SEARCH',
  'UNLOCK',
  'REPORT',
  'UPDATE',
  'NOTIFY',
  'BDELETE',
  'CONNECT',
  'OPTIONS',
  'CHECKIN',
  'PROPFIND',
  'CHECKOUT',
  'CCM_POST',
  'SUBSCRIBE',
  'PROPPATCH',
  'BPROPFIND',
  'BPROPPATCH',
  'UNCHECKOUT',
  'MKACTIVITY',
  'MKWORKSPACE',
  'UNSUBSCRIBE',
  'RPC_CONNECT',
  'VERSION-CONTROL',
  'BASELINE-CONTROL',
]);
const MAX_TOKEN = 128;

const HTTP_PORTS: ReadonlySet<number> = new Set([80, 8080]);
/** Ports print-tcp.c tries before HTTP (telnet, SMTP, whois, BGP, PPTP, Redis, SSH, NetBIOS, SMB, BEEP, OpenFlow, FTP). */
const EARLIER_PORTS: ReadonlySet<number> = new Set([
  23, 25, 43, 179, 1723, 6379, 22, 139, 445, 10288, 6633, 6653, 21,
]);

/** True when tcpdump would print this segment's data as HTTP. */
export function isHttp(sport: number, dport: number): boolean {
  if (EARLIER_PORTS.has(sport) || EARLIER_PORTS.has(dport)) return false;
  return HTTP_PORTS.has(sport) || HTTP_PORTS.has(dport);
}

const isPrint = (c: number): boolean => c >= 0x20 && c < 0x7f;
const isBlank = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;

/** ": HTTP" or ": HTTP: GET / HTTP/1.1" for the `len` data bytes at `p` (bounded by the capture, `end`). */
export function formatHttp(b: Uint8Array, p: number, len: number, end: number): string {
  const n = Math.min(len, end - p);
  let print = false;
  const first = fetchToken(b, p, 0, n);
  if (first.next !== 0) {
    if (HTTP_METHODS.has(first.token.toUpperCase())) print = true;
    const second = fetchToken(b, p, first.next, n);
    if (second.next !== 0 && /^[0-9]{3}$/.test(second.token)) print = true;
  }
  let s = ': HTTP';
  if (print) s += firstLine(b, p, n, len);
  return s;
}

/** util-print.c fetch_token: a printable token, then the blanks after it up to an end of line. */
function fetchToken(b: Uint8Array, p: number, from: number, len: number): { token: string; next: number } {
  let idx = from;
  let token = '';
  for (; idx < len; idx++) {
    const c = b[p + idx];
    if (c >= 0x80) return { token: '', next: 0 };
    if (isBlank(c)) break;
    if (!isPrint(c)) return { token: '', next: 0 };
    if (token.length + 2 > MAX_TOKEN + 1) return { token: '', next: 0 };
    token += String.fromCharCode(c);
  }
  if (token.length === 0) return { token: '', next: 0 };
  for (; idx < len; idx++) {
    const c = b[p + idx];
    if (c === 0x0d || c === 0x0a || !isPrint(c) || (c !== 0x20 && c !== 0x09)) break;
  }
  return { token, next: idx };
}

/** util-print.c print_txt_line with prefix ": ": the line up to LF or CR-LF; nothing if not text. */
function firstLine(b: Uint8Array, p: number, captured: number, len: number): string {
  for (let idx = 0; idx < captured; idx++) {
    const c = b[p + idx];
    if (c === 0x0a) return `: ${text(b, p, idx)}`;
    if (c === 0x0d) {
      if (idx + 1 >= len || idx + 1 >= captured) return '';
      return b[p + idx + 1] === 0x0a ? `: ${text(b, p, idx)}` : '';
    }
    if (!isPrint(c) && c !== 0x09) return '';
  }
  // No line end in the data: the line so far, marked as cut short.
  return `: ${text(b, p, captured)} [|http]`;
}

function text(b: Uint8Array, p: number, n: number): string {
  let s = '';
  for (let i = 0; i < n; i++) s += String.fromCharCode(b[p + i]);
  return s;
}
