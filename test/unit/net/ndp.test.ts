import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIpv6, formatMac, linkLocalFromMac } from '../../../src/wire/addr.js';
import { get16 } from '../../../src/wire/bytes.js';
import {
  ethernet,
  Harness,
  ipv6,
  l4ChecksumOk,
  mac,
  neighborAdvert,
  neighborSolicit,
  OUR_MAC,
  OUR_V6,
  PEER_MAC,
  PEER_V6,
  v6,
} from './frames.js';

const SOLICITED_OURS = 'ff02::1:ff00:2';

function nd(frame: Uint8Array) {
  assert.equal(get16(frame, 12), 0x86dd);
  assert.ok(l4ChecksumOk(frame), 'ICMPv6 checksum verifies');
  return {
    dstMac: formatMac(frame, 0),
    hopLimit: frame[21],
    src: formatIpv6(frame, 22),
    dst: formatIpv6(frame, 38),
    type: frame[54],
    flags: frame[58],
    target: formatIpv6(frame, 62),
    option: frame.length >= 86 ? { type: frame[78], len: frame[79], mac: formatMac(frame, 80) } : null,
  };
}

function nsFrame(src: string, dst: string, target: string, sll: string | null, hop = 255): Uint8Array {
  const dstMac = dst.startsWith('ff') ? `33:33:${formatMac(v6(dst), 10).slice(6)}` : OUR_MAC;
  return ethernet(dstMac, PEER_MAC, 0x86dd, ipv6(src, dst, 58, neighborSolicit(src, dst, target, sll), hop));
}

test('NS for our address -> solicited NA to the sender with our MAC (RFC 4861 §7.2.4)', () => {
  const h = new Harness();
  h.send(nsFrame(PEER_V6, SOLICITED_OURS, OUR_V6, PEER_MAC));
  const out = h.take();
  assert.equal(out.length, 1);
  assert.deepEqual(nd(out[0]), {
    dstMac: PEER_MAC,
    hopLimit: 255,
    src: OUR_V6,
    dst: PEER_V6,
    type: 136,
    flags: 0x60, // Solicited + Override
    target: OUR_V6,
    option: { type: 2, len: 1, mac: OUR_MAC },
  });
  // The solicitor was learned (RFC 4861 §7.2.3): traffic to it needs no NS of our own.
  assert.equal(h.iface.sendUdp(undefined, v6(PEER_V6), 1, 2, new Uint8Array(1)), 'sent');
});

test('NS for our link-local address is answered too', () => {
  const h = new Harness();
  const ll = formatIpv6(linkLocalFromMac(mac(OUR_MAC)));
  const peerLl = formatIpv6(linkLocalFromMac(mac(PEER_MAC)));
  h.send(nsFrame(peerLl, SOLICITED_OURS, ll, PEER_MAC));
  const [na] = h.take();
  assert.equal(nd(na).target, ll);
  assert.equal(nd(na).src, ll);
  assert.equal(nd(na).dst, peerLl);
});

test('DAD probe for our address is defended with an NA to all-nodes, S=0, nothing learned', () => {
  const h = new Harness();
  h.send(nsFrame('::', SOLICITED_OURS, OUR_V6, null));
  const [na] = h.take();
  const m = nd(na);
  assert.equal(m.dst, 'ff02::1');
  assert.equal(m.dstMac, '33:33:00:00:00:01');
  assert.equal(m.flags, 0x20, 'Override only');
  assert.equal(h.iface.neighbors.size, 0);
});

test('NS for another address, with a bad hop limit, or a DAD probe with SLLA are ignored', () => {
  const h = new Harness();
  h.send(nsFrame(PEER_V6, 'ff02::1:ff00:77', 'fd00:9::77', PEER_MAC));
  h.send(nsFrame(PEER_V6, SOLICITED_OURS, OUR_V6, PEER_MAC, 64));
  h.send(nsFrame('::', SOLICITED_OURS, OUR_V6, PEER_MAC));
  assert.equal(h.take().length, 0);
  const s = h.iface.stats();
  assert.equal(s.dropped.notOurIp, 1, 'another node’s solicited-node group is not ours');
  assert.equal(s.dropped.invalidNeighborMessage, 2);
});

test('resolution: NS to the solicited-node group, NA releases the queued packets', () => {
  const h = new Harness();
  assert.equal(h.iface.sendUdp(undefined, v6(PEER_V6), 7, 9, new Uint8Array([1])), 'queued');
  assert.equal(h.iface.sendUdp(undefined, v6(PEER_V6), 7, 9, new Uint8Array([2])), 'queued');
  const [ns] = h.take();
  assert.deepEqual(nd(ns), {
    dstMac: '33:33:ff:00:00:01',
    hopLimit: 255,
    src: OUR_V6,
    dst: 'ff02::1:ff00:1',
    type: 135,
    flags: 0,
    target: PEER_V6,
    option: { type: 1, len: 1, mac: OUR_MAC },
  });
  const na = neighborAdvert(PEER_V6, OUR_V6, PEER_V6, 0x60, PEER_MAC);
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x86dd, ipv6(PEER_V6, OUR_V6, 58, na, 255)));
  const out = h.take();
  assert.equal(out.length, 2);
  assert.deepEqual(
    out.map((f) => [formatMac(f, 0), f[14 + 48]]),
    [
      [PEER_MAC, 1],
      [PEER_MAC, 2],
    ],
  );
  assert.ok(out.every((f) => l4ChecksumOk(f)));
});

test('unsolicited NA does not create entries; an NA claiming our address is counted', () => {
  const h = new Harness();
  const na = neighborAdvert(PEER_V6, 'ff02::1', 'fd00:9::5', 0x20, PEER_MAC);
  h.send(ethernet('33:33:00:00:00:01', PEER_MAC, 0x86dd, ipv6(PEER_V6, 'ff02::1', 58, na, 255)));
  assert.equal(h.iface.neighbors.size, 0);
  const claim = neighborAdvert(PEER_V6, 'ff02::1', OUR_V6, 0x20, PEER_MAC);
  h.send(ethernet('33:33:00:00:00:01', PEER_MAC, 0x86dd, ipv6(PEER_V6, 'ff02::1', 58, claim, 255)));
  assert.equal(h.iface.stats().dropped.invalidNeighborMessage, 1);
  const solicitedToMulticast = neighborAdvert(PEER_V6, 'ff02::1', 'fd00:9::5', 0x60, PEER_MAC);
  h.send(
    ethernet('33:33:00:00:00:01', PEER_MAC, 0x86dd, ipv6(PEER_V6, 'ff02::1', 58, solicitedToMulticast, 255)),
  );
  assert.equal(h.iface.stats().dropped.invalidNeighborMessage, 2);
  assert.equal(h.take().length, 0);
});
