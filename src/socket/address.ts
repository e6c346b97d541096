// IP addresses in the stack use the interface's representation (src/net/ip-addr.ts): an IPv4
// address is a u32 number, an IPv6 address 16 bytes, so segments go from the interface to the
// demux table with no conversion. Text only at the edges (connect/listen arguments, address()).
import { isIP } from 'node:net';
import { formatIp, hashIp, type IpAddr, type IpFamily, ipEquals, parseIp } from '../net/ip-addr.js';

export type { IpAddr, IpFamily };

export function familyOf(addr: IpAddr): IpFamily {
  return typeof addr === 'number' ? 4 : 6;
}

/** Parse a literal IPv4 or IPv6 address ("10.0.0.1", "fd00::1", "[fd00::1]"); null if not one. */
export function parseIpAddr(text: string): IpAddr | null {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return isIP(bare) === 0 ? null : parseIp(bare);
}

export const formatIpAddr: (addr: IpAddr) => string = formatIp;
export const ipAddrEquals: (a: IpAddr, b: IpAddr) => boolean = ipEquals;
export const ipAddrHash: (addr: IpAddr) => number = hashIp;

/** Node's family names, as net.Socket#remoteFamily and address() report them. */
export function familyName(family: IpFamily): 'IPv4' | 'IPv6' {
  return family === 4 ? 'IPv4' : 'IPv6';
}

/** The unspecified address of a family (0.0.0.0 or ::), used for wildcard listeners. */
export function anyAddr(family: IpFamily): IpAddr {
  return family === 4 ? 0 : new Uint8Array(16);
}

export function isUnspecified(addr: IpAddr): boolean {
  if (typeof addr === 'number') return addr === 0;
  for (let i = 0; i < 16; i++) if (addr[i] !== 0) return false;
  return true;
}

/** A stable copy (the receive path hands IPv6 addresses over in reused arrays). */
export function cloneIpAddr(addr: IpAddr): IpAddr {
  return typeof addr === 'number' ? addr : addr.slice();
}
