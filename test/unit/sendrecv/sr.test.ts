// sr/sr1/srp/srp1/send/sendp over an in-memory wire against a scripted peer, in virtual time:
// answers, timeouts, Scapy's retry (positive and negative), inter, multi, verbose, backlog.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_NEIGHBOR_OPTIONS } from '../../../src/net/neighbor-cache.js';
import {
  ARP,
  Ether,
  ICMP,
  ICMPv6EchoReply,
  ICMPv6EchoReplyLayer,
  ICMPv6EchoRequest,
  ICMPv6ND_NS,
  IP,
  IPv6,
  type Packet,
  Raw,
  TCP,
  UDP,
} from '../../../src/packet/index.js';
import { listen, SendRecvError, send, sendp, sr, sr1, srp, srp1 } from '../../../src/sendrecv/index.js';
import { drive, harness, OUR_IP, OUR_IP6, OUR_MAC, PEER_IP, PEER_IP6, PEER_MAC } from './harness.js';

/** Echo replies for every echo request. */
function pong(pkt: Packet): Packet | undefined {
  const icmp = pkt.find(ICMP);
  if (icmp?.type !== 8) return undefined;
  return IP({ src: PEER_IP, dst: OUR_IP }).over(ICMP({ type: 0, id: icmp.id, seq: icmp.seq }));
}

const ping = (seq: number) => IP({ dst: PEER_IP }).over(ICMP({ id: 0x77, seq }));
const probesTo = (pkt: Packet, h: ReturnType<typeof harness>) =>
  h.seen.filter((r) => r.pkt.find(ICMP)?.seq === pkt.get(ICMP).seq).length;

test('sr1: ARP resolves the next hop, the echo reply comes back; the source address is filled in', async () => {
  const h = harness(pong);
  const reply = await drive(h.clock, sr1(ping(1), { iface: h.iface, timeout: 1 }));
  assert.ok(reply);
  assert.equal(reply.get(IP).src, PEER_IP);
  assert.equal(reply.get(ICMP).type, 0);
  const sent = h.seen.map((r) => r.pkt).find((p) => p.has(ICMP));
  assert.equal(sent?.get(IP).src, OUR_IP, 'loopback default source replaced by the interface address');
  assert.ok(h.seen[0].pkt.has(ARP), 'the first frame out was the ARP request');
});

test('sr1: a SYN gets the SYN-ACK that acknowledges it', async () => {
  const h = harness((pkt) => {
    const t = pkt.find(TCP);
    if (!t?.hasFlags('S')) return undefined;
    return IP({ src: PEER_IP, dst: OUR_IP }).over(
      TCP({ sport: t.dport, dport: t.sport, flags: 'SA', seq: 500, ack: (t.seq + 1) >>> 0 }),
    );
  });
  const syn = IP({ dst: PEER_IP }).over(TCP({ sport: 40001, dport: 80, flags: 'S', seq: 0xffffffff }));
  const synack = await drive(h.clock, sr1(syn, { iface: h.iface, timeout: 1 }));
  assert.equal(synack?.get(TCP).flagStr, 'SA');
  assert.equal(synack?.get(TCP).ack, 0);
});

test('sr: unanswered probes come back in unanswered after the timeout; answered pairs keep order', async () => {
  const h = harness((pkt) => (pkt.find(ICMP)?.seq === 2 ? undefined : pong(pkt)));
  const res = await drive(h.clock, sr([ping(1), ping(2), ping(3)], { iface: h.iface, timeout: 0.5 }));
  assert.deepEqual(
    res.answered.map(([s, r]) => [s.get(ICMP).seq, r.get(ICMP).seq]),
    [
      [1, 1],
      [3, 3],
    ],
  );
  assert.deepEqual(
    res.unanswered.map((p) => p.get(ICMP).seq),
    [2],
  );
  assert.match(
    res.summary(),
    /ICMP 10\.0\.0\.1 > 10\.0\.0\.2 echo-request 0 ==> Ether \/ IP \/ ICMP 10\.0\.0\.2 > 10\.0\.0\.1 echo-reply 0/,
  );
});

test('sr1 returns null when nothing answers within the timeout', async () => {
  const h = harness();
  const start = h.clock.now();
  const reply = await drive(h.clock, sr1(ping(1), { iface: h.iface, timeout: 2 }));
  assert.equal(reply, null);
  assert.ok(h.clock.now() - start >= 2000, 'waited the whole timeout (virtual time)');
});

test('retry: re-sends only unanswered probes, this many more times', async () => {
  // The peer ignores the first two copies of each probe.
  const copies = new Map<number, number>();
  const script = (pkt: Packet) => {
    const seq = pkt.find(ICMP)?.seq ?? -1;
    copies.set(seq, (copies.get(seq) ?? 0) + 1);
    return (copies.get(seq) ?? 0) > 2 ? pong(pkt) : undefined;
  };
  const h = harness(script);
  const res = await drive(h.clock, sr([ping(1), ping(2)], { iface: h.iface, timeout: 0.2, retry: 2 }));
  assert.equal(res.answered.length, 2);
  assert.equal(probesTo(ping(1), h), 3);
  copies.clear();
  const h2 = harness(script);
  const res2 = await drive(h2.clock, sr([ping(1)], { iface: h2.iface, timeout: 0.2, retry: 1 }));
  assert.equal(res2.answered.length, 0);
  assert.equal(res2.unanswered.length, 1);
});

test('negative retry: keeps going while rounds bring answers, stops after -retry fruitless rounds', async () => {
  // Round 1 answers seq 1, round 2 answers seq 2, seq 3 is never answered.
  let round = 0;
  let lastSeq = 99;
  const h = harness((pkt) => {
    const seq = pkt.find(ICMP)?.seq ?? 0;
    if (seq <= lastSeq) round++;
    lastSeq = seq;
    return seq === round && seq < 3 ? pong(pkt) : undefined;
  });
  const res = await drive(
    h.clock,
    sr([ping(1), ping(2), ping(3)], { iface: h.iface, timeout: 0.2, retry: -2 }),
  );
  assert.equal(res.answered.length, 2);
  // Scapy: rounds 1 and 2 bring answers (counter reset to 2), rounds 3 and 4 bring none: stop.
  assert.equal(probesTo(ping(3), h), 4);
  const positive = harness((pkt) => (pkt.find(ICMP)?.seq === 1 ? pong(pkt) : undefined));
  await drive(positive.clock, sr([ping(1), ping(3)], { iface: positive.iface, timeout: 0.2, retry: 2 }));
  assert.equal(probesTo(ping(3), positive), 3);
});

test('inter: probes leave at least `inter` seconds apart', async () => {
  const h = harness(pong);
  await drive(h.clock, sr1(ping(0), { iface: h.iface, timeout: 1 })); // resolves the peer's MAC first
  await drive(h.clock, sr([ping(1), ping(2), ping(3)], { iface: h.iface, inter: 0.1, timeout: 0.1 }), 1);
  const times = h.seen.filter((r) => (r.pkt.find(ICMP)?.seq ?? 0) > 0).map((r) => r.at);
  assert.equal(times.length, 3);
  for (let i = 1; i < times.length; i++)
    assert.ok(times[i] - times[i - 1] >= 100, `gap ${times[i] - times[i - 1]} ms`);
});

test('multi: every answer to a probe is kept until the timeout', async () => {
  const h = harness((pkt) => {
    const r = pong(pkt);
    return r ? [r, r.copy()] : undefined;
  });
  const single = await drive(h.clock, sr(ping(1), { iface: h.iface, timeout: 0.2 }));
  assert.equal(single.answered.length, 1);
  const multi = await drive(h.clock, sr(ping(2), { iface: h.iface, timeout: 0.2, multi: true }));
  assert.equal(multi.answered.length, 2);
  assert.equal(multi.unanswered.length, 0);
});

test('verbose: Scapy’s progress lines', async () => {
  const h = harness(pong);
  await drive(h.clock, sr1(ping(0), { iface: h.iface, timeout: 1 })); // resolves the peer's MAC first
  let out = '';
  await drive(h.clock, sr([ping(1), ping(2)], { iface: h.iface, timeout: 0.2, verbose: (t) => (out += t) }));
  assert.equal(
    out,
    'Begin emission:\nFinished sending 2 packets.\n**\nReceived 2 packets, got 2 answers, remaining 0 packets\n',
  );
  out = '';
  await drive(h.clock, send(ping(3), { iface: h.iface, verbose: (t) => (out += t) }));
  assert.equal(out, '.\nSent 1 packets.\n');
});

test('a received packet that answers nothing is counted as a dot', async () => {
  const h = harness((pkt) => {
    const reply = pong(pkt);
    return reply
      ? [IP({ src: PEER_IP, dst: OUR_IP }).over(ICMP({ type: 0, id: 1, seq: 999 })), reply]
      : undefined;
  });
  await drive(h.clock, sr1(ping(0), { iface: h.iface, timeout: 1 }));
  let out = '';
  await drive(h.clock, sr(ping(1), { iface: h.iface, timeout: 0.2, verbose: (t) => (out += t) }));
  assert.match(out, /\n\.\*\nReceived 2 packets, got 1 answers, remaining 0 packets\n$/);
});

test('sr filter: only packets passing a tcpdump expression are considered', async () => {
  const h = harness(pong);
  const res = await drive(h.clock, sr(ping(1), { iface: h.iface, timeout: 0.2, filter: 'udp' }));
  assert.equal(res.answered.length, 0);
});

test('srp1: an ARP who-has frame as built, answered at layer 2', async () => {
  const h = harness();
  const who = Ether({ dst: 'ff:ff:ff:ff:ff:ff', src: OUR_MAC }).over(
    ARP({ psrc: OUR_IP, pdst: PEER_IP, hwsrc: OUR_MAC }),
  );
  const reply = await drive(h.clock, srp1(who, { device: h.wire.a, timeout: 1 }));
  assert.equal(reply?.get(ARP).hwsrc, PEER_MAC);
  const res = await drive(h.clock, srp([who], { iface: h.iface, timeout: 1 }));
  assert.equal(res.answered.length, 1, 'through the interface’s device too');
});

test('sendp sends the frame exactly as built; send routes through the interface', async () => {
  const h = harness();
  const frame = Ether({ dst: PEER_MAC, src: '02:aa:00:00:00:01' })
    .over(IP({ src: '1.2.3.4', dst: PEER_IP, ttl: 3 }))
    .over(UDP());
  const n = await drive(h.clock, sendp(frame, { device: h.wire.a, count: 2 }));
  assert.equal(n, 2);
  await drive(h.clock, (async () => h.clock.advance(10))());
  const got = h.seen.filter((r) => r.pkt.has(UDP));
  assert.equal(got.length, 2);
  assert.deepEqual(got[0].pkt.original, frame.build());
  await drive(h.clock, send(IP({ dst: PEER_IP, ttl: 9 }).over(UDP({ dport: 7 })), { iface: h.iface }));
  await drive(h.clock, (async () => h.clock.advance(2000))());
  const routed = h.seen.filter((r) => r.pkt.find(UDP)?.dport === 7);
  assert.equal(routed.length, 1);
  assert.equal(routed[0].pkt.get(IP).ttl, 9, 'the IP header is kept as built');
  assert.equal(routed[0].pkt.get(IP).src, OUR_IP);
});

test('send: more packets than the neighbor queue holds wait for ARP, then all go out', async () => {
  const h = harness();
  const burst = Array.from({ length: 20 }, (_, i) => IP({ dst: PEER_IP }).over(UDP({ dport: 1000 + i })));
  assert.equal(await drive(h.clock, send(burst, { iface: h.iface })), 20);
  await drive(h.clock, (async () => h.clock.advance(100))());
  const ports = h.seen.flatMap((r) => (r.pkt.has(UDP) ? [r.pkt.get(UDP).dport] : []));
  assert.deepEqual(
    ports,
    burst.map((_, i) => 1000 + i),
    'every packet, in order',
  );
});

test('send: a next hop that never answers ARP gives up with queue-full', async () => {
  const h = harness();
  // More packets than the neighbor queue holds while the next hop is being resolved.
  const length = DEFAULT_NEIGHBOR_OPTIONS.queueLimit + 4;
  const burst = Array.from({ length }, () => IP({ dst: '10.0.0.77' }).over(UDP()));
  await assert.rejects(
    drive(h.clock, send(burst, { iface: h.iface })),
    (e: unknown) => e instanceof SendRecvError && e.code === 'queue-full',
  );
});

test('send without a route is a typed error', async () => {
  const h = harness();
  await assert.rejects(send(IP({ dst: '192.0.2.1' }).over(UDP()), { iface: h.iface }), (e: unknown) => {
    return e instanceof SendRecvError && e.code === 'no-route';
  });
  await assert.rejects(
    send(Ether().over(IP()), { iface: h.iface }),
    (e: unknown) => e instanceof SendRecvError && e.code === 'not-l3',
  );
});

test('backlog: a segment that arrived between two sr1 calls still answers the second', async () => {
  // The peer answers a request with two data segments back to back.
  const h = harness((pkt) => {
    const t = pkt.find(TCP);
    if (!t || !pkt.has(Raw)) return undefined;
    const seg = (seq: number, data: string) =>
      IP({ src: PEER_IP, dst: OUR_IP })
        .over(TCP({ sport: 80, dport: t.sport, flags: 'PA', seq, ack: t.seq + 3 }))
        .over(Raw({ load: data }));
    return [seg(100, 'one'), seg(103, 'two')];
  });
  const backlog = listen({ iface: h.iface, filter: 'tcp' });
  try {
    const get = IP({ dst: PEER_IP })
      .over(TCP({ sport: 40002, dport: 80, flags: 'PA', seq: 1, ack: 100 }))
      .over(Raw({ load: 'GET' }));
    const first = await drive(h.clock, sr1(get, { iface: h.iface, backlog, timeout: 1 }));
    assert.equal(first?.get(TCP).seq, 100);
    await drive(h.clock, (async () => h.clock.advance(50))());
    assert.equal(backlog.packets.length, 1, 'the second segment waits in the backlog');
    const ack = IP({ dst: PEER_IP }).over(TCP({ sport: 40002, dport: 80, flags: 'A', seq: 4, ack: 103 }));
    const second = await drive(h.clock, sr1(ack, { iface: h.iface, backlog, timeout: 1 }));
    assert.equal(second?.get(TCP).seq, 103);
    assert.equal(backlog.packets.length, 0);
  } finally {
    backlog.close();
  }
});

test('large sr(): 2000 probes to distinct ports are all matched to their own answers', async () => {
  const h = harness((pkt) => {
    const u = pkt.find(UDP);
    return u ? IP({ src: PEER_IP, dst: OUR_IP }).over(UDP({ sport: u.dport, dport: u.sport })) : undefined;
  });
  const probes = Array.from({ length: 2000 }, (_, i) =>
    IP({ dst: PEER_IP }).over(UDP({ sport: 5000, dport: 10000 + i })),
  );
  const res = await drive(h.clock, sr(probes, { iface: h.iface, timeout: 1 }));
  assert.equal(res.answered.length, 2000);
  for (const [s, r] of res.answered) assert.equal(r.get(UDP).sport, s.get(UDP).dport);
});

test('sr1 over IPv6: neighbor discovery first, then the echo reply; the source is our global address', async () => {
  const h = harness((pkt) => {
    const echo = pkt.find(ICMPv6EchoRequest);
    if (!echo || echo instanceof ICMPv6EchoReplyLayer) return undefined;
    return IPv6({ src: PEER_IP6, dst: pkt.get(IPv6).src }).over(
      ICMPv6EchoReply({ id: echo.id, seq: echo.seq }),
    );
  });
  const reply = await drive(
    h.clock,
    sr1(IPv6({ dst: PEER_IP6 }).over(ICMPv6EchoRequest({ id: 5, seq: 1 })), { iface: h.iface, timeout: 1 }),
  );
  assert.equal(reply?.get(ICMPv6EchoReply).seq, 1);
  assert.ok(h.seen[0].pkt.has(ICMPv6ND_NS), 'the first frame out was the neighbor solicitation');
  const sent = h.seen.find((r) => r.pkt.has(ICMPv6EchoRequest))?.pkt;
  assert.equal(sent?.get(IPv6).src, OUR_IP6);
});
