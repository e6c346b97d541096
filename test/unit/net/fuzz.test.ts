import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { rxInfo } from '../../../src/link/device.js';
import {
  arp,
  concat,
  ethernet,
  Harness,
  icmp4Echo,
  icmp6,
  ipv4,
  ipv6,
  neighborAdvert,
  neighborSolicit,
  OUR_MAC,
  OUR_V4,
  OUR_V6,
  PEER_MAC,
  PEER_V4,
  PEER_V6,
  tcpHeader,
  udp,
  withChecksum,
} from './frames.js';

function corpus(): Uint8Array[] {
  const data = Uint8Array.from({ length: 40 }, (_, i) => i);
  const tcp4 = withChecksum(
    4,
    PEER_V4,
    OUR_V4,
    6,
    tcpHeader(80, 4000, 1, 2, 0x12, 100, [2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 0, 0], data),
    16,
  );
  const tcp6 = withChecksum(
    6,
    PEER_V6,
    OUR_V6,
    6,
    tcpHeader(80, 4000, 1, 2, 0x10, 100, [1, 1, 5, 10, 0, 0, 0, 1, 0, 0, 0, 2]),
    16,
  );
  const big = icmp4Echo(8, 1, 1, new Uint8Array(100));
  return [
    ethernet('ff:ff:ff:ff:ff:ff', PEER_MAC, 0x0806, arp(1, PEER_MAC, PEER_V4, '00:00:00:00:00:00', OUR_V4)),
    ethernet(OUR_MAC, PEER_MAC, 0x0806, arp(2, PEER_MAC, PEER_V4, OUR_MAC, OUR_V4)),
    ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 1, icmp4Echo(8, 1, 1, data))),
    ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 6, tcp4)),
    ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 17, udp(PEER_V4, OUR_V4, 53, 5353, data))),
    ethernet(
      OUR_MAC,
      PEER_MAC,
      0x0800,
      ipv4(PEER_V4, OUR_V4, 1, big.subarray(0, 64), { flagsOffset: 0x2000 }),
    ),
    ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 1, big.subarray(64), { flagsOffset: 8 })),
    ethernet(OUR_MAC, PEER_MAC, 0x86dd, ipv6(PEER_V6, OUR_V6, 6, tcp6)),
    ethernet(
      OUR_MAC,
      PEER_MAC,
      0x86dd,
      ipv6(PEER_V6, OUR_V6, 58, icmp6(128, 0, [0, 1, 0, 1], data, PEER_V6, OUR_V6)),
    ),
    ethernet(
      '33:33:ff:00:00:02',
      PEER_MAC,
      0x86dd,
      ipv6(PEER_V6, 'ff02::1:ff00:2', 58, neighborSolicit(PEER_V6, 'ff02::1:ff00:2', OUR_V6, PEER_MAC), 255),
    ),
    ethernet(
      OUR_MAC,
      PEER_MAC,
      0x86dd,
      ipv6(PEER_V6, OUR_V6, 58, neighborAdvert(PEER_V6, OUR_V6, PEER_V6, 0x60, PEER_MAC), 255),
    ),
    ethernet(OUR_MAC, PEER_MAC, 0x86dd, ipv6(PEER_V6, OUR_V6, 0, concat([6, 0, 1, 4, 0, 0, 0, 0], tcp6))),
    ethernet(OUR_MAC, PEER_MAC, 0x86dd, ipv6(PEER_V6, OUR_V6, 44, concat([58, 0, 0, 1, 0, 0, 0, 9], data))),
  ];
}

const mutation = fc.oneof(
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), bit: fc.integer({ min: 0, max: 7 }) }),
  fc.record({ kind: fc.constant('set' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('extend' as const), bytes: fc.uint8Array({ maxLength: 64 }) }),
);

type Mutation = typeof mutation extends fc.Arbitrary<infer T> ? T : never;

function mutate(frame: Uint8Array, ms: Mutation[]): Uint8Array {
  let f: Uint8Array = frame.slice();
  for (const m of ms) {
    if (f.length === 0) break;
    if (m.kind === 'flip') f[m.at % f.length] ^= 1 << m.bit;
    else if (m.kind === 'set') f[m.at % f.length] = m.value;
    else if (m.kind === 'truncate') f = f.slice(0, m.at % (f.length + 1));
    else f = concat(f, m.bytes);
  }
  return f;
}

test('fuzz: thousands of mutated frames never throw out of receive, and malformed ones are counted', () => {
  const h = new Harness({
    onHandlerError: (err) => {
      throw err;
    },
  });
  let delivered = 0;
  h.iface.onTcp((seg) => {
    delivered += seg.payload.length >= 0 ? 1 : 0;
  });
  h.iface.onUdp(5353, () => delivered++);
  h.iface.onIcmp(() => delivered++);
  h.iface.onAnyIp(() => delivered++);
  const frames = corpus();
  // Every unmutated frame is accepted by something (the corpus itself is valid).
  for (const f of frames) h.iface.receive(f, rxInfo(0));
  assert.deepEqual(h.iface.stats().malformed, {});
  fc.assert(
    fc.property(fc.nat(frames.length - 1), fc.array(mutation, { minLength: 1, maxLength: 4 }), (i, ms) => {
      h.iface.receive(mutate(frames[i], ms), rxInfo(0));
      h.advance(100);
    }),
    { numRuns: 5000, seed: 4242 },
  );
  const s = h.iface.stats();
  const malformed = Object.values(s.malformed).reduce((a, b) => a + (b ?? 0), 0);
  assert.ok(malformed > 100, `malformed frames were counted (${JSON.stringify(s.malformed)})`);
  assert.ok(s.dropped.badIpChecksum + s.dropped.badTcpChecksum + s.dropped.badIcmpChecksum > 100);
  assert.equal(s.dropped.handlerError, 0);
  assert.ok(delivered > 0);
  assert.equal(s.rxFrames, 5000 + frames.length);
});

test('fuzz: random bytes on an IP link', () => {
  const h = new Harness({ mac: undefined, gateway4: undefined }, { linkType: 'ip' });
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
      if (bytes.length > 0) bytes[0] = (bytes[0] & 0x0f) | (bytes[0] & 1 ? 0x40 : 0x60);
      h.iface.receive(bytes, rxInfo(0));
    }),
    { numRuns: 3000, seed: 7 },
  );
  assert.ok(Object.keys(h.iface.stats().malformed).length > 0);
});
