// The full frame path in virtual time: Stack -> NetInterface (IP, ARP/ND, checksums) -> memory wire,
// with the fault injector making the network bad. Node's http over it must still be byte-exact.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import http from 'node:http';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/link/clock.js';
import type { Device } from '../../../src/link/device.js';
import { FaultInjector } from '../../../src/link/fault-injector.js';
import { createMemoryWire } from '../../../src/link/memory-wire.js';
import { NetInterface } from '../../../src/net/interface.js';
import { Stack } from '../../../src/socket/stack.js';
import { collect, drive, randomBytes } from './harness.js';

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const BODY = randomBytes(2_000_000, 41);

function network(impair?: string) {
  const clock = new VirtualClock(0);
  const wire = createMemoryWire(clock, { bandwidth: 100e6, delay: 1, queueFrames: 2000 });
  const clientDevice: Device = impair ? new FaultInjector(wire.b, clock, impair) : wire.b;
  const serverIface = new NetInterface({
    device: wire.a,
    clock,
    mac: '02:00:00:00:00:01',
    ipv4: '10.1.0.1/24',
    ipv6: 'fd00:1::1/64',
  });
  const clientIface = new NetInterface({
    device: clientDevice,
    clock,
    mac: '02:00:00:00:00:02',
    ipv4: '10.1.0.2/24',
    ipv6: 'fd00:1::2/64',
  });
  const server = new Stack({ iface: serverIface, clock, isnSecret: Array(16).fill(3), rng: seeded(1) });
  const client = new Stack({ iface: clientIface, clock, isnSecret: Array(16).fill(4), rng: seeded(2) });
  const httpServer = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-length': BODY.length });
    res.end(BODY);
  });
  server.listen({ port: 80 }, (socket) => httpServer.emit('connection', socket));
  return {
    clock,
    client,
    clientDevice,
    close() {
      client.close();
      server.close();
      wire.close();
    },
  };
}

function seeded(seed: number): () => number {
  let x = seed;
  return () => {
    x = (Math.imul(x, 1664525) + 1013904223) >>> 0;
    return x / 2 ** 32;
  };
}

async function fetchBody(net: ReturnType<typeof network>, host: string): Promise<Buffer> {
  let body: Buffer | undefined;
  let error: Error | undefined;
  const req = http.request(
    { host, path: '/', createConnection: () => net.client.connect({ host, port: 80 }) },
    (res) => {
      const got = collect(res);
      res.on('end', () => {
        body = got.bytes();
      });
    },
  );
  req.on('error', (e) => {
    error = e;
  });
  req.end();
  await drive(net.clock, () => body !== undefined || error !== undefined);
  if (error) throw error;
  return body as Buffer;
}

test('http over frames, IPv4 and IPv6 (ARP and ND resolved by the interfaces)', async (t) => {
  const net = network();
  t.after(() => net.close());
  assert.equal(sha(await fetchBody(net, '10.1.0.1')), sha(BODY));
  assert.equal(sha(await fetchBody(net, 'fd00:1::1')), sha(BODY));
});

test('byte-exact under 5% loss, 20 ms delay, 1% reordering and 1% duplication (both directions)', async (t) => {
  const net = network('loss=5%,delay=20ms,reorder=1%,dup=1%,seed=7');
  t.after(() => net.close());
  assert.equal(sha(await fetchBody(net, '10.1.0.1')), sha(BODY));
  const stats = (net.clientDevice as FaultInjector).stats;
  assert.ok(stats.in.dropped > 0 && stats.out.dropped > 0, 'frames were really lost both ways');
  assert.ok(stats.in.duplicated > 0 && stats.in.reordered > 0, 'and duplicated and reordered');
});
