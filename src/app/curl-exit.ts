// curl's exit codes (curl(1) "EXIT CODES") and the one-line message plus next step for each way a
// fetch can fail. Pure: errors in, UserError out, so scripts that test `$?` after curl work with us.
import { UserError } from '../cli/errors.js';

export const CurlExit = {
  ok: 0,
  unsupportedProtocol: 1,
  badUrl: 3,
  couldNotResolve: 6,
  couldNotConnect: 7,
  partialFile: 18,
  httpError: 22,
  writeError: 23,
  timeout: 28,
  tlsConnect: 35,
  sendError: 55,
  receiveError: 56,
  peerCertificate: 60,
  badCaCert: 77,
} as const;

export type CurlExitCode = (typeof CurlExit)[keyof typeof CurlExit];

/** What was going on when the error happened. */
export interface FailureContext {
  host: string;
  port: number;
  /** The connection was established (a reset now means "failure receiving", not "refused"). */
  connected: boolean;
}

interface NodeLikeError {
  code?: string;
  message?: string;
}

const CERT_CODES = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_SIGNATURE_FAILURE',
]);

/** Maps an error from resolving, connecting, TLS or reading to curl's exit code and a next step. */
export function failureToUserError(err: unknown, ctx: FailureContext): UserError {
  if (err instanceof UserError) return err;
  const e = (err ?? {}) as NodeLikeError;
  const code = e.code ?? '';
  const where = `${ctx.host} port ${ctx.port}`;
  switch (code) {
    case 'ENOTFOUND':
    case 'ENODATA':
    case 'ESERVFAIL':
    case 'ETIMEOUT':
    case 'EAI_AGAIN':
      return new UserError(
        `could not resolve host: ${ctx.host}`,
        'check the name, give an IP address, or ask a DNS server with --dns SERVER',
        CurlExit.couldNotResolve,
      );
    case 'ECONNREFUSED':
      return new UserError(
        `failed to connect to ${where}: connection refused (the server answered the SYN with RST)`,
        'is a server listening on that port? try another --port in the URL, or check it with: ss -ltn',
        CurlExit.couldNotConnect,
      );
    case 'ENETUNREACH':
    case 'EHOSTUNREACH':
      return new UserError(
        `failed to connect to ${where}: no route to the host from the stack's link`,
        'check the addresses and gateway of the link (--ip, --gw), or that the target is on this network',
        CurlExit.couldNotConnect,
      );
    case 'ECONNRESET':
    case 'ECONNABORTED':
      return ctx.connected ? receiveFailure(where, 'the connection was reset') : refusedLate(where);
    case 'EPIPE':
      return new UserError(
        `failure sending data to ${where}: the peer closed the connection`,
        'the server stopped reading; check its logs',
        CurlExit.sendError,
      );
    case 'ETIMEDOUT':
      return new UserError(
        ctx.connected
          ? `operation timed out: ${where} stopped acknowledging data (TCP gave up retransmitting)`
          : `failed to connect to ${where}: no answer to the SYN (TCP gave up retransmitting)`,
        'check the path with: synack ping HOST; a firewall may drop the packets',
        CurlExit.timeout,
      );
    case 'EPARTIAL':
      return new UserError(
        `transfer closed with outstanding data remaining: ${where} closed the connection before the end of the body`,
        'the server stopped early; check its logs, or look at the end of the transfer with --trace',
        CurlExit.partialFile,
      );
    default:
      break;
  }
  if (CERT_CODES.has(code)) {
    return new UserError(
      `SSL certificate problem: ${e.message ?? code}`,
      'trust the issuing CA with --cacert FILE, or skip verification with -k/--insecure',
      CurlExit.peerCertificate,
    );
  }
  if (code.startsWith('ERR_SSL') || code.startsWith('ERR_TLS') || /SSL|TLS/.test(e.message ?? '')) {
    return new UserError(
      `TLS handshake with ${where} failed: ${e.message ?? code}`,
      'is it an HTTPS server? for plain HTTP use an http:// URL',
      CurlExit.tlsConnect,
    );
  }
  if (code === 'HPE_INVALID_CONSTANT' || code.startsWith('HPE_')) {
    return receiveFailure(where, `the response is not valid HTTP (${e.message ?? code})`);
  }
  return receiveFailure(where, e.message ?? String(err));
}

function receiveFailure(where: string, what: string): UserError {
  return new UserError(
    `failure receiving data from ${where}: ${what}`,
    'retry; if it keeps happening, look at the packets with --trace --explain',
    CurlExit.receiveError,
  );
}

function refusedLate(where: string): UserError {
  return new UserError(
    `failed to connect to ${where}: the connection was reset during the handshake`,
    'is a server listening on that port? check it with: ss -ltn',
    CurlExit.couldNotConnect,
  );
}

export function timeoutError(what: 'connect' | 'total', ms: number, bytes: number): UserError {
  const seconds = (ms / 1000).toString();
  return new UserError(
    what === 'connect'
      ? `connection timed out after ${seconds} s (--connect-timeout)`
      : `operation timed out after ${seconds} s with ${bytes} bytes received (--max-time)`,
    what === 'connect'
      ? 'check the server is up and reachable (synack ping HOST), or raise --connect-timeout'
      : 'raise --max-time, or look at what stalls with --trace --explain',
    CurlExit.timeout,
  );
}

export function httpStatusError(status: number, statusMessage: string | undefined): UserError {
  return new UserError(
    `the requested URL returned error: ${status}${statusMessage ? ` ${statusMessage}` : ''}`,
    'drop -f/--fail to see the error page',
    CurlExit.httpError,
  );
}

export function writeFailure(target: string, err: unknown): UserError {
  const message = (err as NodeLikeError)?.message ?? String(err);
  return new UserError(
    `failure writing output to ${target}: ${message}`,
    'check the path, free space and permissions (or write elsewhere with -o FILE)',
    CurlExit.writeError,
  );
}
