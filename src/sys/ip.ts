// Kernel-side interface configuration through iproute2's `ip` (synchronous: setup and teardown only,
// never on a packet path).

import { execFileSync } from 'node:child_process';

export class IpCommandError extends Error {
  override readonly name = 'IpCommandError';
  constructor(
    readonly args: string[],
    readonly stderr: string,
  ) {
    super(`ip ${args.join(' ')} failed: ${stderr.trim() || 'no message'}`);
  }
}

/** Run `ip [-n netns] args...`; returns stdout. Throws IpCommandError with ip's message. */
export function ip(args: string[], netns?: string): string {
  const full = netns ? ['-n', netns, ...args] : args;
  try {
    return execFileSync('ip', full, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { stderr?: string; message: string; code?: string };
    if (e.code === 'ENOENT') throw new IpCommandError(full, 'the ip command (iproute2) is not installed');
    throw new IpCommandError(full, e.stderr ?? e.message);
  }
}

/** Like ip(), but failures are ignored (cleanup paths). */
export function ipQuiet(args: string[], netns?: string): void {
  try {
    ip(args, netns);
  } catch {
    // best effort: the object may already be gone
  }
}

/** The MAC address of an interface, e.g. '8a:1f:...'. */
export function linkMac(name: string, netns?: string): string {
  const info = JSON.parse(ip(['-j', 'link', 'show', 'dev', name], netns)) as { address?: string }[];
  const mac = info[0]?.address;
  if (mac === undefined) throw new IpCommandError(['link', 'show', 'dev', name], 'no link-layer address');
  return mac;
}

/** The MTU of an interface. */
export function linkMtu(name: string, netns?: string): number {
  const info = JSON.parse(ip(['-j', 'link', 'show', 'dev', name], netns)) as { mtu?: number }[];
  return info[0]?.mtu ?? 1500;
}

export function linkExists(name: string, netns?: string): boolean {
  try {
    ip(['link', 'show', 'dev', name], netns);
    return true;
  } catch {
    return false;
  }
}
