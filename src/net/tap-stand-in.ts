// TAP mode without /dev/net/tun. Where the TAP cannot be opened (the node is mode 0600 and we are
// root only inside a user namespace, or the kernel has no tun driver), a veth pair stands in for
// it: the kernel end takes the TAP's name and addresses, so the host, its routes and the lab see
// the same link; the stack sends and receives on the other end through AF_PACKET with its own MAC,
// as in spare-address mode. That end has no address and a MAC of its own, so the kernel ignores
// (PACKET_OTHERHOST) the frames meant for the stack. The pair is journaled (lab/host-state.ts):
// closing removes it, and a later run removes what a killed one left.
import { HostStateJournal, reapStaleJournals } from '../lab/host-state.js';
import type { Clock } from '../link/clock.js';
import { openPacketSocket, type PacketSocketDevice } from '../link/packet-socket.js';
import { SysError } from '../sys/errors.js';
import { ip } from '../sys/ip.js';

const JOURNAL_PREFIX = 'tap-stand-in-';
/** As for a TAP (tuntap.ts): JavaScript readers stall now and then; 1000 frames lose bursts. */
const QUEUE_LENGTH = '4096';
const IFNAMSIZ = 15;
/** errno values of open("/dev/net/tun") that a veth pair works around. */
const TUN_UNAVAILABLE = new Set(['EACCES', 'EPERM', 'ENOENT', 'ENODEV', 'ENXIO']);

/** True when opening /dev/net/tun itself failed (not a later TAP ioctl). */
export function tunUnavailable(err: unknown): err is SysError {
  return err instanceof SysError && err.syscall === 'open' && TUN_UNAVAILABLE.has(err.code);
}

export interface TapStandInOptions {
  /** The TAP name the kernel end takes, e.g. synack0. */
  name: string;
  /** Kernel-side addresses with prefix, e.g. ['10.77.1.1/24']; IPv6 ones are added without DAD. */
  addresses: string[];
  /** Move the kernel end into this network namespace. */
  netns?: string;
  /** The stack's own MAC (frames for it are taken off the stack end). */
  mac?: string;
  clock: Clock;
}

export interface TapStandIn {
  readonly device: PacketSocketDevice;
  /** The end the stack uses; the kernel end is options.name. */
  readonly stackSide: string;
  /** Closes the socket and removes the pair. Idempotent. */
  close(): void;
}

/** The stack end's name: the TAP name with "-s", within IFNAMSIZ. */
export function stackSideName(name: string): string {
  return `${name.slice(0, IFNAMSIZ - 2)}-s`;
}

export function openTapStandIn(options: TapStandInOptions): TapStandIn {
  reapStaleJournals(JOURNAL_PREFIX);
  const stackSide = stackSideName(options.name);
  const journal = HostStateJournal.create(`${JOURNAL_PREFIX}${process.pid}-${stackSide}`);
  // Deleting one end of a veth pair deletes both, wherever the other end lives.
  journal.add({ kind: 'link', name: stackSide });
  try {
    createPair(options, stackSide);
    const device = openPacketSocket(stackSide, {
      promiscuous: true,
      ownMac: options.mac,
      clock: options.clock,
    });
    let closed = false;
    return {
      device,
      stackSide,
      close() {
        if (closed) return;
        closed = true;
        try {
          device.close();
        } finally {
          journal.undoAll();
        }
      },
    };
  } catch (err) {
    journal.undoAll();
    throw err;
  }
}

function createPair(options: TapStandInOptions, stackSide: string): void {
  const ns = options.netns;
  ip(['link', 'add', stackSide, 'txqueuelen', QUEUE_LENGTH, 'type', 'veth', 'peer', 'name', options.name]);
  // The stack end is ours alone: no IPv6 link-local address, so the kernel sends nothing from it.
  ip(['link', 'set', 'dev', stackSide, 'addrgenmode', 'none']);
  ip(['link', 'set', 'dev', stackSide, 'up']);
  if (ns) ip(['link', 'set', 'dev', options.name, 'netns', ns]);
  ip(['link', 'set', 'dev', options.name, 'txqueuelen', QUEUE_LENGTH], ns);
  for (const address of options.addresses) {
    const nodad = address.includes(':') ? ['nodad'] : [];
    ip(['addr', 'add', address, 'dev', options.name, ...nodad], ns);
  }
  ip(['link', 'set', 'dev', options.name, 'up'], ns);
}
