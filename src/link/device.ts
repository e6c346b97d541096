// The device contract: everything below the interface (TAP, TUN, AF_PACKET, the in-memory wire,
// and the wrappers: tracer, pcap writer, fault injector) looks like this to the layer above.

/** What a frame starts with: an Ethernet header, or directly an IP header (TUN, raw-IP pcaps). */
export type LinkType = 'ethernet' | 'ip';

/** Per-frame facts the kernel reports alongside the bytes (AF_PACKET auxdata, TUN vnet header). */
export interface RxInfo {
  /** Receive time in milliseconds on the device's clock. */
  timestamp: number;
  /**
   * The transport checksum is not filled in yet (TP_STATUS_CSUMNOTREADY / VIRTIO_NET_HDR_F_NEEDS_CSUM):
   * the frame came from a local sender with checksum offload. Treat the checksum as valid.
   */
  checksumNotReady: boolean;
  /** The kernel verified the checksum already (TP_STATUS_CSUM_VALID). */
  checksumValid: boolean;
}

/**
 * Receives frames. The buffer and `info` are only valid during the call: a receiver that keeps
 * data copies it (devices reuse their receive buffers and RxInfo so the hot path allocates nothing).
 */
export type FrameReceiver = (frame: Uint8Array, info: RxInfo) => void;

export interface Device {
  readonly name: string;
  readonly linkType: LinkType;
  /** Largest frame payload (the IP packet) in bytes, e.g. 1500. */
  readonly mtu: number;
  /**
   * Queue one frame for transmission. The device copies it or writes it before returning.
   * gsoSize > 0 (only where segmentationOffload is true): a TCP super-frame longer than the MTU
   * with a partial checksum (the pseudo-header sum in the checksum field), which the device cuts
   * into segments of gsoSize payload bytes and checksums, as a NIC with TSO does.
   */
  transmit(frame: Uint8Array, gsoSize?: number): void;
  /** The device takes TCP super-frames (transmit's gsoSize): TSO on a TAP with a vnet header. */
  readonly segmentationOffload?: boolean;
  /** Flush frames queued by transmit (batched devices); a no-op where transmit writes at once. */
  flush(): void;
  /** Where received frames go. Setting it again replaces the previous receiver. */
  setReceiver(receiver: FrameReceiver): void;
  /** Stop receiving, release the fd/worker, undo host state the device created. Idempotent. */
  close(): void;
}

export function rxInfo(timestamp: number): RxInfo {
  return { timestamp, checksumNotReady: false, checksumValid: false };
}
