// What the interface hands to the layers above. Everything passed is only valid during the call:
// views into the received frame and objects the interface reuses for the next packet.
import type { RxInfo } from '../link/device.js';
import type { TcpSegment } from '../tcp/segment.js';
import type { IpAddr } from './ip-addr.js';

/**
 * The IP layer facts of a received packet. One object per family is reused for every packet:
 * `src`/`dst` are numbers for IPv4, and two reused 16-byte arrays for IPv6 (copy to keep).
 */
export interface RxIp {
  family: 4 | 6;
  src: IpAddr;
  dst: IpAddr;
  /** TTL (IPv4) or hop limit (IPv6). */
  hopLimit: number;
  /** TOS byte (DSCP + ECN, RFC 2474/3168) or IPv6 traffic class. */
  tos: number;
  info: RxInfo;
}

/** A received TCP segment (reused object; payload is a view into the frame). */
export type TcpHandler = (seg: TcpSegment, ip: RxIp) => void;

export type UdpHandler = (payload: Uint8Array, srcPort: number, dstPort: number, ip: RxIp) => void;

export interface IcmpMessage {
  family: 4 | 6;
  type: number;
  code: number;
  /** Echo identifier and sequence number (the "rest of header" word for other types). */
  id: number;
  seq: number;
  /** The whole ICMP message (type onwards). */
  message: Uint8Array;
  /** Everything after the 8-byte ICMP header: echo data, or the quoted packet of an error. */
  body: Uint8Array;
  ip: RxIp;
}

/**
 * ICMP messages the interface does not answer itself: echo replies (ping), and errors
 * (destination unreachable, packet too big, time exceeded, parameter problem) for the TCP layer
 * to match against its connections through the quoted header in `body` (RFC 1122 §4.2.3.9, RFC 5927).
 */
export type IcmpHandler = (msg: IcmpMessage) => void;

/** Every IP packet addressed to us, before demux (reassembled when it was fragmented). */
export type RawIpHandler = (packet: Uint8Array, family: 4 | 6, protocol: number, info: RxInfo) => void;

export type SendResult = 'sent' | 'queued' | 'no-route' | 'queue-full' | 'too-big' | 'no-source';

export const ICMP_ECHO_REPLY = 0;
export const ICMP_DEST_UNREACHABLE = 3;
export const ICMP_ECHO_REQUEST = 8;
export const ICMP_TIME_EXCEEDED = 11;
export const ICMPV6_DEST_UNREACHABLE = 1;
export const ICMPV6_PACKET_TOO_BIG = 2;
export const ICMPV6_TIME_EXCEEDED = 3;
export const ICMPV6_ECHO_REQUEST = 128;
export const ICMPV6_ECHO_REPLY = 129;
