// Which of the three modes the link options ask for, validated and with defaults filled in,
// before anything touches the host (see modes.ts for what each mode does and opening it).
import { TAP_LINK } from '../lab/plan.js';
import type { Clock } from '../link/clock.js';
import { formatMac } from '../wire/addr.js';
import type { GuardPortRange } from './host-guard.js';
import { formatIp, parseIpWithPrefix } from './ip-addr.js';

export type LinkMode = 'tap' | 'spare' | 'host';

export interface NetLinkOptions {
  /** TAP name (mode 'tap'); default synack0. */
  tap?: string;
  /** Existing interface for AF_PACKET (modes 'spare' and 'host'). */
  iface?: string;
  /** Our addresses with prefix ("10.77.3.3/24", "fd77:3::3/64"); in TAP mode the stack's address. */
  ip?: string[];
  /** Gateways (IPv4 and/or IPv6); in TAP mode the kernel side's address. */
  gw?: string[];
  mac?: string;
  /** Use the host's own address on --iface (mode 'host'). */
  hostIp?: boolean;
  /** A fault-injector spec (`--impair`). */
  impair?: string;
  clock?: Clock;
  /** Mode 'host': the ports the guard hides from the kernel (the stack's ephemeral range). */
  guardedPorts?: GuardPortRange;
  /** Mode 'tap': move the TAP's kernel side into this network namespace (tests, labs). */
  tapNetns?: string;
  /**
   * Offloads as a NIC has them (default true): on TAP, a virtio_net_hdr on every frame
   * (IFF_VNET_HDR) and TUNSETOFFLOAD, so the kernel hands over GSO super-frames of up to 64 KB with
   * partial checksums. false (--no-offload): every frame is MTU-sized with complete checksums.
   */
  offload?: boolean;
}

export class LinkConfigError extends Error {
  override readonly name = 'LinkConfigError';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/** What the options ask for, validated, before anything touches the host. */
export interface LinkPlan {
  mode: LinkMode;
  /** TAP name or interface name. */
  device: string;
  ipv4?: { address: string; prefix: number };
  ipv6?: { address: string; prefix: number };
  gateway4?: string;
  gateway6?: string;
  mac?: string;
}

/** Validates the option combination and fills the defaults. Pure: throws LinkConfigError. */
export function planLink(opts: NetLinkOptions): LinkPlan {
  if (opts.hostIp && !opts.iface) {
    throw new LinkConfigError('--host-ip needs --iface', 'e.g. --iface eth0 --host-ip');
  }
  if (opts.iface && opts.tap) throw new LinkConfigError('--tap and --iface exclude each other', 'pick one');
  const { ipv4, ipv6 } = splitAddresses(opts.ip ?? []);
  const { gateway4, gateway6 } = splitGateways(opts.gw ?? []);
  if (opts.iface) {
    if (opts.hostIp) {
      if (opts.ip?.length)
        throw new LinkConfigError('--host-ip takes the interface’s addresses; drop --ip', 'use one of them');
      return { mode: 'host', device: opts.iface, gateway4, gateway6 };
    }
    if (!ipv4 && !ipv6) {
      throw new LinkConfigError(
        `--iface ${opts.iface} needs a spare address (--ip ADDR/PREFIX) or --host-ip`,
        'pick an unused address in the interface’s subnet, e.g. --ip 192.168.1.250/24',
      );
    }
    return {
      mode: 'spare',
      device: opts.iface,
      ipv4,
      ipv6,
      gateway4,
      gateway6,
      mac: opts.mac ?? derivedMac(ipv4, ipv6),
    };
  }
  return tapPlan(opts, ipv4, ipv6, gateway4, gateway6);
}

function tapPlan(
  opts: NetLinkOptions,
  ipv4: LinkPlan['ipv4'],
  ipv6: LinkPlan['ipv6'],
  gateway4: string | undefined,
  gateway6: string | undefined,
): LinkPlan {
  const custom = ipv4 !== undefined || ipv6 !== undefined;
  const stack = TAP_LINK.stack;
  return {
    mode: 'tap',
    device: opts.tap ?? TAP_LINK.host.ifname,
    ipv4: custom ? ipv4 : { address: stack.ipv4, prefix: TAP_LINK.ipv4Prefix },
    ipv6: custom ? ipv6 : { address: stack.ipv6, prefix: TAP_LINK.ipv6Prefix },
    gateway4: gateway4 ?? (custom ? firstHost(ipv4) : TAP_LINK.host.ipv4),
    gateway6: gateway6 ?? (custom ? firstHost(ipv6) : TAP_LINK.host.ipv6),
    mac: opts.mac ?? (custom ? derivedMac(ipv4, ipv6) : stack.mac),
  };
}

function splitAddresses(list: string[]): { ipv4?: LinkPlan['ipv4']; ipv6?: LinkPlan['ipv6'] } {
  const out: { ipv4?: LinkPlan['ipv4']; ipv6?: LinkPlan['ipv6'] } = {};
  for (const text of list) {
    const parsed = parseAddress(text);
    const slot = typeof parsed.address === 'number' ? 'ipv4' : 'ipv6';
    if (out[slot])
      throw new LinkConfigError(`two ${slot} addresses given: ${text}`, 'give one IPv4 and/or one IPv6 --ip');
    out[slot] = { address: formatIp(parsed.address), prefix: parsed.prefixLength };
  }
  return out;
}

function parseAddress(text: string) {
  try {
    return parseIpWithPrefix(text, text.includes(':') ? 64 : 24);
  } catch {
    throw new LinkConfigError(`not an address: ${text}`, 'write ADDR/PREFIX, e.g. 10.0.0.5/24 or fd00::5/64');
  }
}

function splitGateways(list: string[]): { gateway4?: string; gateway6?: string } {
  const out: { gateway4?: string; gateway6?: string } = {};
  for (const text of list) {
    const { address } = parseAddress(text);
    if (typeof address === 'number') out.gateway4 = formatIp(address);
    else out.gateway6 = formatIp(address);
  }
  return out;
}

/** The first host address of a prefix (x.x.x.1 / prefix::1): the conventional gateway. */
function firstHost(a: { address: string; prefix: number } | undefined): string | undefined {
  if (!a) return undefined;
  const parsed = parseIpWithPrefix(`${a.address}/${a.prefix}`);
  if (typeof parsed.address === 'number') {
    const mask = a.prefix === 0 ? 0 : (0xffffffff << (32 - a.prefix)) >>> 0;
    return formatIp((((parsed.address & mask) >>> 0) + 1) >>> 0);
  }
  const bytes = parsed.address.slice();
  for (let bit = a.prefix; bit < 128; bit++) bytes[bit >> 3] &= ~(0x80 >> (bit & 7));
  bytes[15] |= 1;
  return formatIp(bytes);
}

/** A locally administered unicast MAC (02:...) derived from our address: stable across runs. */
export function derivedMac(ipv4?: { address: string }, ipv6?: { address: string }): string {
  const bytes = new Uint8Array([0x02, 0x53, 0, 0, 0, 0]);
  if (ipv4) {
    const n = parseIpWithPrefix(ipv4.address).address as number;
    bytes.set([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255], 2);
  } else if (ipv6) {
    const a = parseIpWithPrefix(ipv6.address).address as Uint8Array;
    bytes.set(a.subarray(12, 16), 2);
  }
  return formatMac(bytes);
}
