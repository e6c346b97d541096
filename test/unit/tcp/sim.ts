// A tiny two-engine network in virtual time for the unit tests: loss, reordering (jitter), duplication,
// in both directions. Not the project's simulator (that one runs over the real wire formats); this one
// hands segments straight from one engine to the other.

import type { TcpConfig } from '../../../src/tcp/config.js';
import { TcpConnection, TcpEvent } from '../../../src/tcp/connection.js';
import { assertInvariants } from '../../../src/tcp/invariants.js';
import { cloneSegment, TcpFlags, type TcpSegment } from '../../../src/tcp/segment.js';

/** Deterministic PRNG (mulberry32) so that every failing case replays exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface LinkParams {
  delay: number; // ms, one way
  jitter: number; // ms, uniform extra delay (reordering when > 0)
  loss: number; // probability
  duplicate: number; // probability
}

export interface SimParams {
  seed: number;
  aToB: LinkParams;
  bToA: LinkParams;
  clientConfig: Partial<TcpConfig>;
  serverConfig: Partial<TcpConfig>;
  clientData: Uint8Array;
  serverData: Uint8Array;
  /** Bytes each application reads per 10 ms tick (Infinity: everything at once). */
  clientReadRate: number;
  serverReadRate: number;
  mss: number;
  /** Virtual time limit in ms. */
  limit: number;
  /** Fixed ISNs (default: drawn from the seed). */
  clientIsn?: number;
  serverIsn?: number;
}

interface InFlight {
  at: number;
  order: number;
  toServer: boolean;
  seg: TcpSegment;
}

export interface SimResult {
  client: TcpConnection;
  server: TcpConnection | null;
  clientReceived: Uint8Array;
  serverReceived: Uint8Array;
  now: number;
  steps: number;
  delivered: number;
  dropped: number;
}

class Collector {
  private chunks: Uint8Array[] = [];
  length = 0;
  private readonly scratch = new Uint8Array(65536);
  readFrom(conn: TcpConnection, budget: number): void {
    while (budget > 0 && conn.readableLength() > 0) {
      const n = conn.read(this.scratch.subarray(0, Math.min(this.scratch.length, budget)));
      if (n === 0) break;
      this.chunks.push(this.scratch.slice(0, n));
      this.length += n;
      budget -= n;
    }
  }
  bytes(): Uint8Array {
    const out = new Uint8Array(this.length);
    let o = 0;
    for (const c of this.chunks) {
      out.set(c, o);
      o += c.length;
    }
    return out;
  }
}

/** Run a client/server exchange: each side writes its data, then closes; both read everything. */
export function runSim(p: SimParams): SimResult {
  const rand = prng(p.seed);
  const queue: InFlight[] = [];
  let order = 0;
  let delivered = 0;
  let dropped = 0;
  const client = TcpConnection.connect({
    localPort: 40000,
    remotePort: 80,
    isn: (rand() * 2 ** 32) >>> 0,
    now: 0,
    mss: p.mss,
    config: p.clientConfig,
  });
  let server: TcpConnection | null = null;
  const serverIsn = (rand() * 2 ** 32) >>> 0;
  const clientIn = new Collector();
  const serverIn = new Collector();
  let clientWritten = 0;
  let serverWritten = 0;
  let now = 0;
  let nextTick = 0;
  const TICK = 10;

  const transmit = (toServer: boolean) => (seg: TcpSegment) => {
    const link = toServer ? p.aToB : p.bToA;
    if (rand() < link.loss) {
      dropped++;
      return;
    }
    const copies = rand() < link.duplicate ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      queue.push({
        at: now + link.delay + rand() * link.jitter,
        order: order++,
        toServer,
        seg: cloneSegment(seg),
      });
    }
  };
  const toServer = transmit(true);
  const toClient = transmit(false);

  const app = () => {
    clientIn.readFrom(client, p.clientReadRate);
    if (clientWritten < p.clientData.length)
      clientWritten += client.write(p.clientData.subarray(clientWritten));
    if (
      clientWritten === p.clientData.length &&
      (client.state === 'ESTABLISHED' || client.state === 'CLOSE-WAIT')
    )
      client.end();
    if (server) {
      serverIn.readFrom(server, p.serverReadRate);
      if (serverWritten < p.serverData.length)
        serverWritten += server.write(p.serverData.subarray(serverWritten));
      if (
        serverWritten === p.serverData.length &&
        (server.state === 'ESTABLISHED' || server.state === 'CLOSE-WAIT')
      )
        server.end();
    }
  };

  const done = () =>
    client.state === 'CLOSED' && server !== null && server.state === 'CLOSED' && queue.length === 0;
  let steps = 0;
  while (!done() && now <= p.limit) {
    steps++;
    // Deliver everything due.
    queue.sort((x, y) => x.at - y.at || x.order - y.order);
    while (queue.length > 0 && queue[0].at <= now) {
      const pkt = queue.shift()!;
      delivered++;
      if (pkt.toServer) {
        if (!server) {
          if (pkt.seg.flags & TcpFlags.SYN && !(pkt.seg.flags & TcpFlags.ACK)) {
            server = TcpConnection.accept(
              { localPort: 80, remotePort: 40000, isn: serverIsn, now, mss: p.mss, config: p.serverConfig },
              pkt.seg,
            );
          }
          continue; // no listener reply for anything else (the stack would send RST)
        }
        server.onSegment(now, pkt.seg);
        assertInvariants(server);
      } else {
        client.onSegment(now, pkt.seg);
        assertInvariants(client);
      }
    }
    if (now >= nextTick) {
      app();
      nextTick = now + TICK;
    }
    if (client.pollAt() <= now) {
      client.poll(now, toServer);
      assertInvariants(client, true);
    }
    if (server && server.pollAt() <= now) {
      server.poll(now, toClient);
      assertInvariants(server, true);
    }
    client.takeEvents();
    server?.takeEvents();
    // Next event time.
    let next = Math.min(client.pollAt(), server ? server.pollAt() : Number.POSITIVE_INFINITY);
    for (const q of queue) if (q.at < next) next = q.at;
    const appBusy =
      clientWritten < p.clientData.length ||
      client.readableLength() > 0 ||
      (server !== null &&
        (serverWritten < p.serverData.length ||
          server.readableLength() > 0 ||
          server.state === 'CLOSE-WAIT')) ||
      client.state === 'CLOSE-WAIT' ||
      client.state === 'ESTABLISHED';
    if (appBusy && nextTick < next) next = nextTick;
    if (next <= now) next = now; // due now: loop again at the same time
    if (next === Number.POSITIVE_INFINITY) break;
    if (next === now && steps % 100_000 === 0) throw new Error(`sim livelock at ${now}`);
    now = next;
  }
  // Drain what is readable.
  clientIn.readFrom(client, Number.POSITIVE_INFINITY);
  if (server) serverIn.readFrom(server, Number.POSITIVE_INFINITY);
  return {
    client,
    server,
    clientReceived: clientIn.bytes(),
    serverReceived: serverIn.bytes(),
    now,
    steps,
    delivered,
    dropped,
  };
}

export { TcpEvent };
