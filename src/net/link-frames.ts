// Small pieces shared by the interface's receive and send paths: Ethernet headers, group MACs,
// and copying per-packet facts. (MAC text and solicited-node addresses: src/wire/addr.ts.)
import type { RxInfo } from '../link/device.js';
import { writeIpv4MulticastMac, writeIpv6MulticastMac } from '../wire/addr.js';
import { set16 } from '../wire/bytes.js';
import type { IpAddr } from './ip-addr.js';

export const BROADCAST_MAC: Uint8Array = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

export function writeEthernet(buf: Uint8Array, dst: Uint8Array, src: Uint8Array, type: number): void {
  buf.set(dst, 0);
  buf.set(src, 6);
  set16(buf, 12, type);
}

/** An Ethernet header to the group MAC of `dst` (RFC 1112 §6.4, RFC 2464 §7). */
export function writeMulticastEthernet(buf: Uint8Array, dst: IpAddr, src: Uint8Array, type: number): void {
  writeGroupMac(buf, dst);
  buf.set(src, 6);
  set16(buf, 12, type);
}

/** RFC 1112 §6.4 / RFC 2464 §7 group MACs; IPv4 broadcast to ff:ff:ff:ff:ff:ff. */
export function writeGroupMac(buf: Uint8Array, dst: IpAddr): void {
  if (typeof dst !== 'number') writeIpv6MulticastMac(dst, 0, buf, 0);
  else if (dst >>> 28 === 0xe) writeIpv4MulticastMac(dst, buf, 0);
  else buf.set(BROADCAST_MAC, 0);
}

export function sameMac(a: Uint8Array, aOff: number, b: Uint8Array): boolean {
  for (let i = 0; i < 6; i++) if (a[aOff + i] !== b[i]) return false;
  return true;
}

export function setInfo(target: RxInfo, info: RxInfo): void {
  target.timestamp = info.timestamp;
  target.checksumNotReady = info.checksumNotReady;
  target.checksumValid = info.checksumValid;
}

export function copy16(target: Uint8Array, buf: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) target[i] = buf[off + i];
}
