// A failed system call: which call, the errno and its symbolic name, with a readable message.

import { constants } from 'node:os';

const ERRNO_NAMES = new Map<number, string>(
  Object.entries(constants.errno).map(([name, value]) => [value, name] as [number, string]),
);

/** The symbolic name of an errno value, e.g. 1 -> 'EPERM'. */
export function errnoName(errno: number): string {
  return ERRNO_NAMES.get(errno) ?? `E${errno}`;
}

const HINTS: Record<string, string> = {
  EPERM: 'this needs root (or CAP_NET_ADMIN / CAP_NET_RAW)',
  EACCES: 'this needs root (or CAP_NET_ADMIN / CAP_NET_RAW)',
  ENODEV: 'no such network interface',
  ENOENT: 'no such file or device (is /dev/net/tun there?)',
  EBUSY: 'the device is in use by another process',
  EINVAL: 'the kernel refused the arguments',
};

export class SysError extends Error {
  override readonly name = 'SysError';
  /** Symbolic errno, e.g. 'EPERM'. */
  readonly code: string;
  constructor(
    readonly syscall: string,
    readonly errno: number,
    detail?: string,
  ) {
    const code = errnoName(errno);
    const hint = HINTS[code];
    super(`${syscall}${detail ? ` ${detail}` : ''} failed: ${code}${hint ? ` (${hint})` : ''}`);
    this.code = code;
  }
}
