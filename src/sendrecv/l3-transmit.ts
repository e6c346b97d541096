// Sending a built IP packet through a NetInterface, as Scapy's send() goes through the kernel's
// routing: NetInterface.sendIpPacket keeps the header as built, routes by its destination and
// resolves the next hop (the packet waiting in the neighbor queue). This file turns its results
// into typed errors and waits when the neighbor queue is full.
import type { Clock } from '../link/clock.js';
import type { NetInterface } from '../net/interface.js';
import { formatIp, type IpAddr } from '../net/ip-addr.js';
import { get32 } from '../wire/bytes.js';
import { SendRecvError } from './errors.js';
import { sleep } from './timers.js';

/** How long a packet waits for its next hop's MAC before it is given up (RFC 4861: 3 x 1 s). */
const RESOLVE_WAIT_MS = 3500;
const RESOLVE_POLL_MS = 5;

/** Transmits one IPv4/IPv6 packet; throws SendRecvError when it cannot leave. */
export function transmitIp(iface: NetInterface, packet: Uint8Array, clock: Clock): void | Promise<void> {
  if (trySend(iface, packet)) return;
  return transmitWhenResolved(iface, packet, clock);
}

/** The neighbor queue is full: wait until the next hop is resolved, then send (or give up). */
async function transmitWhenResolved(iface: NetInterface, packet: Uint8Array, clock: Clock): Promise<void> {
  const end = clock.now() + RESOLVE_WAIT_MS;
  const dst = destinationOf(packet);
  while (iface.awaitsResolution(dst) || !trySend(iface, packet)) {
    if (clock.now() >= end) {
      throw new SendRecvError(
        'queue-full',
        `no ARP/ND answer for the next hop of ${iface.device.name} packets`,
      );
    }
    await sleep(clock, RESOLVE_POLL_MS);
  }
}

/** One attempt: true when sent or queued, false when the neighbor queue is full. */
function trySend(iface: NetInterface, packet: Uint8Array): boolean {
  const version = packet.length > 0 ? packet[0] >> 4 : 0;
  if (version !== 4 && version !== 6)
    throw new SendRecvError('not-l3', `not an IP packet (version ${version})`);
  if (packet.length < (version === 4 ? 20 : 40))
    throw new SendRecvError(
      'not-l3',
      `an IPv${version} packet of ${packet.length} bytes has no whole header`,
    );
  const result = iface.sendIpPacket(packet);
  iface.flush();
  if (result === 'too-big') {
    throw new SendRecvError(
      'too-big',
      `${packet.length} bytes exceed the MTU ${iface.mtu} of ${iface.device.name}`,
    );
  }
  if (result === 'no-route')
    throw new SendRecvError(
      'no-route',
      `no route to ${formatIp(destinationOf(packet))} on ${iface.device.name}`,
    );
  return result !== 'queue-full';
}

function destinationOf(packet: Uint8Array): IpAddr {
  return packet[0] >> 4 === 4 ? get32(packet, 16) : packet.slice(24, 40);
}
