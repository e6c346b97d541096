// Whether this process runs in a user namespace that maps only part of the uid range (e.g. after
// `unshare -Urnm` as an unprivileged user). There only our own uid exists, so servers must not try
// to switch to another user (nginx's default "nobody" fails its chown with EINVAL).
import { readFileSync } from 'node:fs';

/** The initial namespace maps every uid onto itself: one line "0 0 4294967295". */
export function isIdentityUidMap(uidMap: string): boolean {
  const lines = uidMap.trim().split('\n');
  if (lines.length !== 1) return false;
  const [inside, outside, count] = lines[0].trim().split(/\s+/);
  return inside === '0' && outside === '0' && count === '4294967295';
}

/** True when /proc/self/uid_map is not the identity map (false where it cannot be read). */
export function inRestrictedUserNamespace(readUidMap: () => string = defaultUidMap): boolean {
  let map: string;
  try {
    map = readUidMap();
  } catch {
    return false;
  }
  return !isIdentityUidMap(map);
}

function defaultUidMap(): string {
  return readFileSync('/proc/self/uid_map', 'utf8');
}
