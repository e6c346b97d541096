// Small pieces shared by the interface's receive and send paths: Ethernet headers, group MACs,
// and copying per-packet facts. (MAC text and solicited-node addresses: src/wire/addr.ts.)
import type { RxInfo } from '../link/device.js';
import { set16 } from '../wire/bytes.js';
import type { IpAddr } from './ip-addr.js';

export const BROADCAST_MAC: Uint8Array = new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);

export function writeEthernet(buf: Uint8Array, dst: Uint8Array, src: Uint8Array, type: number): void {
  buf.set(dst, 0);
  buf.set(src, 6);
  set16(buf, 12, type);
}

/** RFC 1112 §6.4 / RFC 2464 §7 group MACs; IPv4 broadcast to ff:ff:ff:ff:ff:ff. */
export function writeGroupMac(buf: Uint8Array, dst: IpAddr): void {
  if (typeof dst !== 'number') {
    buf[0] = 0x33;
    buf[1] = 0x33;
    buf[2] = dst[12];
    buf[3] = dst[13];
    buf[4] = dst[14];
    buf[5] = dst[15];
  } else if (dst >>> 28 === 0xe) {
    buf[0] = 0x01;
    buf[1] = 0x00;
    buf[2] = 0x5e;
    buf[3] = (dst >>> 16) & 0x7f;
    buf[4] = (dst >>> 8) & 0xff;
    buf[5] = dst & 0xff;
  } else {
    buf.set(BROADCAST_MAC, 0);
  }
}

/** RFC 2464 §7: 33:33 + the low 32 bits of the IPv6 multicast address. */
export function multicastMac6(dst: Uint8Array): Uint8Array {
  return new Uint8Array([0x33, 0x33, dst[12], dst[13], dst[14], dst[15]]);
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
