import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  arp,
  concat,
  ethernet,
  Harness,
  ipv4,
  ipv6,
  mac,
  OUR_MAC,
  OUR_V4,
  OUR_V6,
  PEER_MAC,
  PEER_V4,
  udp,
  v4,
  v6,
} from './frames.js';

/** A UDP packet with an unusual TTL, ID and a deliberately wrong header checksum. */
function builtV4(dst: string, ttl = 3): Uint8Array {
  const packet = ipv4(OUR_V4, dst, 17, udp(OUR_V4, dst, 1000, 7, new Uint8Array([1, 2, 3])), {
    ttl,
    id: 0xbeef,
  });
  packet[10] ^= 0xff;
  return packet;
}

test('sendIpPacket: the header goes out exactly as built, to the resolved next hop MAC', () => {
  const h = new Harness();
  h.learnPeer();
  const packet = builtV4(PEER_V4);
  assert.equal(h.iface.sendIpPacket(packet), 'sent');
  assert.deepEqual(h.take(), [ethernet(PEER_MAC, OUR_MAC, 0x0800, packet)]);
  const offLink = builtV4('192.0.2.9', 9);
  assert.equal(h.iface.sendIpPacket(offLink), 'sent');
  assert.deepEqual(h.take(), [ethernet(PEER_MAC, OUR_MAC, 0x0800, offLink)], 'via the gateway');
  const six = ipv6(OUR_V6, 'fd00:9::1', 59, new Uint8Array(0), 7);
  assert.equal(h.iface.sendIpPacket(six), 'sent');
  assert.deepEqual(h.take(), [ethernet(PEER_MAC, OUR_MAC, 0x86dd, six)]);
});

test('sendIpPacket: an unresolved next hop queues the packet until ARP answers', () => {
  const h = new Harness();
  const packet = builtV4(PEER_V4);
  assert.equal(h.iface.sendIpPacket(packet), 'queued');
  const [request, ...rest] = h.take();
  assert.equal(rest.length, 0);
  assert.deepEqual(request.subarray(12, 14), Uint8Array.of(0x08, 0x06), 'an ARP request');
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0806, arp(2, PEER_MAC, PEER_V4, OUR_MAC, OUR_V4)));
  assert.deepEqual(h.take(), [ethernet(PEER_MAC, OUR_MAC, 0x0800, packet)]);
});

test('sendIpPacket: a full neighbor queue is reported, not silently dropped', () => {
  const h = new Harness({ neighbor: { queueLimit: 1 } });
  assert.equal(h.iface.sendIpPacket(builtV4(PEER_V4)), 'queued');
  assert.equal(h.iface.sendIpPacket(builtV4(PEER_V4)), 'queue-full');
  assert.equal(h.iface.stats().dropped.neighborQueueFull, 1);
});

test('sendIpPacket: group destinations map to group MACs (RFC 1112 §6.4, RFC 2464 §7)', () => {
  const h = new Harness();
  const cases: Array<[Uint8Array, string, number]> = [
    [builtV4('10.9.0.255'), 'ff:ff:ff:ff:ff:ff', 0x0800],
    [builtV4('255.255.255.255'), 'ff:ff:ff:ff:ff:ff', 0x0800],
    [builtV4('224.0.0.251'), '01:00:5e:00:00:fb', 0x0800],
    [ipv6(OUR_V6, 'ff02::1:ff00:77', 59, new Uint8Array(0)), '33:33:ff:00:00:77', 0x86dd],
  ];
  for (const [packet, group, type] of cases) {
    assert.equal(h.iface.sendIpPacket(packet), 'sent');
    assert.deepEqual(h.take(), [concat(mac(group), mac(OUR_MAC), [type >> 8, type & 255], packet)]);
  }
});

test('sendIpPacket: no route and too big are results, counted as drops', () => {
  const h = new Harness({ gateway4: undefined });
  assert.equal(h.iface.sendIpPacket(builtV4('192.0.2.1')), 'no-route');
  assert.equal(h.iface.stats().dropped.noRoute, 1);
  const big = ipv4(OUR_V4, PEER_V4, 17, new Uint8Array(1481));
  assert.equal(h.iface.sendIpPacket(big), 'too-big');
  assert.equal(h.iface.stats().dropped.tooBig, 1);
  assert.deepEqual(h.take(), []);
  assert.equal(h.iface.sendIpPacket(ipv4(OUR_V4, PEER_V4, 17, new Uint8Array(1480))), 'queued');
});

test('sendIpPacket: on a point-to-point link the packet is the frame', () => {
  const h = new Harness({}, { linkType: 'ip' });
  const packet = builtV4('198.51.100.4');
  assert.equal(h.iface.sendIpPacket(packet), 'sent');
  assert.deepEqual(h.take(), [packet]);
});

test('sendIpPacket: bytes that are not a whole IP header are a programming error', () => {
  const h = new Harness();
  assert.throws(() => h.iface.sendIpPacket(new Uint8Array(0)), TypeError);
  assert.throws(() => h.iface.sendIpPacket(new Uint8Array(40).fill(0x55)), TypeError);
  assert.throws(() => h.iface.sendIpPacket(Uint8Array.of(0x60, 0, 0, 0)), TypeError);
});

test('awaitsResolution: true only while the next hop of a routed unicast destination is unresolved', () => {
  const h = new Harness();
  assert.equal(h.iface.awaitsResolution(v4(PEER_V4)), true);
  assert.equal(h.iface.awaitsResolution(v4('192.0.2.1')), true, 'via the unresolved gateway');
  assert.equal(h.iface.awaitsResolution(v4('10.9.0.255')), false, 'broadcast');
  assert.equal(h.iface.awaitsResolution(v6('ff02::1')), false, 'multicast');
  h.learnPeer();
  assert.equal(h.iface.awaitsResolution(v4('192.0.2.1')), false);
  assert.equal(h.iface.awaitsResolution(v6('fd00:9::1')), false);
  const noGateway = new Harness({ gateway4: undefined });
  assert.equal(noGateway.iface.awaitsResolution(v4('192.0.2.1')), false, 'no route: nothing to wait for');
  const tun = new Harness({}, { linkType: 'ip' });
  assert.equal(tun.iface.awaitsResolution(v4('198.51.100.4')), false);
});
