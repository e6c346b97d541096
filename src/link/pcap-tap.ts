// A Device wrapper that records every frame in and out to a pcap file (Ethernet: LINKTYPE_ETHERNET;
// IP devices: LINKTYPE_RAW), for Wireshark/tcpdump -r. Frames are written in the order they pass.

import { PcapWriter, type PcapWriterOptions } from '../wire/pcap.js';
import { LinkType as PcapLinkType } from '../wire/pcap-link.js';
import type { Device, RxInfo } from './device.js';
import { DeviceWrapper } from './device-wrapper.js';
import { WallTime, type WallTimeOptions } from './wall-time.js';

export interface PcapTapOptions extends WallTimeOptions {
  /** Which directions to record (default both). */
  directions?: 'in' | 'out' | 'both';
  /** Passed to PcapWriter (resolution, snaplen, buffer size). linkType is set from the device. */
  writer?: Omit<PcapWriterOptions, 'linkType'>;
}

export class PcapTap extends DeviceWrapper {
  readonly writer: PcapWriter;
  /** Frames written so far. */
  count = 0;
  private readonly wallTime: WallTime;
  private readonly recordIn: boolean;
  private readonly recordOut: boolean;
  private closed = false;

  /** @param target a file path (created/truncated) or an open fd. */
  constructor(inner: Device, target: string | number, options: PcapTapOptions = {}) {
    super(inner);
    this.wallTime = new WallTime(options);
    const dirs = options.directions ?? 'both';
    this.recordIn = dirs !== 'out';
    this.recordOut = dirs !== 'in';
    this.writer = new PcapWriter(target, {
      ...options.writer,
      linkType: inner.linkType === 'ethernet' ? PcapLinkType.Ethernet : PcapLinkType.Raw,
    });
  }

  override transmit(frame: Uint8Array, gsoSize = 0): void {
    if (this.recordOut && !this.closed) this.record(frame, this.wallTime.epochMs());
    this.inner.transmit(frame, gsoSize);
  }

  /** Flushes the inner device and the pcap buffer (so a reader sees every frame so far). */
  override flush(): void {
    this.inner.flush();
    if (!this.closed) this.writer.flush();
  }

  protected override receiveFrame(frame: Uint8Array, info: RxInfo): void {
    if (this.recordIn && !this.closed) this.record(frame, this.wallTime.epochMs(info.timestamp));
    this.deliver(frame, info);
  }

  override close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.writer.close();
    } finally {
      this.inner.close();
    }
  }

  private record(frame: Uint8Array, epochMs: number): void {
    this.count++;
    this.writer.write(frame, epochNanoseconds(epochMs));
  }
}

/** Exact nanoseconds: ms * 1e6 as a double loses sub-microsecond digits at today's epoch. */
function epochNanoseconds(epochMs: number): bigint {
  const whole = Math.floor(epochMs);
  return BigInt(whole) * 1_000_000n + BigInt(Math.round((epochMs - whole) * 1e6));
}
