// Small pieces shared by the interface's receive and send paths: Ethernet headers, group MACs,
// solicited-node addresses, rebuilding reassembled packets, and copying per-packet facts.
import type { RxInfo } from '../link/device.js';
import { set16 } from '../wire/bytes.js';
import { internetChecksum } from '../wire/checksum.js';
import type { IpAddr } from './ip-addr.js';
import { IPV6_HEADER } from './ip-header.js';
import type { Reassembled } from './reassembly.js';

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

/** RFC 4291 §2.7.1: ff02::1:ffXX:XXXX. */
export function solicitedNode(target: Uint8Array): Uint8Array {
  const out = new Uint8Array(16);
  out[0] = 0xff;
  out[1] = 0x02;
  out[11] = 0x01;
  out[12] = 0xff;
  out[13] = target[13];
  out[14] = target[14];
  out[15] = target[15];
  return out;
}

export function macText(mac: Uint8Array): string {
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join(':');
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

export function hex16(buf: Uint8Array, off: number): string {
  let s = '';
  for (let i = 0; i < 16; i++) s += buf[off + i].toString(16).padStart(2, '0');
  return s;
}

/** The reassembled IPv4 packet: first fragment's header, lengths and checksum fixed (RFC 791 §3.2). */
export function rebuildIpv4(done: Reassembled): Uint8Array {
  const h = done.header.length;
  const packet = new Uint8Array(h + done.payload.length);
  packet.set(done.header, 0);
  packet.set(done.payload, h);
  set16(packet, 2, Math.min(packet.length, 0xffff));
  set16(packet, 6, 0);
  packet[10] = 0;
  packet[11] = 0;
  set16(packet, 10, internetChecksum(packet, 0, h));
  return packet;
}

/** The reassembled IPv6 packet: fixed header (next header already patched) + payload (RFC 8200 §4.5). */
export function rebuildIpv6(done: Reassembled): Uint8Array {
  const packet = new Uint8Array(IPV6_HEADER + done.payload.length);
  packet.set(done.header.subarray(0, IPV6_HEADER), 0);
  packet.set(done.payload, IPV6_HEADER);
  set16(packet, 4, done.payload.length);
  return packet;
}
