// The options every networked command shares, and turning them into a link: which device, which
// addresses, and which of the three modes keeps the host kernel out of the way (src/net/modes.ts).
import { type Command, Option } from 'commander';
import { ImpairSpecError } from '../link/impair-spec.js';
import { HostGuardError } from '../net/host-guard.js';
import { LinkConfigError, type NetLink, type NetLinkOptions, openNetLink } from '../net/modes.js';
import { UserError } from './errors.js';

/** The parsed shared options as commander hands them over. */
export interface DeviceOptionValues {
  tap?: string;
  iface?: string;
  ip?: string[];
  gw?: string[];
  mac?: string;
  hostIp?: boolean;
  impair?: string;
  /** false with --no-offload. */
  offload?: boolean;
}

function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

/** Adds --tap, --iface, --ip, --gw, --mac, --host-ip and --impair to a command. */
export function addDeviceOptions(command: Command): Command {
  return command
    .addOption(new Option('--tap <name>', 'TAP device for the stack (default mode; default synack0)'))
    .addOption(new Option('--iface <iface>', 'use an existing interface through AF_PACKET'))
    .addOption(
      new Option(
        '--ip <addr/prefix>',
        'our address (repeat for IPv4 and IPv6); with --iface: a spare address',
      ).argParser(collect),
    )
    .addOption(new Option('--gw <addr>', 'default gateway (repeat for IPv4 and IPv6)').argParser(collect))
    .addOption(new Option('--mac <mac>', 'our MAC (default: derived from the address, locally administered)'))
    .addOption(
      new Option('--host-ip', "with --iface: use the interface's own address (installs an nftables guard)"),
    )
    .addOption(
      new Option(
        '--no-offload',
        'no segmentation or checksum offloads: every frame is MTU-sized, as on a NIC without them',
      ),
    )
    .addOption(
      new Option(
        '--impair <spec>',
        'impair the link, e.g. "loss=5%,delay=20ms,jitter=5ms,reorder=1%,seed=42"',
      ),
    );
}

export type OpenedLink = NetLink;

/**
 * Opens the link the options describe: {device, iface, mode, explanation, close()}. Every
 * failure a user can fix becomes a UserError with the next step.
 */
export function openLink(values: DeviceOptionValues, extra: Partial<NetLinkOptions> = {}): OpenedLink {
  if (process.getuid?.() !== 0) {
    throw new UserError('raw network access needs root', 'run it with sudo (or as root)');
  }
  try {
    const link = openNetLink({ ...extra, ...values });
    if (link.notice) process.stderr.write(`synack: ${link.notice}\n`);
    return link;
  } catch (err) {
    throw toUserError(err, values);
  }
}

function toUserError(err: unknown, values: DeviceOptionValues): unknown {
  if (err instanceof LinkConfigError || err instanceof HostGuardError)
    return new UserError(err.message, err.hint);
  if (err instanceof ImpairSpecError)
    return new UserError(`--impair: ${err.message}`, 'see synack --help for the grammar');
  const e = err as { code?: string; message?: string; syscall?: string };
  const message = e?.message ?? String(err);
  const where = values.iface ?? values.tap ?? 'synack0';
  if (/EBUSY|busy/i.test(message)) {
    return new UserError(
      `${where} is in use by another program: ${message}`,
      'close the other synack, or pick another --tap NAME',
    );
  }
  if (/EPERM|EACCES|not permitted/i.test(message)) {
    return new UserError(
      `not allowed to open ${where}: ${message}`,
      'run as root (CAP_NET_ADMIN and CAP_NET_RAW)',
    );
  }
  if (/ENODEV|No such device|does not exist|Cannot find device/i.test(message)) {
    return new UserError(`no interface ${where}: ${message}`, 'list interfaces with: ip link');
  }
  if (/File exists|RTNETLINK/i.test(message)) {
    return new UserError(
      `could not configure ${where}: ${message}`,
      'another interface may already use that subnet; pick other addresses with --ip/--gw',
    );
  }
  return err;
}

/**
 * In spare-address mode, makes sure no other host uses the address we are about to answer for
 * (ARP probe + IPv6 DAD, about one second). A conflict closes the link and throws a UserError.
 * No-op in the other modes (the TAP subnet is ours; in host mode the kernel owns the address).
 */
export async function verifyLinkAddresses(link: OpenedLink, waitMs = 1000): Promise<void> {
  if (link.mode !== 'spare') return;
  const conflicts = await link.iface.probeConflicts(waitMs);
  if (conflicts.length === 0) return;
  link.close();
  const c = conflicts[0];
  throw new UserError(
    `${c.address} is already used by ${c.mac} on this link`,
    'pick a free address for --ip (check with: ip neigh, arping, or ndisc6)',
  );
}
