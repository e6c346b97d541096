// What the Stack needs from the layer below: TCP segments in and out, addressed by IP, plus the
// route facts TCP needs (source address selection, MSS from the path MTU). A NetInterface is adapted
// to this in net-transport.ts; segment-pipe.ts implements it in memory for tests and simulations.
import type { TcpSegment } from '../tcp/segment.js';
import type { IpAddr } from './address.js';

/**
 * Receives one TCP segment. `src`, `dst` and `seg` (with its payload) may be reusable views that are
 * valid only during the call: the stack copies what it keeps.
 */
export type TcpSegmentHandler = (src: IpAddr, dst: IpAddr, seg: TcpSegment) => void;

export interface TcpTransport {
  /** Set the receiver of every TCP segment addressed to us (checksum verified); returns an unregister. */
  onTcp(handler: TcpSegmentHandler): () => void;
  /** Serialize and queue one segment; `seg` may be reused by the caller after this returns. */
  sendTcp(src: IpAddr, dst: IpAddr, seg: TcpSegment): void;
  /** Hand queued frames to the device (one batched transmit per stack round). */
  flush(): void;
  /** Our source address for a destination (RFC 1122 §3.3.4.3), or null when there is no route. */
  sourceFor(dst: IpAddr): IpAddr | null;
  /** The MSS we announce towards dst: path MTU minus IP and TCP headers (RFC 9293 §3.7.1). */
  mssFor(dst: IpAddr): number;
  /** Largest TCP payload per segment the layer below segments itself (TSO), 0 or absent: none. */
  segmentationLimit?(): number;
  /** Our addresses (to accept a listener bound to one of them). */
  addresses(): IpAddr[];
  /** Optional UDP, for the stack's own DNS resolver. */
  udp?: UdpTransport;
}

export type UdpDatagramHandler = (src: IpAddr, srcPort: number, payload: Uint8Array) => void;

export interface UdpTransport {
  /** Deliver datagrams arriving at a local port; returns an unbind function. */
  bind(port: number, handler: UdpDatagramHandler): () => void;
  send(src: IpAddr, srcPort: number, dst: IpAddr, dstPort: number, payload: Uint8Array): void;
}
