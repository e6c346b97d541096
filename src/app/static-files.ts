// Static files for `synack serve`: mapping a request path to a file under the root without ever
// leaving it (RFC 3986 §5.2.4 dot segments, percent-encoding, NUL, symlinks), content types, and
// the directory listing page.
import { realpathSync } from 'node:fs';
import { extname, join, relative, resolve, sep } from 'node:path';
import { escapeHtml } from '../report/html-escape.js';

export type Resolved =
  | { kind: 'path'; path: string; urlPath: string }
  | { kind: 'forbidden'; reason: string }
  | { kind: 'bad-request'; reason: string };

/**
 * The file a request target names under `root`. Rejects targets that would escape it: `..` after
 * decoding, encoded slashes or NULs, and (with `followSymlinks` checking) links that point outside.
 */
export function resolveRequestPath(root: string, target: string): Resolved {
  const pathPart = target.split('?', 1)[0].split('#', 1)[0];
  let decoded: string;
  try {
    decoded = decodeURIComponent(pathPart);
  } catch {
    return { kind: 'bad-request', reason: 'malformed percent-encoding' };
  }
  if (!decoded.startsWith('/')) return { kind: 'bad-request', reason: 'the path must start with /' };
  if (decoded.includes('\0')) return { kind: 'bad-request', reason: 'NUL in path' };
  if (decoded.includes('\\')) return { kind: 'forbidden', reason: 'backslash in path' };
  const segments = decoded.split('/');
  if (segments.some((s) => s === '..')) return { kind: 'forbidden', reason: 'path traversal (..)' };
  const base = resolve(root);
  const path = resolve(join(base, ...segments.filter((s) => s !== '' && s !== '.')));
  if (path !== base && !path.startsWith(base + sep)) return { kind: 'forbidden', reason: 'outside the root' };
  return { kind: 'path', path, urlPath: decoded };
}

/** True when the real (symlink-resolved) path is still under the real root. */
export function staysInsideRoot(root: string, path: string): boolean {
  try {
    const realRoot = realpathSync(root);
    const real = realpathSync(path);
    const rel = relative(realRoot, real);
    return rel === '' || (!rel.startsWith('..') && !rel.startsWith(sep) && rel !== '..');
  } catch {
    return true; // missing: the caller answers 404
  }
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.ts': 'text/plain; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.ico': 'image/x-icon',
  '.pdf': 'application/pdf',
  '.pcap': 'application/vnd.tcpdump.pcap',
  '.gz': 'application/gzip',
  '.wasm': 'application/wasm',
};

export function contentTypeFor(path: string): string {
  return TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export interface ListingEntry {
  name: string;
  directory: boolean;
  size: number;
}

/** A plain directory listing page, directories first, names escaped and percent-encoded in links. */
export function renderListing(urlPath: string, entries: readonly ListingEntry[]): string {
  const sorted = [...entries].sort((a, b) =>
    a.directory === b.directory ? a.name.localeCompare(b.name) : a.directory ? -1 : 1,
  );
  const rows = sorted.map((e) => {
    const name = e.directory ? `${e.name}/` : e.name;
    const href = encodeURIComponent(e.name) + (e.directory ? '/' : '');
    const size = e.directory ? '-' : e.size.toLocaleString('en-US');
    return `<tr><td><a href="${href}">${escapeHtml(name)}</a></td><td>${size}</td></tr>`;
  });
  const up = urlPath === '/' ? '' : '<tr><td><a href="../">../</a></td><td>-</td></tr>';
  const title = `Index of ${escapeHtml(urlPath)}`;
  return (
    `<!DOCTYPE html><html><head><meta charset="utf-8"><title>${title}</title></head><body><h1>${title}</h1>` +
    `<table><tr><th>Name</th><th>Size</th></tr>${up}${rows.join('')}</table>` +
    '<p>served by synack over its own TCP/IP stack</p></body></html>\n'
  );
}
