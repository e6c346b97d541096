// A scripted peer on an in-memory wire, in virtual time: our NetInterface (10.0.0.1) on one end,
// a responder on the other that answers ARP for 10.0.0.2 and hands every other packet to a script.
import { VirtualClock } from '../../../src/link/clock.js';
import { createMemoryWire, type MemoryWire } from '../../../src/link/memory-wire.js';
import { NetInterface } from '../../../src/net/interface.js';
import {
  ARP,
  dissect,
  Ether,
  ICMPv6ND_NA,
  ICMPv6ND_NS,
  IPv6,
  type Packet,
} from '../../../src/packet/index.js';

export const OUR_MAC = '02:00:00:00:00:01';
export const PEER_MAC = '02:00:00:00:00:02';
export const OUR_IP = '10.0.0.1';
export const PEER_IP = '10.0.0.2';
export const OUR_IP6 = 'fd00::1';
export const PEER_IP6 = 'fd00::2';

export interface Received {
  pkt: Packet;
  /** Virtual time of arrival at the peer, ms. */
  at: number;
}

export interface Harness {
  clock: VirtualClock;
  wire: MemoryWire;
  iface: NetInterface;
  /** Every frame the peer received, ARP included. */
  seen: Received[];
  /** Sends a packet (IP layer and up) from the peer to us. */
  reply(pkt: Packet): void;
}

/** `script` gets each non-ARP packet the peer receives and returns what to send back (IP and up). */
export function harness(
  script: (pkt: Packet, h: Harness) => Packet | Packet[] | undefined = () => undefined,
): Harness {
  const clock = new VirtualClock(1000);
  const wire = createMemoryWire(clock, { delay: 1 });
  const iface = new NetInterface({
    device: wire.a,
    clock,
    mac: OUR_MAC,
    ipv4: `${OUR_IP}/24`,
    ipv6: `${OUR_IP6}/64`,
  });
  const seen: Received[] = [];
  const h: Harness = {
    clock,
    wire,
    iface,
    seen,
    reply(pkt) {
      wire.b.transmit(Ether({ src: PEER_MAC, dst: OUR_MAC }).over(pkt).build());
    },
  };
  wire.b.setReceiver((frame) => {
    const pkt = dissect(frame.slice());
    seen.push({ pkt, at: clock.now() });
    const arp = pkt.find(ARP);
    if (arp) {
      if (arp.op === 1 && arp.pdst === PEER_IP) {
        wire.b.transmit(
          Ether({ src: PEER_MAC, dst: OUR_MAC })
            .over(ARP({ op: 'is-at', hwsrc: PEER_MAC, psrc: PEER_IP, hwdst: OUR_MAC, pdst: arp.psrc }))
            .build(),
        );
      }
      return;
    }
    const ns = pkt.find(ICMPv6ND_NS);
    if (ns) {
      // RFC 4861 §7.2.4: a solicited advertisement with our link-layer address.
      if (ns.tgt === PEER_IP6) {
        const src = pkt.get(IPv6).src;
        h.reply(
          IPv6({ src: PEER_IP6, dst: src, hlim: 255 }).over(
            ICMPv6ND_NA({
              tgt: PEER_IP6,
              S: true,
              R: false,
              options: [{ kind: 'target-link-layer', address: PEER_MAC }],
            }),
          ),
        );
      }
      return;
    }
    const out = script(pkt, h);
    for (const p of out === undefined ? [] : Array.isArray(out) ? out : [out]) h.reply(p);
  });
  return h;
}

/**
 * Runs virtual time forward in steps until the promise settles (between steps the event loop
 * runs, so awaits inside the code under test proceed). Fails past `limitMs` of virtual time.
 */
export async function drive<T>(
  clock: VirtualClock,
  promise: Promise<T>,
  stepMs = 5,
  limitMs = 600_000,
): Promise<T> {
  let settled = false;
  promise.then(
    () => {
      settled = true;
    },
    () => {
      settled = true;
    },
  );
  const end = clock.now() + limitMs;
  while (!settled) {
    await new Promise((resolve) => setImmediate(resolve));
    if (settled) break;
    if (clock.now() > end) throw new Error(`still pending after ${limitMs} ms of virtual time`);
    clock.advance(stepMs);
  }
  return promise;
}
