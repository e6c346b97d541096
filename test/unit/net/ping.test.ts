import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/link/clock.js';
import { createMemoryWire } from '../../../src/link/memory-wire.js';
import { NetInterface } from '../../../src/net/interface.js';
import { parseIp } from '../../../src/net/ip-addr.js';
import { formatPingSummary, Pinger, type PingReply } from '../../../src/net/ping.js';

function twoStacks(delay = 5) {
  const clock = new VirtualClock(0);
  const wire = createMemoryWire(clock, { delay });
  const common = {
    clock,
    onHandlerError: (e: unknown) => {
      throw e;
    },
  };
  const a = new NetInterface({
    ...common,
    device: wire.a,
    mac: '02:00:00:00:0a:01',
    ipv4: '10.8.0.1/24',
    ipv6: 'fd08::1/64',
  });
  const b = new NetInterface({
    ...common,
    device: wire.b,
    mac: '02:00:00:00:0a:02',
    ipv4: '10.8.0.2/24',
    ipv6: 'fd08::2/64',
  });
  return { clock, a, b };
}

async function runPing(clock: VirtualClock, pinger: Pinger) {
  const done = pinger.run();
  let finished = false;
  done.then(() => {
    finished = true;
  });
  for (let i = 0; i < 10_000 && !finished; i++) {
    clock.fireNext();
    await Promise.resolve();
  }
  return done;
}

for (const [family, dst] of [
  [4, '10.8.0.2'],
  [6, 'fd08::2'],
] as const) {
  test(`ping over IPv${family} between two interfaces: ARP/ND, replies, RTT on the virtual clock`, async () => {
    const { clock, a } = twoStacks(5);
    const replies: PingReply[] = [];
    const pinger = new Pinger(
      a,
      clock,
      parseIp(dst),
      { count: 3, intervalMs: 1000, size: 56, id: 7 },
      { reply: (r) => replies.push(r) },
    );
    const s = await runPing(clock, pinger);
    assert.deepEqual(
      replies.map((r) => [r.seq, r.bytes, r.from, r.duplicate]),
      [
        [1, 64, dst, false],
        [2, 64, dst, false],
        [3, 64, dst, false],
      ],
    );
    // First reply waits for resolution (request + reply) on top of the 10 ms round trip.
    assert.equal(replies[0].rttMs, 20);
    assert.equal(replies[1].rttMs, 10);
    assert.equal(s.transmitted, 3);
    assert.equal(s.received, 3);
    const text = formatPingSummary(dst, s);
    assert.equal(text[1], '3 packets transmitted, 3 received, 0% packet loss, time 2010ms');
    assert.match(text[2], /^rtt min\/avg\/max\/mdev = 10\.000\/13\.333\/20\.000\/4\.714 ms$/);
  });
}

test('ping to a silent address: no replies, 100% loss, ends after the wait', async () => {
  const { clock, a } = twoStacks(1);
  const pinger = new Pinger(a, clock, parseIp('10.8.0.99'), { count: 2, intervalMs: 500, waitMs: 2000 });
  const s = await runPing(clock, pinger);
  assert.equal(s.received, 0);
  assert.equal(s.transmitted, 2);
  assert.match(formatPingSummary('x', s)[1], /2 packets transmitted, 0 received, 100% packet loss/);
});

test('ping that gets an ICMP error quoting our request reports it', async () => {
  const { clock, a, b } = twoStacks(1);
  // Make b answer every echo with "port unreachable" by pinging b's UDP closed port? Simpler:
  // b sends an ICMP error quoting the request it got.
  b.onAnyIp((packet, family, protocol) => {
    if (family === 4 && protocol === 1 && packet[20] === 8) {
      const body = new Uint8Array(8 + 28);
      body[0] = 3;
      body[1] = 1;
      body.set(packet.subarray(0, 28), 8);
      let sum = 0;
      for (let i = 0; i < body.length; i += 2) sum += (body[i] << 8) | body[i + 1];
      while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
      const c = ~sum & 0xffff;
      body[2] = c >> 8;
      body[3] = c & 255;
      b.sendIp(parseIp('10.8.0.1'), 1, body);
    }
  });
  const errors: string[] = [];
  const pinger = new Pinger(
    a,
    clock,
    parseIp('10.8.0.2'),
    { count: 1, id: 99 },
    { error: (e) => errors.push(`${e.from} ${e.seq} ${e.message}`) },
  );
  const s = await runPing(clock, pinger);
  assert.deepEqual(errors, ['10.8.0.2 1 Destination Host Unreachable']);
  assert.equal(s.errors, 1);
  assert.equal(s.received, 1, 'b also answered the echo itself');
});
