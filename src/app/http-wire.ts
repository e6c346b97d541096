// Small pieces around Node's HTTP client that curl users expect: the `> ` / `< ` header lines of
// -v, the header block of -I, and the HTTP/1.0 request line of --http1.0 (Node's client always
// writes "HTTP/1.1"; the response side stays Node's own parser).
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';

/** The request head as Node wrote it, as curl -v shows it: `> GET / HTTP/1.1`, ..., `>`. */
export function requestHeadLines(head: string): string[] {
  const lines = head.split('\r\n');
  while (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return [...lines.map((l) => `> ${l}`), '>'];
}

/** The response status line and headers in the order received: `< HTTP/1.1 200 OK`, ..., `<`. */
export function responseHeadLines(
  res: Pick<IncomingMessage, 'httpVersion' | 'statusCode' | 'statusMessage' | 'rawHeaders'>,
): string[] {
  const lines = [`< ${statusLine(res)}`];
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
    lines.push(`< ${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}`);
  lines.push('<');
  return lines;
}

/** What curl -I writes to stdout: the status line and headers, CRLF-terminated, and a blank line. */
export function headerBlock(
  res: Pick<IncomingMessage, 'httpVersion' | 'statusCode' | 'statusMessage' | 'rawHeaders'>,
): string {
  let out = `${statusLine(res)}\r\n`;
  for (let i = 0; i + 1 < res.rawHeaders.length; i += 2)
    out += `${res.rawHeaders[i]}: ${res.rawHeaders[i + 1]}\r\n`;
  return `${out}\r\n`;
}

function statusLine(res: Pick<IncomingMessage, 'httpVersion' | 'statusCode' | 'statusMessage'>): string {
  const reason = res.statusMessage ? ` ${res.statusMessage}` : '';
  return `HTTP/${res.httpVersion} ${res.statusCode}${reason}`;
}

const REQUEST_LINE_11 = /^([A-Z]+ [^\r\n ]+) HTTP\/1\.1\r\n/;

/** Rewrites `METHOD TARGET HTTP/1.1` at the start of a request head to HTTP/1.0. */
export function downgradeRequestLine(chunk: string): string {
  return chunk.replace(REQUEST_LINE_11, '$1 HTTP/1.0\r\n');
}

/** Makes the first write on `socket` (the request head) say HTTP/1.0 (RFC 1945 §5.1). */
export function speakHttp10(socket: Duplex): void {
  const original = socket.write;
  let first = true;
  socket.write = function (this: Duplex, chunk: unknown, ...rest: unknown[]): boolean {
    if (first) {
      first = false;
      if (typeof chunk === 'string') chunk = downgradeRequestLine(chunk);
      else if (chunk instanceof Uint8Array) {
        chunk = Buffer.from(downgradeRequestLine(Buffer.from(chunk).toString('latin1')), 'latin1');
      }
    }
    return (original as (...args: unknown[]) => boolean).call(this, chunk, ...rest);
  } as Duplex['write'];
}
