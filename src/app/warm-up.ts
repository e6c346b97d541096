// Warms the per-packet path before the first real SYN. In a fresh process every function on the
// path (Ethernet/IP/TCP parsing, the TCP engine, the driver, the socket, Node's http client, the
// tracer and the analyzer) runs for the first time on the server's SYN-ACK and first flight, where
// lazy compilation and the interpreter cost milliseconds per packet: the handshake ACK left
// ~3 ms after the SYN-ACK (10+ ms with --explain) and the first 100 KB took 4x as long as later.
// One small HTTP exchange between two stacks on an in-memory wire, on a virtual clock, compiles
// all of it first. Nothing touches the network; it takes a few tens of milliseconds once.
import http from 'node:http';
import { VirtualClock } from '../link/clock.js';
import { createMemoryWire } from '../link/memory-wire.js';
import { NetInterface } from '../net/interface.js';
import { Stack } from '../socket/stack.js';
import { type ObserveOptions, observeLink } from './link-observers.js';

const BODY = Buffer.alloc(64 * 1024, 0x61);
/** Virtual milliseconds the exchange may take before we give up (it needs a few). */
const VIRTUAL_LIMIT_MS = 10_000;

/**
 * Runs one GET of 64 KB between two in-memory stacks, with the same kind of observers as the real
 * link; resolves to the body bytes the client received (64 KB when the exchange completed).
 */
export async function warmUpPacketPath(
  observe: Pick<ObserveOptions, 'trace' | 'explain'> = {},
): Promise<number> {
  const clock = new VirtualClock(0);
  const wire = createMemoryWire(clock, { bandwidth: 1e9, delay: 0.05, queueFrames: 1000 });
  const serverIface = iface(wire.a, clock, '02:00:5e:00:00:01', '192.0.2.1/24');
  const clientIface = iface(wire.b, clock, '02:00:5e:00:00:02', '192.0.2.2/24');
  const observers = observeLink(clientIface, { ...observe, keepPackets: true, write: () => {} });
  const server = new Stack({ iface: serverIface, clock });
  const client = new Stack({ iface: clientIface, clock });
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-length': BODY.length });
    res.end(BODY);
  });
  server.listen({ port: 80 }, (socket) => httpServer.emit('connection', socket));
  let done = false;
  let received = 0;
  try {
    const req = http.request({
      host: '192.0.2.1',
      port: 80,
      path: '/',
      createConnection: () => client.connect({ host: '192.0.2.1', port: 80 }) as never,
    });
    req.on('response', (res) => {
      res.on('data', (chunk: Buffer) => {
        received += chunk.length;
      });
      res.on('end', () => {
        done = true;
      });
    });
    req.on('error', () => {
      done = true;
    });
    req.end();
    await drive(clock, () => done);
    req.destroy();
    return received;
  } finally {
    client.close();
    server.close();
    wire.close();
    observers.close();
  }
}

function iface(
  device: ConstructorParameters<typeof NetInterface>[0]['device'],
  clock: VirtualClock,
  mac: string,
  ipv4: string,
) {
  return new NetInterface({ device, clock, mac, ipv4 });
}

/** Alternates the event loop (streams and http defer work) with virtual timers until `until()`. */
async function drive(clock: VirtualClock, until: () => boolean): Promise<void> {
  const deadline = clock.now() + VIRTUAL_LIMIT_MS;
  while (!until()) {
    await new Promise((resolve) => setImmediate(resolve));
    if (until()) return;
    const next = clock.nextTimerAt();
    if (next === undefined || next > deadline) {
      await new Promise((resolve) => setImmediate(resolve));
      if (until() || clock.nextTimerAt() === undefined) return;
      if ((clock.nextTimerAt() ?? Number.POSITIVE_INFINITY) > deadline) return;
    }
    clock.fireNext();
  }
}
