// Where a call sends and listens: an interface (L3: routed, Ethernet added) or a device (L2: the
// frame as built). Calls name one with `iface` / `device`, or fall back to `conf`.
import { type Clock, RealClock } from '../link/clock.js';
import type { Device, FrameReceiver } from '../link/device.js';
import type { NetInterface } from '../net/interface.js';
import { formatIp, type IpAddr, parseIp } from '../net/ip-addr.js';
import { EtherLayer } from '../packet/layers/ether.js';
import { IPLayer } from '../packet/layers/ip.js';
import { IPv6Layer } from '../packet/layers/ipv6.js';
import { Packet } from '../packet/packet.js';
import { conf } from './conf.js';
import { SendRecvError } from './errors.js';
import { transmitIp } from './l3-transmit.js';

/** Where to send and listen: an interface, a device, or an opened link ({ iface, device }). */
export interface TargetOptions {
  /** L3 calls route through it; L2 calls and sniff use its device (it keeps answering ARP). */
  iface?: NetInterface;
  /** L2 calls and sniff only: the device to send on and listen to. */
  device?: Device;
  /** An opened link (src/net openNetLink / the CLI's openLink): its iface and device. */
  link?: { iface: NetInterface; device: Device };
  /** Timers (inter, timeout); default the interface's clock, else real time. */
  clock?: Clock;
}

export interface Endpoint {
  readonly device: Device;
  /** The interface's receiver, which keeps getting every frame while we listen. */
  readonly forward: FrameReceiver | undefined;
  readonly clock: Clock;
  /** Fills what the stack would (source address/MAC), returns the packet that goes out. */
  prepare(pkt: Packet): Packet;
  /** Sends one prepared packet's bytes (waits when too many packets wait for ARP/ND already). */
  transmit(bytes: Uint8Array): void | Promise<void>;
}

const realClock = new RealClock();

function ifaceOf(opts: TargetOptions): NetInterface | undefined {
  return opts.iface ?? opts.link?.iface ?? (opts.device ? undefined : conf.iface);
}

export function l3Endpoint(opts: TargetOptions): Endpoint {
  const iface = ifaceOf(opts);
  if (!iface) {
    throw new SendRecvError(
      'no-target',
      'send/sr need an interface: pass { iface } or { link }, or set conf.iface (sendp/srp take a device)',
    );
  }
  return {
    device: iface.device,
    forward: iface.receive,
    clock: opts.clock ?? iface.clock,
    prepare: (pkt) => withSourceAddress(pkt, iface),
    transmit: (bytes) => transmitIp(iface, bytes, opts.clock ?? iface.clock),
  };
}

export function l2Endpoint(opts: TargetOptions): Endpoint {
  const iface = ifaceOf(opts);
  const device = opts.device ?? opts.link?.device ?? iface?.device ?? conf.device;
  if (!device) {
    throw new SendRecvError(
      'no-target',
      'sendp/srp/sniff need a device: pass { device }, { iface } or { link }',
    );
  }
  const owner = iface?.device === device ? iface : undefined;
  return {
    device,
    forward: owner?.receive,
    clock: opts.clock ?? owner?.clock ?? realClock,
    prepare: (pkt) => (owner ? withSourceMac(pkt, owner) : pkt),
    transmit: (bytes) => {
      device.transmit(bytes);
      device.flush();
    },
  };
}

/**
 * Scapy fills the IP source from the route when it was left alone. Our layers default to the
 * loopback address, so a loopback source towards a non-loopback destination means "unset".
 */
function withSourceAddress(pkt: Packet, iface: NetInterface): Packet {
  const ip = pkt.layers[0];
  if (!(ip instanceof IPLayer || ip instanceof IPv6Layer)) {
    throw new SendRecvError(
      'not-l3',
      `send/sr take IP or IPv6 packets (got ${pkt.layerNames().join(' / ')}); use sendp/srp for frames`,
    );
  }
  const unset =
    ip instanceof IPLayer
      ? ip.src === '127.0.0.1' && !ip.dst.startsWith('127.')
      : ip.src === '::1' && ip.dst !== '::1';
  if (!unset) return pkt;
  const src = iface.sourceFor(parseAddress(ip.dst));
  if (src === undefined) {
    throw new SendRecvError('no-source', `${iface.device.name} has no address to send to ${ip.dst} from`);
  }
  const copy = ip.copy();
  copy.src = formatIp(src);
  return carryOver(pkt, new Packet([copy, ...pkt.layers.slice(1)]));
}

/** An Ether layer left at the all-zero source gets the interface's MAC. */
function withSourceMac(pkt: Packet, iface: NetInterface): Packet {
  const eth = pkt.layers[0];
  if (!(eth instanceof EtherLayer) || eth.src !== '00:00:00:00:00:00') return pkt;
  const copy = eth.copy();
  copy.src = Array.from(iface.mac, (b) => b.toString(16).padStart(2, '0')).join(':');
  return carryOver(pkt, new Packet([copy, ...pkt.layers.slice(1)]));
}

function carryOver(from: Packet, to: Packet): Packet {
  to.time = from.time;
  return to;
}

function parseAddress(text: string): IpAddr {
  try {
    return parseIp(text);
  } catch {
    throw new SendRecvError('no-route', `${JSON.stringify(text)} is not an address (names are not resolved)`);
  }
}
