import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatMac } from '../../../src/wire/addr.js';
import { get16, get32 } from '../../../src/wire/bytes.js';
import { arp, ethernet, Harness, OUR_MAC, OUR_V4, PEER_MAC, PEER_V4, v4 } from './frames.js';

const BCAST = 'ff:ff:ff:ff:ff:ff';
const ZERO = '00:00:00:00:00:00';

function arpOf(frame: Uint8Array) {
  assert.equal(get16(frame, 12), 0x0806, 'an ARP frame');
  return {
    dstMac: formatMac(frame, 0),
    op: get16(frame, 20),
    sha: formatMac(frame, 22),
    spa: get32(frame, 28),
    tha: formatMac(frame, 32),
    tpa: get32(frame, 38),
  };
}

test('ARP request for our address gets a reply to the requester (RFC 826)', () => {
  const h = new Harness();
  h.send(ethernet(BCAST, PEER_MAC, 0x0806, arp(1, PEER_MAC, PEER_V4, ZERO, OUR_V4)));
  const out = h.take();
  assert.equal(out.length, 1);
  assert.deepEqual(arpOf(out[0]), {
    dstMac: PEER_MAC,
    op: 2,
    sha: OUR_MAC,
    spa: v4(OUR_V4),
    tha: PEER_MAC,
    tpa: v4(PEER_V4),
  });
  assert.equal(formatMac(out[0], 6), OUR_MAC);
  // The requester was learned: a packet to it goes out at once, without a request of our own.
  assert.equal(h.iface.sendUdp(undefined, v4(PEER_V4), 1000, 2000, new Uint8Array(4)), 'sent');
  const [udp] = h.take();
  assert.equal(formatMac(udp, 0), PEER_MAC);
  assert.equal(h.iface.stats().txArpReplies, 1);
});

test('ARP requests for other addresses are ignored and teach nothing new', () => {
  const h = new Harness();
  h.send(ethernet(BCAST, PEER_MAC, 0x0806, arp(1, PEER_MAC, PEER_V4, ZERO, '10.9.0.77')));
  assert.equal(h.take().length, 0);
  assert.equal(h.iface.arp.size, 0);
});

test('ARP probes (sender 0.0.0.0, RFC 5227) for our address are defended, nothing learned', () => {
  const h = new Harness();
  h.send(ethernet(BCAST, PEER_MAC, 0x0806, arp(1, PEER_MAC, '0.0.0.0', ZERO, OUR_V4)));
  const out = h.take();
  assert.equal(out.length, 1);
  assert.equal(arpOf(out[0]).op, 2);
  assert.equal(h.iface.arp.size, 0);
});

test('resolution: request, retries every second, queued packets released in order on reply', () => {
  const h = new Harness();
  for (let i = 0; i < 3; i++) {
    assert.equal(h.iface.sendUdp(undefined, v4(PEER_V4), 1000, 2000, new Uint8Array([i])), 'queued');
  }
  let out = h.take();
  assert.equal(out.length, 1, 'one request, not one per packet');
  assert.deepEqual(arpOf(out[0]), {
    dstMac: BCAST,
    op: 1,
    sha: OUR_MAC,
    spa: v4(OUR_V4),
    tha: ZERO,
    tpa: v4(PEER_V4),
  });
  h.advance(1000);
  out = h.take();
  assert.equal(out.length, 1, 'retry after 1 s');
  assert.equal(arpOf(out[0]).op, 1);
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0806, arp(2, PEER_MAC, PEER_V4, OUR_MAC, OUR_V4)));
  out = h.take();
  assert.equal(out.length, 3);
  out.forEach((f, i) => {
    assert.equal(formatMac(f, 0), PEER_MAC);
    assert.equal(get16(f, 12), 0x0800);
    assert.equal(f[14 + 20 + 8], i, 'in the order they were sent');
  });
  h.advance(5000);
  assert.equal(h.take().length, 0, 'no retries after the reply');
  assert.equal(h.iface.stats().neighbor.resolved, 1);
});

test('resolution gives up after 3 requests and counts the dropped packets', () => {
  const h = new Harness();
  h.iface.sendUdp(undefined, v4('10.9.0.50'), 1, 2, new Uint8Array(1));
  h.iface.sendUdp(undefined, v4('10.9.0.50'), 1, 2, new Uint8Array(1));
  h.advance(10_000);
  const requests = h.take().filter((f) => get16(f, 12) === 0x0806);
  assert.equal(requests.length, 3);
  const s = h.iface.stats();
  assert.equal(s.neighbor.failed, 1);
  assert.equal(s.dropped.neighborUnreachable, 2);
  assert.equal(h.iface.arp.size, 0);
});

test('the pending queue per neighbor is bounded', () => {
  const h = new Harness({ neighbor: { queueLimit: 4 } });
  const results = Array.from({ length: 6 }, () =>
    h.iface.sendUdp(undefined, v4(PEER_V4), 1, 2, new Uint8Array(1)),
  );
  assert.deepEqual(results, ['queued', 'queued', 'queued', 'queued', 'queue-full', 'queue-full']);
  assert.equal(h.iface.stats().dropped.neighborQueueFull, 2);
});

test('off-link destinations resolve the gateway; entries are re-verified after expiry', () => {
  const h = new Harness({ neighbor: { reachableMs: 30_000 } });
  h.iface.sendUdp(undefined, v4('192.0.2.9'), 1, 2, new Uint8Array(1));
  const [req] = h.take();
  assert.equal(arpOf(req).tpa, v4(PEER_V4), 'asks for the gateway');
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0806, arp(2, PEER_MAC, PEER_V4, OUR_MAC, OUR_V4)));
  const [released] = h.take();
  assert.equal(get32(released, 14 + 16), v4('192.0.2.9'));
  h.advance(31_000);
  assert.equal(
    h.iface.sendUdp(undefined, v4('192.0.2.9'), 1, 2, new Uint8Array(1)),
    'sent',
    'stale entry still used',
  );
  const out = h.take();
  assert.equal(out.filter((f) => get16(f, 12) === 0x0800).length, 1);
  const probes = out.filter((f) => get16(f, 12) === 0x0806).map(arpOf);
  assert.equal(probes.length, 1);
  assert.equal(probes[0].dstMac, PEER_MAC, 'RFC 4861 §7.3.3 PROBE: unicast to the cached address');
  h.advance(10_000);
  assert.equal(h.take().length, 2, 'two more probes, then the entry is removed');
  assert.equal(h.iface.stats().neighbor.expired, 1);
  assert.equal(h.iface.arp.size, 0);
});

test('ARP from our own MAC or a multicast sender MAC is dropped', () => {
  const h = new Harness();
  h.send(ethernet(BCAST, '03:00:00:00:00:01', 0x0806, arp(1, '03:00:00:00:00:01', PEER_V4, ZERO, OUR_V4)));
  assert.equal(h.take().length, 0);
  assert.equal(h.iface.stats().dropped.invalidNeighborMessage, 1);
  h.send(ethernet(BCAST, PEER_MAC, 0x0806, arp(1, OUR_MAC, PEER_V4, ZERO, OUR_V4)));
  assert.equal(h.take().length, 0);
  assert.equal(h.iface.stats().dropped.invalidNeighborMessage, 2);
});

test('probeConflicts: ARP probe + DAD, and a host answering for our address is reported (RFC 5227)', async () => {
  const h = new Harness({ linkLocal: false });
  const result = h.iface.probeConflicts(1000);
  const out = h.take();
  const probe = arpOf(out.find((f) => get16(f, 12) === 0x0806) as Uint8Array);
  assert.deepEqual(probe, { dstMac: BCAST, op: 1, sha: OUR_MAC, spa: 0, tha: ZERO, tpa: v4(OUR_V4) });
  const dad = out.find((f) => get16(f, 12) === 0x86dd) as Uint8Array;
  assert.deepEqual([...dad.subarray(22, 38)], new Array(16).fill(0), 'DAD from the unspecified address');
  assert.equal(dad.length, 14 + 40 + 24, 'no source link-layer option in DAD');
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0806, arp(2, PEER_MAC, OUR_V4, OUR_MAC, '0.0.0.0')));
  h.advance(1000);
  assert.deepEqual(await result, [{ address: OUR_V4, mac: PEER_MAC }]);
});

test('announce(): gratuitous ARP and unsolicited NA to all-nodes', () => {
  const h = new Harness({ linkLocal: false });
  h.iface.announce();
  const out = h.take();
  assert.deepEqual(arpOf(out[0]), {
    dstMac: BCAST,
    op: 1,
    sha: OUR_MAC,
    spa: v4(OUR_V4),
    tha: ZERO,
    tpa: v4(OUR_V4),
  });
  assert.equal(formatMac(out[1], 0), '33:33:00:00:00:01');
  assert.equal(out[1][54], 136);
  assert.equal(out[1][58], 0x20, 'override, not solicited');
});
