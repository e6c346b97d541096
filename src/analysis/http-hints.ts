// Recognizes an HTTP/1.x request line or status line at the start of a TCP payload
// (RFC 9112 §3 request-line, §4 status-line). Only the first bytes are needed.

const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'CONNECT', 'TRACE'];
const MAX_LINE = 200;

export interface HttpRequestLine {
  method: string;
  target: string;
  version: string;
}

export interface HttpStatusLine {
  version: string;
  status: number;
  reason: string;
}

/** The first line of the payload as latin1 text (up to CRLF or MAX_LINE bytes). */
function firstLine(head: Uint8Array): string {
  let end = 0;
  const limit = Math.min(head.length, MAX_LINE);
  while (end < limit && head[end] !== 0x0d && head[end] !== 0x0a) end++;
  let text = '';
  for (let i = 0; i < end; i++) text += String.fromCharCode(head[i]);
  return text;
}

function startsWithAscii(head: Uint8Array, prefix: string): boolean {
  if (head.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (head[i] !== prefix.charCodeAt(i)) return false;
  return true;
}

export function parseRequestLine(head: Uint8Array): HttpRequestLine | undefined {
  const method = METHODS.find((m) => startsWithAscii(head, `${m} `));
  if (!method) return undefined;
  const parts = firstLine(head).split(' ');
  if (parts.length < 2) return undefined;
  const version = parts[2]?.startsWith('HTTP/') ? parts[2] : '';
  return { method, target: parts[1], version };
}

export function parseStatusLine(head: Uint8Array): HttpStatusLine | undefined {
  if (!startsWithAscii(head, 'HTTP/1.')) return undefined;
  const line = firstLine(head);
  const match = /^(HTTP\/1\.\d) (\d{3})(?: (.*))?$/.exec(line);
  if (!match) return undefined;
  return { version: match[1], status: Number(match[2]), reason: match[3] ?? '' };
}
