// `synack get` options as curl spells them, validated into one plain request description. Pure:
// nothing here touches the network or the file system, so every rule has a unit test.
import { UserError } from '../cli/errors.js';
import { CurlExit } from './curl-exit.js';

export interface GetCliValues {
  output?: string;
  head?: boolean;
  header?: string[];
  request?: string;
  data?: string[];
  http10?: boolean;
  verbose?: boolean;
  silent?: boolean;
  fail?: boolean;
  insecure?: boolean;
  cacert?: string;
  ipv4?: boolean;
  ipv6?: boolean;
  connectTimeout?: string;
  maxTime?: string;
  trace?: boolean;
  explain?: boolean;
  pcap?: string;
  report?: string;
  stats?: boolean;
  dns?: string;
}

export interface GetRequest {
  url: URL;
  /** Host name or address without brackets. */
  host: string;
  port: number;
  https: boolean;
  /** Path and query as sent in the request line. */
  path: string;
  method: string;
  headers: Array<[string, string]>;
  /** Request body (-d), already joined with '&' like curl. */
  body?: string;
  http10: boolean;
  /** 0: any family; 4 or 6: only that one (-4 / -6). */
  family: 0 | 4 | 6;
  connectTimeoutMs?: number;
  maxTimeMs?: number;
}

/** curl: a URL without a scheme is taken as http://. */
export function parseUrl(text: string): URL {
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(text) ? text : `http://${text}`;
  let url: URL;
  try {
    url = new URL(withScheme);
  } catch {
    throw new UserError(
      `bad URL: ${text}`,
      'write it like http://10.77.2.2/index.html or https://[fd77:2::2]:443/',
      CurlExit.badUrl,
    );
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UserError(
      `protocol "${url.protocol.replace(/:$/, '')}" not supported`,
      'synack get speaks http:// and https://',
      CurlExit.unsupportedProtocol,
    );
  }
  if (url.hostname === '')
    throw new UserError(`no host in URL: ${text}`, 'e.g. http://HOST/PATH', CurlExit.badUrl);
  return url;
}

/** `Name: value` (curl -H). A header given as `Name:` removes it; `Name;` sends it empty. */
export function parseHeader(text: string): [string, string] {
  const semi = /^([^:;\s]+);\s*$/.exec(text);
  if (semi) return [semi[1], ''];
  const colon = text.indexOf(':');
  const name = colon > 0 ? text.slice(0, colon).trim() : '';
  if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
    throw new UserError(`bad header: ${JSON.stringify(text)}`, "write it as -H 'Name: value'", 2);
  }
  return [name, text.slice(colon + 1).trim()];
}

function seconds(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) {
    throw new UserError(`${name} must be a positive number of seconds, not "${value}"`, 'e.g. 2.5', 2);
  }
  return Math.round(n * 1000);
}

function methodFor(values: GetCliValues): string {
  if (values.request) {
    if (!/^[A-Za-z]+$/.test(values.request)) {
      throw new UserError(`bad method: ${values.request}`, 'e.g. -X PUT', 2);
    }
    return values.request.toUpperCase();
  }
  if (values.head) return 'HEAD';
  return values.data?.length ? 'POST' : 'GET';
}

/** Turns the parsed command line into a request (throws UserError with curl's exit codes). */
export function buildGetRequest(urlText: string, values: GetCliValues): GetRequest {
  const url = parseUrl(urlText);
  if (values.ipv4 && values.ipv6) throw new UserError('-4 and -6 exclude each other', 'pick one', 2);
  if (values.head && values.data?.length) {
    throw new UserError('-I (HEAD) and -d (a body) exclude each other', 'drop one of them', 2);
  }
  const https = url.protocol === 'https:';
  const headers = (values.header ?? []).map(parseHeader);
  const body = values.data?.length ? values.data.join('&') : undefined;
  if (body !== undefined && !headers.some(([n]) => n.toLowerCase() === 'content-type')) {
    headers.push(['Content-Type', 'application/x-www-form-urlencoded']); // what curl -d sends
  }
  return {
    url,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : https ? 443 : 80,
    https,
    path: `${url.pathname || '/'}${url.search}`,
    method: methodFor(values),
    headers,
    body,
    http10: values.http10 ?? false,
    family: values.ipv4 ? 4 : values.ipv6 ? 6 : 0,
    connectTimeoutMs: seconds('--connect-timeout', values.connectTimeout),
    maxTimeMs: seconds('--max-time', values.maxTime),
  };
}
