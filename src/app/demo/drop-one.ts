// A one-shot fault for the demo: drop the Nth data segment that arrives from the server, once.
// Deterministic (unlike loss=5%), so every run shows the same recovery: duplicate ACKs carrying
// SACK blocks (RFC 2018), the server's fast retransmit (RFC 5681 §3.2 / RFC 6675) and the hole filled.
import type { Device, LinkType, RxInfo } from '../../link/device.js';
import { DeviceWrapper } from '../../link/device-wrapper.js';

/** Payload length of a TCP segment in an Ethernet or raw IP frame; -1 when it is not TCP. */
export function tcpPayloadLength(frame: Uint8Array, linkType: LinkType): number {
  let o = 0;
  if (linkType === 'ethernet') {
    if (frame.length < 14) return -1;
    const type = (frame[12] << 8) | frame[13];
    if (type !== 0x0800 && type !== 0x86dd) return -1;
    o = 14;
  }
  if (frame.length < o + 20) return -1;
  const version = frame[o] >> 4;
  let ipHeader: number;
  let ipTotal: number;
  if (version === 4) {
    if (frame[o + 9] !== 6) return -1;
    ipHeader = (frame[o] & 15) * 4;
    ipTotal = (frame[o + 2] << 8) | frame[o + 3];
  } else if (version === 6) {
    if (frame.length < o + 40 || frame[o + 6] !== 6) return -1; // no extension headers expected here
    ipHeader = 40;
    ipTotal = 40 + ((frame[o + 4] << 8) | frame[o + 5]);
  } else return -1;
  const t = o + ipHeader;
  if (frame.length < t + 20) return -1;
  const tcpHeader = (frame[t + 12] >> 4) * 4;
  return Math.max(0, ipTotal - ipHeader - tcpHeader);
}

export class DropNthDataSegment extends DeviceWrapper {
  /** Data segments received so far. */
  seen = 0;
  dropped = false;

  constructor(
    inner: Device,
    /** 1-based: which incoming data segment to drop. */
    readonly nth: number,
    private readonly onDrop: (payloadLength: number) => void = () => {},
  ) {
    super(inner);
  }

  protected override receiveFrame(frame: Uint8Array, info: RxInfo): void {
    const payload = this.dropped ? 0 : tcpPayloadLength(frame, this.linkType);
    if (payload > 0 && ++this.seen === this.nth) {
      this.dropped = true;
      this.onDrop(payload);
      return;
    }
    this.deliver(frame, info);
  }
}
