// ARP for IPv4 over Ethernet (RFC 826): reading the fields the interface needs and writing
// requests and replies. Offsets are relative to the start of the ARP packet (after Ethernet).
import { get16, get32, set16, set32 } from '../wire/bytes.js';
import { wireError } from '../wire/errors.js';

export const ARP_LENGTH = 28;
export const ARP_REQUEST = 1;
export const ARP_REPLY = 2;
const HTYPE_ETHERNET = 1;
const PTYPE_IPV4 = 0x0800;

export interface ArpFields {
  op: number;
  senderMac: Uint8Array;
  senderIp: number;
  targetMac: Uint8Array;
  targetIp: number;
}

/** A reusable holder (the MAC fields are views into the frame, valid during the call). */
export function emptyArpFields(): ArpFields {
  return { op: 0, senderMac: new Uint8Array(6), senderIp: 0, targetMac: new Uint8Array(6), targetIp: 0 };
}

/**
 * Reads an Ethernet/IPv4 ARP packet into `out`. Throws WireError for short packets and
 * 'unsupported' for other hardware/protocol types (RFC 826 "?Do I have the hardware type").
 */
export function readArp(buf: Uint8Array, off: number, len: number, out: ArpFields): void {
  if (len < ARP_LENGTH) wireError('truncated', `ARP: ${len} bytes, need 28`);
  if (get16(buf, off) !== HTYPE_ETHERNET || get16(buf, off + 2) !== PTYPE_IPV4) {
    wireError('unsupported', 'ARP: not Ethernet/IPv4');
  }
  if (buf[off + 4] !== 6 || buf[off + 5] !== 4) wireError('bad-length', 'ARP: address lengths not 6/4');
  out.op = get16(buf, off + 6);
  out.senderMac = buf.subarray(off + 8, off + 14);
  out.senderIp = get32(buf, off + 14);
  out.targetMac = buf.subarray(off + 18, off + 24);
  out.targetIp = get32(buf, off + 24);
}

/** Writes a 28-byte ARP packet at buf[off]. */
export function writeArp(
  buf: Uint8Array,
  off: number,
  op: number,
  senderMac: Uint8Array,
  senderIp: number,
  targetMac: Uint8Array | null,
  targetIp: number,
): void {
  set16(buf, off, HTYPE_ETHERNET);
  set16(buf, off + 2, PTYPE_IPV4);
  buf[off + 4] = 6;
  buf[off + 5] = 4;
  set16(buf, off + 6, op);
  buf.set(senderMac, off + 8);
  set32(buf, off + 14, senderIp);
  if (targetMac === null) buf.fill(0, off + 18, off + 24);
  else buf.set(targetMac, off + 18);
  set32(buf, off + 24, targetIp);
}
