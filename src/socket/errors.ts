// Errors shaped like Node's own socket errors (err.code, err.errno, err.syscall, err.address,
// err.port), so code written for net.Socket (http, undici, retry logic) recognizes them.
import type { TcpError } from '../tcp/errors.js';

/** Linux errno values, negated like libuv reports them (uv_errname). */
const ERRNO = {
  ECONNREFUSED: -111,
  ECONNRESET: -104,
  ETIMEDOUT: -110,
  ECONNABORTED: -103,
  EPIPE: -32,
  EADDRINUSE: -98,
  EADDRNOTAVAIL: -99,
  ENETUNREACH: -101,
  EINVAL: -22,
} as const;

export type SocketErrorCode = keyof typeof ERRNO;

export interface SocketError extends Error {
  code: SocketErrorCode;
  errno: number;
  syscall: string;
  address?: string;
  port?: number;
}

export function socketError(
  code: SocketErrorCode,
  syscall: string,
  address?: string,
  port?: number,
): SocketError {
  const where = address === undefined ? '' : port === undefined ? ` ${address}` : ` ${address}:${port}`;
  const err = new Error(`${syscall} ${code}${where}`) as SocketError;
  err.code = code;
  err.errno = ERRNO[code];
  err.syscall = syscall;
  if (address !== undefined) err.address = address;
  if (port !== undefined) err.port = port;
  return err;
}

/** The Node error for how a TCP connection ended (RFC 9293 §3.10 error names -> errno). */
export function errorFromTcp(
  tcpError: TcpError,
  address: string,
  port: number,
  connecting: boolean,
): SocketError {
  switch (tcpError.code) {
    case 'refused':
      return socketError('ECONNREFUSED', 'connect', address, port);
    case 'reset':
      return connecting
        ? socketError('ECONNREFUSED', 'connect', address, port)
        : socketError('ECONNRESET', 'read');
    case 'timeout':
    case 'keepalive-timeout':
      return connecting
        ? socketError('ETIMEDOUT', 'connect', address, port)
        : socketError('ETIMEDOUT', 'read');
    case 'aborted':
      return socketError('ECONNABORTED', 'read');
    default:
      return socketError('EPIPE', 'write');
  }
}
