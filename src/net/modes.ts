// The three ways to keep the host kernel from answering or resetting the stack's connections,
// and opening the link for each (the seed, part 1: "use a spare address and answer ARP yourself"):
//   'tap'   (default) a TAP device; the stack has its own MAC and address in the TAP subnet, the
//           kernel side is the gateway. The kernel routes and serves normally.
//   'spare' AF_PACKET on an existing interface with a spare address and our own MAC; the stack
//           answers ARP/ND for it, so replies reach only us (the kernel drops frames for other MACs).
//   'host'  AF_PACKET with the host's own address and MAC; an nftables guard (host-guard.ts)
//           hides the stack's port range from the kernel.
import { execFileSync } from 'node:child_process';
import { type Clock, RealClock } from '../link/clock.js';
import type { Device } from '../link/device.js';
import { FaultInjector } from '../link/fault-injector.js';
import { openPacketSocket } from '../link/packet-socket.js';
import { openTap, type TapDevice } from '../link/tap.js';
import type { SysError } from '../sys/errors.js';
import { ip } from '../sys/ip.js';
import { DEFAULT_GUARDED_PORTS, type GuardPortRange, HostGuard } from './host-guard.js';
import { NetInterface } from './interface.js';
import { LinkConfigError, type LinkMode, type LinkPlan, type NetLinkOptions, planLink } from './link-plan.js';
import { openTapStandIn, tunUnavailable } from './tap-stand-in.js';

export {
  derivedMac,
  LinkConfigError,
  type LinkMode,
  type LinkPlan,
  type NetLinkOptions,
  planLink,
} from './link-plan.js';

export interface NetLink {
  mode: LinkMode;
  /** The device the interface uses (the fault injector around the raw device with --impair). */
  device: Device;
  iface: NetInterface;
  clock: Clock;
  /** One line: which mode and why the host kernel stays out of the way. */
  explanation: string;
  /** One line the user should see at once: the link is not what was asked for (a fallback). */
  notice?: string;
  /** Ports the stack must use for its active opens (mode 'host'); undefined: any. */
  ephemeralPorts?: GuardPortRange;
  /** Closes the interface and device, removes host state (TAP, nft guard). Idempotent. */
  close(): void;
}

/** Opens the link for the planned mode and builds the NetInterface on it. */
export function openNetLink(opts: NetLinkOptions): NetLink {
  const plan = planLink(opts);
  const clock = opts.clock ?? new RealClock();
  const link =
    plan.mode === 'tap'
      ? openTapLink(plan, opts, clock)
      : plan.mode === 'spare'
        ? openSpareLink(plan, opts, clock)
        : openHostLink(plan, opts, clock);
  if (opts.impair) link.explanation += `; the link is impaired by the fault injector (${opts.impair})`;
  return link;
}

function withImpair(raw: Device, opts: NetLinkOptions, clock: Clock): Device {
  return opts.impair ? new FaultInjector(raw, clock, opts.impair) : raw;
}

function addressText(a: { address: string; prefix: number } | undefined): string | undefined {
  return a ? `${a.address}/${a.prefix}` : undefined;
}

/** The interface with the plan's own MAC, addresses and gateways (modes 'tap' and 'spare'). */
function plannedInterface(plan: LinkPlan, device: Device, clock: Clock): NetInterface {
  const ipv6 = addressText(plan.ipv6);
  return new NetInterface({
    device,
    clock,
    mac: plan.mac,
    ipv4: addressText(plan.ipv4),
    ipv6: ipv6 === undefined ? [] : [ipv6],
    gateway4: plan.gateway4,
    gateway6: plan.gateway6,
  });
}

/** "10.77.1.2 and fd00:77:1::2": the plan's addresses for the explanation line. */
function plannedAddresses(plan: LinkPlan): string {
  return [plan.ipv4?.address, plan.ipv6?.address].filter(Boolean).join(' and ');
}

function openTapLink(plan: LinkPlan, opts: NetLinkOptions, clock: Clock): NetLink {
  const kernel = kernelSide(plan);
  let tap: TapDevice;
  try {
    tap = openTap({
      name: plan.device,
      addresses: kernel.ipv4 ? [kernel.ipv4] : [],
      netns: opts.tapNetns,
      vnetHeader: opts.offload !== false,
      offload: opts.offload !== false,
      clock,
    });
  } catch (err) {
    if (!tunUnavailable(err)) throw err;
    return openStandInLink(plan, opts, clock, err);
  }
  try {
    // IPv6 on the kernel side without duplicate address detection, so it is usable at once.
    if (kernel.ipv6) ip(['addr', 'add', kernel.ipv6, 'dev', tap.name, 'nodad'], opts.tapNetns);
    const device = withImpair(tap, opts, clock);
    const iface = plannedInterface(plan, device, clock);
    const offloads =
      tap.offloads !== 0 ? 'offloads on (GSO super-frames up to 64 KB)' : 'no offloads (MTU-sized frames)';
    return link('tap', device, iface, clock, () => tap.close(), {
      explanation: `TAP mode: the stack is ${plannedAddresses(plan)} on TAP ${tap.name}, ${offloads}; the kernel side is ${gateways(plan)}, so the kernel routes for us and never sees our connections as its own`,
    });
  } catch (err) {
    tap.close();
    throw err;
  }
}

/** The kernel side's addresses with prefix ("10.77.1.1/24", "fd77:1::1/64"): the gateways. */
function kernelSide(plan: LinkPlan): { ipv4?: string; ipv6?: string } {
  return {
    ipv4: plan.gateway4 && plan.ipv4 ? `${plan.gateway4}/${plan.ipv4.prefix}` : undefined,
    ipv6: plan.gateway6 && plan.ipv6 ? `${plan.gateway6}/${plan.ipv6.prefix}` : undefined,
  };
}

/** "10.77.1.1 and fd77:1::1": the kernel side of the TAP link. */
function gateways(plan: LinkPlan): string {
  return [plan.gateway4, plan.gateway6].filter(Boolean).join(' and ');
}

/** TAP mode where /dev/net/tun cannot be opened: a veth pair and AF_PACKET (tap-stand-in.ts). */
function openStandInLink(plan: LinkPlan, opts: NetLinkOptions, clock: Clock, why: SysError): NetLink {
  const kernel = kernelSide(plan);
  const addresses = [kernel.ipv4, kernel.ipv6].filter((x): x is string => x !== undefined);
  const standIn = openTapStandIn({
    name: plan.device,
    addresses,
    netns: opts.tapNetns,
    mac: plan.mac,
    clock,
  });
  try {
    const device = withImpair(standIn.device, opts, clock);
    const iface = plannedInterface(plan, device, clock);
    iface.announce();
    return link('tap', device, iface, clock, () => standIn.close(), {
      explanation: `TAP mode on a veth pair: the stack is ${plannedAddresses(plan)} with MAC ${plan.mac} on ${standIn.stackSide} (AF_PACKET); the kernel side ${plan.device} is ${gateways(plan)}, so the kernel routes for us and never sees our connections as its own`,
      notice: `cannot open /dev/net/tun (${why.code}): using a veth pair ${plan.device}/${standIn.stackSide} with AF_PACKET instead of a TAP`,
    });
  } catch (err) {
    standIn.close();
    throw err;
  }
}

function openSpareLink(plan: LinkPlan, opts: NetLinkOptions, clock: Clock): NetLink {
  const raw = openPacketSocket(plan.device, { promiscuous: true, ownMac: plan.mac, clock });
  try {
    const device = withImpair(raw, opts, clock);
    const iface = plannedInterface(plan, device, clock);
    iface.announce();
    const who = plannedAddresses(plan);
    return link('spare', device, iface, clock, () => raw.close(), {
      explanation: `spare-address mode: the stack is ${who} with MAC ${plan.mac} on ${plan.device} (AF_PACKET, promiscuous) and answers ARP/ND itself; the kernel does not own the address, so it ignores our traffic`,
    });
  } catch (err) {
    raw.close();
    throw err;
  }
}

interface HostAddresses {
  mac: string;
  ipv4?: string;
  ipv6: string[];
}

/** The interface's own MAC and addresses (`ip -j addr show dev IFACE`). */
export function hostAddresses(iface: string): HostAddresses {
  const out = execFileSync('ip', ['-j', 'addr', 'show', 'dev', iface], { encoding: 'utf8' });
  const [info] = JSON.parse(out) as Array<{
    address?: string;
    addr_info?: Array<{ family: string; local: string; prefixlen: number; scope: string }>;
  }>;
  if (!info?.address)
    throw new LinkConfigError(`${iface} has no MAC address`, 'host-ip mode needs an Ethernet interface');
  const addrs = info.addr_info ?? [];
  const v4 = addrs.find((a) => a.family === 'inet');
  const v6 = addrs.filter((a) => a.family === 'inet6').map((a) => `${a.local}/${a.prefixlen}`);
  return { mac: info.address, ipv4: v4 ? `${v4.local}/${v4.prefixlen}` : undefined, ipv6: v6 };
}

function openHostLink(plan: LinkPlan, opts: NetLinkOptions, clock: Clock): NetLink {
  let host: HostAddresses;
  try {
    host = hostAddresses(plan.device);
  } catch (err) {
    if (err instanceof LinkConfigError) throw err;
    throw new LinkConfigError(`no interface ${plan.device}`, 'list interfaces with: ip link');
  }
  if (!host.ipv4 && host.ipv6.length === 0) {
    throw new LinkConfigError(`${plan.device} has no address`, 'add one, or use --ip for a spare address');
  }
  const ports = opts.guardedPorts ?? DEFAULT_GUARDED_PORTS;
  const guard = HostGuard.install(plan.device, ports);
  let raw: ReturnType<typeof openPacketSocket> | undefined;
  try {
    raw = openPacketSocket(plan.device, { clock });
    const device = withImpair(raw, opts, clock);
    const iface = new NetInterface({
      device,
      clock,
      mac: host.mac,
      ipv4: host.ipv4,
      // The kernel's own link-local address (EUI-64 or stable-privacy), not one derived again.
      ipv6: host.ipv6,
      linkLocal: false,
      gateway4: plan.gateway4,
      gateway6: plan.gateway6,
      // The kernel owns these addresses and already answers ARP, ND, ping and closed UDP ports.
      answerPing: false,
      answerNeighbors: false,
      portUnreachable: false,
    });
    const rawDevice = raw;
    const who = [host.ipv4, ...host.ipv6].filter(Boolean).join(', ');
    return link(
      'host',
      device,
      iface,
      clock,
      () => {
        rawDevice.close();
        guard.remove();
      },
      {
        explanation: `host-address mode: the stack uses ${plan.device}'s own address (${who}); nftables table inet synack_guard hides TCP ports ${ports.low}-${ports.high} from the kernel so it sends no RST, and is removed on exit`,
        ephemeralPorts: ports,
      },
    );
  } catch (err) {
    raw?.close();
    guard.remove();
    throw err;
  }
}

function link(
  mode: LinkMode,
  device: Device,
  iface: NetInterface,
  clock: Clock,
  closeRaw: () => void,
  extra: { explanation: string; notice?: string; ephemeralPorts?: GuardPortRange },
): NetLink {
  let closed = false;
  return {
    mode,
    device,
    iface,
    clock,
    ...extra,
    close() {
      if (closed) return;
      closed = true;
      iface.close();
      if (device !== undefined && device instanceof FaultInjector) device.close();
      closeRaw();
    },
  };
}
