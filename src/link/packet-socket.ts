// An AF_PACKET raw socket on an existing interface: every Ethernet frame the interface receives
// (ETH_P_ALL), and frames we write go out on it as they are. PACKET_AUXDATA tells us, per frame,
// when the checksum is not filled in yet (a local sender with checksum offload, e.g. a veth peer)
// and when the kernel already verified it. Such local senders also hand over large GSO frames
// (25-29 KB seen on veth, PLATFORM.md): the receive buffer holds 64 KB.

import { SysError } from '../sys/errors.js';
import { linkMtu } from '../sys/ip.js';
import {
  AF_PACKET,
  allocNative,
  bind,
  close as closeFd,
  ETH_P_ALL,
  freeNative,
  getsockopt,
  ifNameToIndex,
  type NativeBuffer,
  PACKET_ADD_MEMBERSHIP,
  PACKET_AUXDATA,
  PACKET_IGNORE_OUTGOING,
  PACKET_MR_PROMISC,
  PACKET_STATISTICS,
  recvInto,
  SO_RCVBUF,
  SO_RCVBUFFORCE,
  SO_SNDBUF,
  SOCK_CLOEXEC,
  SOCK_NONBLOCK,
  SOCK_RAW,
  SOL_PACKET,
  SOL_SOCKET,
  setsockopt,
  setsockoptInt,
  socket,
  writeFrom,
} from '../sys/libc.js';
import type { LinkType } from './device.js';
import { FdDevice, type FdDeviceOptions } from './fd-device.js';

// include/uapi/linux/if_packet.h
const TP_STATUS_CSUMNOTREADY = 1 << 3;
const TP_STATUS_CSUM_VALID = 1 << 7;
const MSG_TRUNC = 0x20;
const PACKET_MR_UNICAST = 3;
/** The largest GSO frame a local sender hands over, plus room. */
const RX_BUFFER = 65_536 + 256;
const CONTROL_BUFFER = 64;
const DEFAULT_SOCKET_BUFFER = 4 * 1024 * 1024;

export interface PacketSocketOptions extends FdDeviceOptions {
  /** Receive every frame on the link, not only those for our MAC (PACKET_MR_PROMISC). */
  promiscuous?: boolean;
  /**
   * Skip frames this host sends on the interface (PACKET_IGNORE_OUTGOING; default true). Turn it
   * off to see both directions, as tcpdump does.
   */
  ignoreOutgoing?: boolean;
  /**
   * A MAC address our stack uses besides the interface's own, e.g. '02:00:00:00:00:01': added to
   * the interface's unicast filter (PACKET_MR_UNICAST; the kernel falls back to promiscuous mode
   * where the driver has no filter). Removed when the socket closes.
   */
  ownMac?: string;
  /** Kernel socket buffer in bytes for each direction (default 4 MB). */
  socketBuffer?: number;
}

export class PacketSocketDevice extends FdDevice {
  readonly linkType: LinkType = 'ethernet';
  readonly mtu: number;
  readonly ifindex: number;
  /** msghdr + iovec + control buffer for recvmsg, in native memory, built once. */
  private readonly msg: NativeBuffer;
  private readonly msgView: DataView;

  constructor(
    readonly name: string,
    options: PacketSocketOptions = {},
  ) {
    const ifindex = ifNameToIndex(name);
    const fd = socket(AF_PACKET, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, htons(ETH_P_ALL));
    try {
      configureSocket(fd, ifindex, options);
    } catch (err) {
      closeFd(fd);
      throw err;
    }
    super(fd, RX_BUFFER, options);
    this.ifindex = ifindex;
    this.mtu = linkMtu(name);
    this.msg = allocNative(56 + 16 + CONTROL_BUFFER);
    this.msgView = new DataView(this.msg.bytes.buffer, this.msg.bytes.byteOffset, this.msg.bytes.byteLength);
    this.buildMsghdr();
  }

  /**
   * struct msghdr (x86-64/arm64 layout): name 0, namelen 8, iov 16, iovlen 24, control 32,
   * controllen 40, flags 48; then one struct iovec at 56 and the control buffer at 72.
   */
  private buildMsghdr(): void {
    const v = this.msgView;
    const base = this.msg.address;
    v.setBigUint64(16, base + 56n, true);
    v.setBigUint64(24, 1n, true);
    v.setBigUint64(32, base + 72n, true);
    v.setBigUint64(56, this.rxBuffer.address, true);
    v.setBigUint64(64, BigInt(this.rxBuffer.bytes.length), true);
  }

  protected readFrame(): number {
    const v = this.msgView;
    v.setBigUint64(40, BigInt(CONTROL_BUFFER), true); // the kernel shrinks controllen each call
    const n = recvInto(this.fd, this.msg.pointer);
    if (n < 0) return -1;
    if ((v.getInt32(48, true) & MSG_TRUNC) !== 0) {
      this.countRxDrop();
      return 0;
    }
    this.readAuxdata();
    return n;
  }

  /** Walk the cmsgs (cmsghdr: u64 len, i32 level, i32 type, data at 16) for PACKET_AUXDATA. */
  private readAuxdata(): void {
    const v = this.msgView;
    const end = 72 + Number(v.getBigUint64(40, true));
    this.info.checksumNotReady = false;
    this.info.checksumValid = false;
    for (let at = 72; at + 16 <= end; ) {
      const len = Number(v.getBigUint64(at, true));
      if (len < 16) return;
      if (v.getInt32(at + 8, true) === SOL_PACKET && v.getInt32(at + 12, true) === PACKET_AUXDATA) {
        const status = v.getUint32(at + 16, true); // struct tpacket_auxdata: tp_status first
        this.info.checksumNotReady = (status & TP_STATUS_CSUMNOTREADY) !== 0;
        this.info.checksumValid = (status & TP_STATUS_CSUM_VALID) !== 0;
        return;
      }
      at += (len + 7) & ~7;
    }
  }

  protected writeFrame(frame: Uint8Array): number {
    return writeFrom(this.fd, frame, frame.length);
  }

  private readonly kernelCounts = { packets: 0, drops: 0 };

  /**
   * The kernel's counters for this socket since it opened (PACKET_STATISTICS): frames it queued
   * for us and frames it dropped because our receive buffer was full.
   */
  kernelStats(): { packets: number; drops: number } {
    if (!this.isClosed) {
      const stats = new Uint8Array(8); // struct tpacket_stats { u32 tp_packets; u32 tp_drops; }
      getsockopt(this.fd, SOL_PACKET, PACKET_STATISTICS, stats, 'PACKET_STATISTICS');
      const v = new DataView(stats.buffer);
      // The kernel resets its counters on each read; tp_packets includes the drops.
      this.kernelCounts.packets += v.getUint32(0, true);
      this.kernelCounts.drops += v.getUint32(4, true);
    }
    return { ...this.kernelCounts };
  }

  protected release(): void {
    // The promiscuous membership ends with the socket.
    freeNative(this.msg);
  }
}

/** Open an AF_PACKET socket on an existing interface. Needs root or CAP_NET_RAW. */
export function openPacketSocket(name: string, options: PacketSocketOptions = {}): PacketSocketDevice {
  return new PacketSocketDevice(name, options);
}

function configureSocket(fd: number, ifindex: number, options: PacketSocketOptions): void {
  const size = options.socketBuffer ?? DEFAULT_SOCKET_BUFFER;
  setBuffer(fd, size);
  setsockoptInt(fd, SOL_SOCKET, SO_SNDBUF, size, 'SO_SNDBUF');
  setsockoptInt(fd, SOL_PACKET, PACKET_AUXDATA, 1, 'PACKET_AUXDATA');
  if (options.ignoreOutgoing !== false) {
    setsockoptInt(fd, SOL_PACKET, PACKET_IGNORE_OUTGOING, 1, 'PACKET_IGNORE_OUTGOING');
  }
  bind(fd, sockaddrLl(ifindex));
  if (options.promiscuous) {
    setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, packetMreq(ifindex, PACKET_MR_PROMISC), 'promisc');
  }
  if (options.ownMac !== undefined) {
    const mreq = packetMreq(ifindex, PACKET_MR_UNICAST, parseMac(options.ownMac));
    setsockopt(fd, SOL_PACKET, PACKET_ADD_MEMBERSHIP, mreq, `unicast ${options.ownMac}`);
  }
}

function parseMac(mac: string): Uint8Array {
  const parts = mac.split(':');
  if (parts.length !== 6 || parts.some((p) => !/^[0-9a-f]{1,2}$/i.test(p))) {
    throw new RangeError(`"${mac}" is not a MAC address like 02:00:00:00:00:01`);
  }
  return Uint8Array.from(parts.map((p) => Number.parseInt(p, 16)));
}

/** SO_RCVBUFFORCE passes net.core.rmem_max (root); fall back to SO_RCVBUF. */
function setBuffer(fd: number, size: number): void {
  try {
    setsockoptInt(fd, SOL_SOCKET, SO_RCVBUFFORCE, size, 'SO_RCVBUFFORCE');
  } catch (err) {
    if (!(err instanceof SysError) || err.code !== 'EPERM') throw err;
    setsockoptInt(fd, SOL_SOCKET, SO_RCVBUF, size, 'SO_RCVBUF');
  }
}

/** struct sockaddr_ll: u16 family, be16 protocol, i32 ifindex, ... (20 bytes). */
function sockaddrLl(ifindex: number): Uint8Array {
  const addr = new Uint8Array(20);
  const v = new DataView(addr.buffer);
  v.setUint16(0, AF_PACKET, true);
  v.setUint16(2, ETH_P_ALL, false);
  v.setInt32(4, ifindex, true);
  return addr;
}

/** struct packet_mreq: i32 ifindex, u16 type, u16 alen, u8 address[8]. */
function packetMreq(ifindex: number, type: number, address?: Uint8Array): Uint8Array {
  const mreq = new Uint8Array(16);
  const v = new DataView(mreq.buffer);
  v.setInt32(0, ifindex, true);
  v.setUint16(4, type, true);
  if (address !== undefined) {
    v.setUint16(6, address.length, true);
    mreq.set(address, 8);
  }
  return mreq;
}

function htons(x: number): number {
  return ((x & 0xff) << 8) | ((x >> 8) & 0xff);
}
