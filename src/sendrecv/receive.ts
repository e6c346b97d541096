// Received frames -> packets: the raw-frame filter runs first (nothing is copied for frames it
// rejects), then the frame is copied (devices reuse their buffers), dissected and time-stamped.
import type { Device, RxInfo } from '../link/device.js';
import { dissect } from '../packet/dissect.js';
import type { Packet } from '../packet/packet.js';
import { LinkType } from '../wire/pcap-link.js';
import { compileFilter } from './filter/index.js';

/** A tcpdump-style expression ("tcp port 80 and host 10.0.0.1"), or a predicate over packets. */
export type PacketFilter = string | ((pkt: Packet) => boolean);

export type FrameDecoder = (frame: Uint8Array, info: RxInfo) => Packet | undefined;

export function pcapLinkType(device: Device): number {
  return device.linkType === 'ip' ? LinkType.Raw : LinkType.Ethernet;
}

/** The wall-clock time now, with sub-millisecond precision, as a capture timestamp. */
export function captureTimeNow(): { seconds: number; nanoseconds: number } {
  const ms = performance.timeOrigin + performance.now();
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanoseconds: Math.floor((ms - seconds * 1000) * 1e6) };
}

export function frameDecoder(device: Device, filter: PacketFilter | undefined): FrameDecoder {
  const linkType = pcapLinkType(device);
  const raw = typeof filter === 'string' ? compileFilter(filter, device.linkType) : undefined;
  const byPacket = typeof filter === 'function' ? filter : undefined;
  return (frame) => {
    if (raw !== undefined && !raw(frame)) return undefined;
    const pkt = dissect(frame.slice(), linkType);
    pkt.time = captureTimeNow();
    pkt.linkType = linkType;
    if (byPacket !== undefined && !byPacket(pkt)) return undefined;
    return pkt;
  };
}
