// `synack serve`: a static file server whose TCP is the userspace stack. Node's http.Server does
// HTTP; it is fed the stack's accepted sockets (server.emit('connection', socket)).
import { readdirSync, type Stats, statSync } from 'node:fs';
import http from 'node:http';
import type { DeviceOptionValues } from '../cli/device-options.js';
import { UserError } from '../cli/errors.js';
import { formatIp } from '../net/ip-addr.js';
import type { TcpServer } from '../socket/tcp-server.js';
import { sendFileBody } from './file-body.js';
import { openStackSession, type StackSession } from './stack-session.js';
import { contentTypeFor, renderListing, resolveRequestPath, staysInsideRoot } from './static-files.js';

export interface ServeOptions extends DeviceOptionValues {
  port?: string;
  dir?: string;
  trace?: boolean;
  explain?: boolean;
  pcap?: string;
  quiet?: boolean;
}

/** The request handler: static files under `root`, one log line per request. */
export function staticFileHandler(
  root: string,
  log: (line: string) => void,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  return (req, res) => {
    const started = performance.now();
    res.once('finish', () => {
      const ms = (performance.now() - started).toFixed(1);
      const size = res.getHeader('content-length') ?? '-';
      log(
        `${req.socket.remoteAddress} - "${req.method} ${req.url} HTTP/${req.httpVersion}" ${res.statusCode} ${size} ${ms}ms`,
      );
    });
    serveStatic(root, req, res);
  };
}

/** Answers the request; returns true once a response is under way (keeps each branch one `return`). */
function serveStatic(root: string, req: http.IncomingMessage, res: http.ServerResponse): true {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    return sendText(req, res, 405, 'method not allowed\n', { Allow: 'GET, HEAD' });
  }
  const resolved = resolveRequestPath(root, req.url ?? '/');
  if (resolved.kind === 'bad-request') return sendText(req, res, 400, `bad request: ${resolved.reason}\n`);
  if (resolved.kind === 'forbidden') return sendText(req, res, 403, `forbidden: ${resolved.reason}\n`);
  let stats: Stats;
  try {
    stats = statSync(resolved.path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    return code === 'EACCES'
      ? sendText(req, res, 403, 'forbidden\n')
      : sendText(req, res, 404, 'not found\n');
  }
  if (!staysInsideRoot(root, resolved.path))
    return sendText(req, res, 403, 'forbidden: link outside the root\n');
  if (stats.isDirectory()) return serveDirectory(root, resolved.path, resolved.urlPath, req, res);
  if (!stats.isFile()) return sendText(req, res, 403, 'forbidden: not a regular file\n');
  return sendFile(resolved.path, stats, req, res);
}

function serveDirectory(
  root: string,
  path: string,
  urlPath: string,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): true {
  if (!urlPath.endsWith('/')) {
    const query = (req.url ?? '').includes('?') ? (req.url ?? '').slice((req.url ?? '').indexOf('?')) : '';
    return sendText(req, res, 301, 'moved\n', { Location: `${encodeURI(urlPath)}/${query}` });
  }
  const index = `${path}/index.html`;
  try {
    const st = statSync(index);
    if (st.isFile() && staysInsideRoot(root, index)) return sendFile(index, st, req, res);
  } catch {
    // no index.html: list the directory
  }
  let names: string[];
  try {
    names = readdirSync(path);
  } catch {
    return sendText(req, res, 403, 'forbidden: cannot read the directory\n');
  }
  const entries = names.flatMap((name) => {
    try {
      const st = statSync(`${path}/${name}`);
      return [{ name, directory: st.isDirectory(), size: st.size }];
    } catch {
      return [];
    }
  });
  return sendText(req, res, 200, renderListing(urlPath, entries), {
    'Content-Type': 'text/html; charset=utf-8',
  });
}

function sendFile(path: string, stats: Stats, req: http.IncomingMessage, res: http.ServerResponse): true {
  writeHead(res, 200, {
    'Content-Type': contentTypeFor(path),
    'Content-Length': String(stats.size),
    'Last-Modified': stats.mtime.toUTCString(),
  });
  if (req.method === 'HEAD') {
    res.end();
    return true;
  }
  sendFileBody(path, res);
  return true;
}

function sendText(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): true {
  const bytes = Buffer.from(body);
  res.writeHead(status, {
    'Content-Type': 'text/plain; charset=utf-8',
    ...headers,
    'Content-Length': bytes.length,
  });
  res.end(req.method === 'HEAD' ? undefined : bytes);
  return true;
}

/** setHeader + writeHead, so the request log can read the headers back. */
function writeHead(res: http.ServerResponse, status: number, headers: Record<string, string>): void {
  for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
  res.writeHead(status);
}

function parsePort(text: string | undefined): number {
  const port = Number(text ?? '8080');
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new UserError(`--port must be 1..65535, not ${text}`, 'e.g. --port 8080', 2);
  }
  return port;
}

function checkDir(dir: string): void {
  let st: Stats;
  try {
    st = statSync(dir);
  } catch {
    throw new UserError(`no such directory: ${dir}`, 'give an existing directory with --dir DIR', 2);
  }
  if (!st.isDirectory()) throw new UserError(`not a directory: ${dir}`, 'give a directory with --dir DIR', 2);
}

/** Serves until SIGINT/SIGTERM, then closes everything and resolves to 0. */
export async function runServe(
  options: ServeOptions,
  log: (line: string) => void = console.log,
): Promise<number> {
  const port = parsePort(options.port);
  const root = options.dir ?? '.';
  checkDir(root);
  const session = openStackSession({
    device: options,
    observe: { trace: options.trace || options.explain, explain: options.explain, pcap: options.pcap },
  });
  let listener: TcpServer;
  const httpServer = http.createServer(staticFileHandler(root, options.quiet ? () => {} : log));
  httpServer.keepAliveTimeout = 5000;
  try {
    listener = session.stack.listen({ port }, (socket) => httpServer.emit('connection', socket));
  } catch (err) {
    session.close();
    throw new UserError(`cannot listen on port ${port}: ${(err as Error).message}`, 'pick another --port');
  }
  announce(session, port, root, log);
  await untilInterrupted();
  log('synack serve: stopping');
  listener.close();
  httpServer.close();
  httpServer.closeAllConnections();
  session.close();
  return 0;
}

function announce(session: StackSession, port: number, root: string, log: (line: string) => void): void {
  // Our own addresses, link-local ones left out (a URL with fe80:: needs a zone).
  const addresses = session.link.iface
    .addresses()
    .map(formatIp)
    .filter((a) => !a.startsWith('fe80'));
  log(`synack serve: ${session.link.explanation}`);
  log(`synack serve: serving ${root} on ${addresses.map((a) => url(a, port)).join(' and ')}`);
  if (addresses[0]) log(`  try: curl ${url(addresses[0], port)}`);
  log('  stop with Ctrl-C');
}

function url(address: string, port: number): string {
  const host = address.includes(':') ? `[${address}]` : address;
  return `http://${host}${port === 80 ? '' : `:${port}`}/`;
}

function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
