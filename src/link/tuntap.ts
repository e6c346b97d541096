// TAP (Ethernet frames) and TUN (IP packets) devices through /dev/net/tun, without the packet
// information prefix (IFF_NO_PI). A device we create is not persistent: it vanishes when its fd
// closes, also when the process dies. Kernel-side address, routes and MTU are set with `ip`.
// With vnetHeader (IFF_VNET_HDR) every frame carries a virtio_net_hdr, which tells us when the
// kernel left a checksum to fill in (VIRTIO_NET_HDR_F_NEEDS_CSUM) or already verified it.

import { SysError } from '../sys/errors.js';
import { ip, ipQuiet, linkExists, linkMac, linkMtu } from '../sys/ip.js';
import {
  close as closeFd,
  ioctl,
  ioctlValue,
  O_CLOEXEC,
  O_NONBLOCK,
  O_RDWR,
  open as openFile,
  readInto,
  writeFrom,
} from '../sys/libc.js';
import { LengthViews } from '../wire/length-views.js';
import type { LinkType } from './device.js';
import { FdDevice, type FdDeviceOptions } from './fd-device.js';

// include/uapi/linux/if_tun.h
const TUNSETIFF = 0x400454ca;
const TUNSETOFFLOAD = 0x400454d0;
const IFF_TUN = 0x0001;
const IFF_TAP = 0x0002;
const IFF_NO_PI = 0x1000;
const IFF_VNET_HDR = 0x4000;
const TUN_F_CSUM = 0x01;
const TUN_F_TSO4 = 0x02;
const TUN_F_TSO6 = 0x04;
/** UDP segmentation offload (Linux >= 6.2; only both together). */
const TUN_F_USO4 = 0x20;
const TUN_F_USO6 = 0x40;
// include/uapi/linux/virtio_net.h
const VNET_HDR_LEN = 10;
const VIRTIO_NET_HDR_F_NEEDS_CSUM = 1;
const VIRTIO_NET_HDR_F_DATA_VALID = 2;
const VIRTIO_NET_HDR_GSO_TCPV4 = 1;
const VIRTIO_NET_HDR_GSO_TCPV6 = 4;
const ETH_HEADER = 14;
/** struct tcphdr: the checksum's offset (the vnet header's csum_offset). */
const TCP_CHECKSUM_OFFSET = 16;

const DEFAULT_QUEUE_LENGTH = 4096;
const IFNAMSIZ = 16;
const IFREQ_SIZE = 40;
/** Room for the largest GSO frame (64 KB) plus a vnet header. */
const RX_BUFFER = 65_536 + 256;

export interface TunTapOptions extends FdDeviceOptions {
  /** Interface name; a template with %d lets the kernel pick (default 'synack%d'). */
  name?: string;
  /** Kernel-side MTU (default: the interface's, 1500 for a new one). */
  mtu?: number;
  /** Kernel-side addresses with prefix length, e.g. ['10.9.0.1/24', 'fd00:9::1/64']. */
  addresses?: string[];
  /** Extra prefixes the kernel routes into the device, e.g. ['10.10.0.0/16']. */
  routes?: string[];
  /** Move the interface into this existing network namespace before configuring it. */
  netns?: string;
  /**
   * Frames the kernel queues for us before dropping (its txqueuelen; default 4096). JavaScript
   * readers stall for milliseconds now and then (GC, other callbacks): the kernel's 1000 loses
   * frames in bursts at 100k frames/s (bench/devices.ts).
   */
  queueLength?: number;
  /** Bring the interface up (default true). */
  up?: boolean;
  /** IFF_VNET_HDR: per-frame checksum metadata (RxInfo.checksumNotReady / checksumValid). */
  vnetHeader?: boolean;
  /**
   * With vnetHeader: accept partial checksums and GSO super-frames of up to 64 KB from the kernel
   * (TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6, and TUN_F_USO4 | TUN_F_USO6 where the kernel takes them),
   * as a NIC with offloads would. Default false.
   */
  offload?: boolean;
}

export class TunTapDevice extends FdDevice {
  readonly name: string;
  readonly linkType: LinkType;
  readonly mtu: number;
  /** The namespace the interface lives in (undefined: ours). */
  readonly netns: string | undefined;
  /** Whether we created the interface (then it vanishes on close) or attached to an existing one. */
  readonly created: boolean;
  private readonly vnet: boolean;
  /** The TUN_F_* offload flags the kernel accepted (0: every frame is MTU-sized, checksums complete). */
  readonly offloads: number;
  private readonly txBuffer: Uint8Array | null;
  /** Views of txBuffer by length (vnet header + frame), so writing allocates nothing per frame. */
  private readonly txViews: LengthViews | null;
  private readonly addedAddresses: string[] = [];
  private readonly addedRoutes: string[] = [];

  constructor(kind: 'tap' | 'tun', options: TunTapOptions = {}) {
    const requested = options.name ?? 'synack%d';
    const existed = !requested.includes('%') && linkExists(requested);
    const fd = openFile('/dev/net/tun', O_RDWR | O_NONBLOCK | O_CLOEXEC);
    let name: string;
    let offloads = 0;
    try {
      name = setInterface(fd, requested, kind, options.vnetHeader === true);
      if (options.vnetHeader && options.offload) offloads = setOffloads(fd);
    } catch (err) {
      closeQuietly(fd);
      throw err;
    }
    super(fd, RX_BUFFER, options);
    this.name = name;
    this.linkType = kind === 'tap' ? 'ethernet' : 'ip';
    this.created = !existed;
    this.vnet = options.vnetHeader === true;
    this.offloads = offloads;
    this.frameOffset = this.vnet ? VNET_HDR_LEN : 0;
    this.txBuffer = this.vnet ? new Uint8Array(RX_BUFFER) : null;
    this.txViews = this.txBuffer ? new LengthViews(this.txBuffer) : null;
    this.netns = options.netns;
    try {
      this.mtu = this.configure(options);
    } catch (err) {
      this.close();
      throw err;
    }
  }

  /** The kernel side's MAC address (TAP only): the neighbour our stack talks to. */
  kernelMac(): string {
    return linkMac(this.name, this.netns);
  }

  private configure(options: TunTapOptions): number {
    if (options.netns) ip(['link', 'set', 'dev', this.name, 'netns', options.netns]);
    const ns = options.netns;
    if (options.mtu !== undefined) ip(['link', 'set', 'dev', this.name, 'mtu', String(options.mtu)], ns);
    const queue = String(options.queueLength ?? DEFAULT_QUEUE_LENGTH);
    ip(['link', 'set', 'dev', this.name, 'txqueuelen', queue], ns);
    for (const address of options.addresses ?? []) {
      ip(['addr', 'add', address, 'dev', this.name], ns);
      this.addedAddresses.push(address);
    }
    if (options.up !== false) ip(['link', 'set', 'dev', this.name, 'up'], ns);
    for (const route of options.routes ?? []) {
      ip(['route', 'add', route, 'dev', this.name], ns);
      this.addedRoutes.push(route);
    }
    return options.mtu ?? linkMtu(this.name, ns);
  }

  protected readFrame(): number {
    const n = readInto(this.fd, this.rxBuffer.pointer, this.rxBuffer.bytes.length);
    if (n < 0) return -1;
    if (!this.vnet) return n;
    if (n < VNET_HDR_LEN) {
      this.countRxDrop();
      return 0;
    }
    const flags = this.rxBuffer.bytes[0];
    this.info.checksumNotReady = (flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) !== 0;
    this.info.checksumValid = (flags & VIRTIO_NET_HDR_F_DATA_VALID) !== 0;
    return n - VNET_HDR_LEN;
  }

  /** With a vnet header the kernel takes TCP super-frames from us and segments them (TSO). */
  get segmentationOffload(): boolean {
    return this.vnet && this.linkType === 'ethernet';
  }

  protected override encodeFrame(frame: Uint8Array, gsoSize: number): Uint8Array {
    const tx = this.txBuffer;
    if (tx === null) return frame;
    tx.fill(0, 0, VNET_HDR_LEN); // checksums complete, no segmentation
    if (gsoSize > 0) writeGsoHeader(tx, frame, gsoSize);
    tx.set(frame, VNET_HDR_LEN);
    return (this.txViews as LengthViews).view(frame.length + VNET_HDR_LEN);
  }

  protected writeFrame(bytes: Uint8Array): number {
    return writeFrom(this.fd, bytes, bytes.length);
  }

  protected release(): void {
    if (this.created) return; // the interface, its addresses and routes went with the fd
    for (const route of this.addedRoutes) ipQuiet(['route', 'del', route, 'dev', this.name], this.netns);
    for (const address of this.addedAddresses) {
      ipQuiet(['addr', 'del', address, 'dev', this.name], this.netns);
    }
  }
}

/**
 * The virtio_net_hdr of a TCP super-frame (include/uapi/linux/virtio_net.h, little-endian): the
 * kernel cuts it into segments of gsoSize payload bytes (gso_type TCPV4/TCPV6) and fills each
 * checksum from csum_start, where the partial checksum starts (NEEDS_CSUM).
 */
function writeGsoHeader(hdr: Uint8Array, frame: Uint8Array, gsoSize: number): void {
  const ipv6 = frame[12] === 0x86 && frame[13] === 0xdd;
  const ipHeader = ipv6 ? 40 : (frame[ETH_HEADER] & 0x0f) * 4;
  const l4 = ETH_HEADER + ipHeader;
  const tcpHeader = (frame[l4 + 12] >> 4) * 4;
  hdr[0] = VIRTIO_NET_HDR_F_NEEDS_CSUM;
  hdr[1] = ipv6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
  setLe16(hdr, 2, l4 + tcpHeader); // hdr_len
  setLe16(hdr, 4, gsoSize); // gso_size
  setLe16(hdr, 6, l4); // csum_start
  setLe16(hdr, 8, TCP_CHECKSUM_OFFSET); // csum_offset
}

function setLe16(buf: Uint8Array, at: number, value: number): void {
  buf[at] = value & 0xff;
  buf[at + 1] = value >>> 8;
}

/** TUNSETIFF: create or attach; returns the kernel's name for the interface. */
function setInterface(fd: number, name: string, kind: 'tap' | 'tun', vnet: boolean): string {
  const nameBytes = new TextEncoder().encode(name);
  if (nameBytes.length >= IFNAMSIZ) throw new RangeError(`interface name "${name}" is longer than 15 bytes`);
  const ifreq = new Uint8Array(IFREQ_SIZE);
  ifreq.set(nameBytes, 0);
  const flags = (kind === 'tap' ? IFF_TAP : IFF_TUN) | IFF_NO_PI | (vnet ? IFF_VNET_HDR : 0);
  new DataView(ifreq.buffer).setUint16(IFNAMSIZ, flags, true);
  ioctl(fd, TUNSETIFF, ifreq, `TUNSETIFF ${name}`);
  const end = ifreq.indexOf(0);
  return new TextDecoder().decode(ifreq.subarray(0, end < 0 ? IFNAMSIZ : end));
}

/**
 * TUNSETOFFLOAD with TCP segmentation and, where the kernel knows it (Linux >= 6.2), UDP
 * segmentation too; an older kernel refuses the unknown USO bits with EINVAL. Returns the flags set.
 */
function setOffloads(fd: number): number {
  const tcp = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6;
  try {
    ioctlValue(fd, TUNSETOFFLOAD, tcp | TUN_F_USO4 | TUN_F_USO6, 'TUNSETOFFLOAD');
    return tcp | TUN_F_USO4 | TUN_F_USO6;
  } catch (err) {
    if (!(err instanceof SysError) || err.code !== 'EINVAL') throw err;
    ioctlValue(fd, TUNSETOFFLOAD, tcp, 'TUNSETOFFLOAD');
    return tcp;
  }
}

function closeQuietly(fd: number): void {
  try {
    closeFd(fd);
  } catch {
    // already failing; keep the first error
  }
}
