// The part every Device wrapper (tracer, pcap writer, fault injector, the simulator's probe, the
// demo's one-shot drop) shares: it stands for its inner device (same name, link type and MTU),
// takes the inner device's received frames, and forwards transmit/flush/close to it. A wrapper
// overrides the two paths it cares about:
//   frame in:  `receiveFrame(frame, info)`, called for each frame from the inner device; the default
//              passes it up with `deliver`.
//   frame out: `transmit(frame)`; the default sends it on with `inner.transmit`.
// Both are plain method calls: no closure or allocation per frame.
import type { Device, FrameReceiver, LinkType, RxInfo } from './device.js';

export abstract class DeviceWrapper implements Device {
  readonly name: string;
  readonly linkType: LinkType;
  readonly mtu: number;
  /** The layer above (set by setReceiver); frames reach it through `deliver`. */
  protected receiver: FrameReceiver | null = null;

  constructor(readonly inner: Device) {
    this.name = inner.name;
    this.linkType = inner.linkType;
    this.mtu = inner.mtu;
    inner.setReceiver(this.fromInner);
  }

  /** Frame out: from the layer above, on its way to the inner device. */
  transmit(frame: Uint8Array, gsoSize = 0): void {
    this.inner.transmit(frame, gsoSize);
  }

  /**
   * Super-frames pass through a wrapper that sends each frame on at once (tracer, pcap writer); a
   * wrapper that holds or rewrites frames (fault injector, probes) says false.
   */
  get segmentationOffload(): boolean {
    return this.inner.segmentationOffload === true;
  }

  flush(): void {
    this.inner.flush();
  }

  setReceiver(receiver: FrameReceiver): void {
    this.receiver = receiver;
  }

  close(): void {
    this.inner.close();
  }

  /** Frame in: from the inner device, on its way up. The buffer and `info` are only valid during the call. */
  protected receiveFrame(frame: Uint8Array, info: RxInfo): void {
    this.deliver(frame, info);
  }

  /** Passes a frame to the layer above, if one is set. */
  protected deliver(frame: Uint8Array, info: RxInfo): void {
    this.receiver?.(frame, info);
  }

  /** Made once per wrapper: what the inner device calls with each received frame. */
  private readonly fromInner: FrameReceiver = (frame, info) => this.receiveFrame(frame, info);
}
