// Scapy's answers(): does `received` answer `sent`? Decided layer by layer like Scapy's
// Packet.answers: link layers are skipped (an Ether answers any Ether), then ARP, IP/IPv6 (with
// ICMP errors that quote the sent packet), and the transport (TCP, UDP, ICMP and ICMPv6 echo, ND).
import type { Layer } from '../packet/layer.js';
import { ARPLayer } from '../packet/layers/arp.js';
import { ICMPLayer } from '../packet/layers/icmp.js';
import {
  ICMPv6EchoReplyLayer,
  ICMPv6EchoRequestLayer,
  ICMPv6ErrorLayer,
  ICMPv6ND_NALayer,
  ICMPv6ND_NSLayer,
} from '../packet/layers/icmpv6.js';
import { IPLayer } from '../packet/layers/ip.js';
import { IPv6Layer } from '../packet/layers/ipv6.js';
import { RawLayer } from '../packet/layers/raw.js';
import { TCPLayer } from '../packet/layers/tcp.js';
import { UDPLayer } from '../packet/layers/udp.js';
import type { Packet } from '../packet/packet.js';
import { isGroupAddress, sameAddress } from './addresses.js';
import { networkLayer, payloadLength, upperIndex } from './layers-view.js';

/** ICMP reply type -> the request type it answers (RFC 792: echo, timestamp, information, mask). */
const ICMP_REPLY_OF: Readonly<Record<number, number>> = { 0: 8, 14: 13, 16: 15, 18: 17 };
const TCP_SYN = 0x02;
const TCP_FIN = 0x01;
const TCP_RST = 0x04;
const TCP_ACK = 0x10;

export function answers(sent: Packet, received: Packet): boolean {
  const s = networkLayer(sent.layers);
  const r = networkLayer(received.layers);
  if (!s || !r) return false;
  if (s.layer instanceof ARPLayer) return r.layer instanceof ARPLayer && arpAnswers(s.layer, r.layer);
  if (s.layer instanceof IPLayer && r.layer instanceof IPLayer) {
    return ipAnswers(sent.layers, s.index, received.layers, r.index);
  }
  if (s.layer instanceof IPv6Layer && r.layer instanceof IPv6Layer) {
    return ipAnswers(sent.layers, s.index, received.layers, r.index);
  }
  return false;
}

/** RFC 826: a reply (op 2) from the address the request asked for (Scapy: op + 1, psrc == pdst). */
function arpAnswers(s: ARPLayer, r: ARPLayer): boolean {
  return r.op === s.op + 1 && sameAddress(r.psrc, s.pdst);
}

type IpLike = IPLayer | IPv6Layer;

function ipAnswers(sl: readonly Layer[], si: number, rl: readonly Layer[], ri: number): boolean {
  const s = sl[si] as IpLike;
  const r = rl[ri] as IpLike;
  const su = upperIndex(sl, si);
  const ru = upperIndex(rl, ri);
  const sUpper = su < 0 ? undefined : sl[su];
  const rUpper = ru < 0 ? undefined : rl[ru];
  // Neighbor discovery: the advertisement names the solicited target; its addresses differ (RFC 4861 §7.2.4).
  if (sUpper instanceof ICMPv6ND_NSLayer) {
    return rUpper instanceof ICMPv6ND_NALayer && sameAddress(rUpper.tgt, sUpper.tgt);
  }
  if (!sameAddress(r.dst, s.src)) return false;
  if (isIcmpError(rUpper)) return quoteAnswers(sl, si, rl, ru + 1);
  // A probe to a group address is answered by its members, each from its own address.
  if (!isGroupAddress(s.dst) && !sameAddress(r.src, s.dst)) return false;
  if (protocolOf(s, sl, su) !== protocolOf(r, rl, ru)) return false;
  return transportAnswers(sl, su, rl, ru);
}

function isIcmpError(l: Layer | undefined): boolean {
  return (l instanceof ICMPLayer && l.isError) || l instanceof ICMPv6ErrorLayer;
}

/** The protocol number above the IP header (after IPv6 extension headers). */
function protocolOf(ip: IpLike, layers: readonly Layer[], upper: number): number {
  const auto = upper < 0 ? undefined : layers[upper].ipProtocolNumber;
  if (ip instanceof IPLayer) return ip.proto ?? auto ?? 0;
  return auto ?? ip.nh ?? 59;
}

/**
 * RFC 1122 §3.2.2 / RFC 4443 §2.4: an ICMP error quotes the IP header and the first bytes of the
 * packet that caused it; it answers the sent packet when the quote is that packet.
 */
function quoteAnswers(sl: readonly Layer[], si: number, rl: readonly Layer[], qi: number): boolean {
  const s = sl[si] as IpLike;
  const q = rl[qi];
  if (!(q instanceof IPLayer || q instanceof IPv6Layer) || q.constructor !== s.constructor) return false;
  if (!sameAddress(q.src, s.src) || !sameAddress(q.dst, s.dst)) return false;
  const su = upperIndex(sl, si);
  const qu = upperIndex(rl, qi);
  if (protocolOf(s, sl, su) !== protocolOf(q, rl, qu)) return false;
  const sUpper = su < 0 ? undefined : sl[su];
  const qUpper = qu < 0 ? undefined : rl[qu];
  if (sUpper instanceof TCPLayer || sUpper instanceof UDPLayer) {
    // The quote may be cut short (8 bytes of TCP): ports are what it surely holds.
    if (qUpper instanceof TCPLayer || qUpper instanceof UDPLayer) {
      return qUpper.sport === sUpper.sport && qUpper.dport === sUpper.dport;
    }
    return qUpper instanceof RawLayer && quotedPorts(qUpper.load, sUpper.sport, sUpper.dport);
  }
  if (sUpper instanceof ICMPLayer || sUpper instanceof ICMPv6EchoRequestLayer) {
    return qUpper instanceof RawLayer && quotedEcho(qUpper.load, sUpper);
  }
  return true;
}

function quotedPorts(b: Uint8Array, sport: number, dport: number): boolean {
  return b.length >= 4 && ((b[0] << 8) | b[1]) === sport && ((b[2] << 8) | b[3]) === dport;
}

function quotedEcho(b: Uint8Array, s: ICMPLayer | ICMPv6EchoRequestLayer): boolean {
  if (b.length < 8) return false;
  const type = s instanceof ICMPLayer ? s.type : s.messageType;
  return b[0] === type && ((b[4] << 8) | b[5]) === s.id && ((b[6] << 8) | b[7]) === s.seq;
}

function transportAnswers(sl: readonly Layer[], su: number, rl: readonly Layer[], ru: number): boolean {
  const s = su < 0 ? undefined : sl[su];
  const r = ru < 0 ? undefined : rl[ru];
  if (s instanceof TCPLayer) return r instanceof TCPLayer && tcpAnswers(s, r, payloadLength(sl, su));
  if (s instanceof UDPLayer) return r instanceof UDPLayer && r.sport === s.dport && r.dport === s.sport;
  if (s instanceof ICMPLayer) {
    return r instanceof ICMPLayer && ICMP_REPLY_OF[r.type] === s.type && r.id === s.id && r.seq === s.seq;
  }
  if (s instanceof ICMPv6EchoRequestLayer && !(s instanceof ICMPv6EchoReplyLayer)) {
    return r instanceof ICMPv6EchoReplyLayer && r.id === s.id && r.seq === s.seq;
  }
  // Any other protocol: the same protocol between the same hosts (Scapy's Raw answers Raw).
  return true;
}

/**
 * RFC 9293 §3.4: the answer comes back with the ports swapped and acknowledges everything sent:
 * seq + data length, +1 for SYN and +1 for FIN. A reset (RFC 9293 §3.5.2) answers regardless.
 */
function tcpAnswers(s: TCPLayer, r: TCPLayer, dataLength: number): boolean {
  if (r.sport !== s.dport || r.dport !== s.sport) return false;
  if (r.flags & TCP_RST) return true;
  if (!(r.flags & TCP_ACK)) return false;
  const consumed = dataLength + (s.flags & TCP_SYN ? 1 : 0) + (s.flags & TCP_FIN ? 1 : 0);
  return r.ack === (s.seq + consumed) >>> 0;
}
