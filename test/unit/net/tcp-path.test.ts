import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { RxIp } from '../../../src/net/handlers.js';
import { formatIp } from '../../../src/net/ip-addr.js';
import { readTcpSegment, TcpOptionScratch, writeTcpSegment } from '../../../src/net/tcp-codec.js';
import { cloneSegment, emptySegment, type TcpSegment } from '../../../src/tcp/segment.js';
import { get16 } from '../../../src/wire/bytes.js';
import {
  ethernet,
  Harness,
  ipv4,
  ipv6,
  l4ChecksumOk,
  OUR_MAC,
  OUR_V4,
  OUR_V6,
  PEER_MAC,
  PEER_V4,
  PEER_V6,
  tcpHeader,
  v4,
  v6,
  withChecksum,
} from './frames.js';

// A Linux SYN's options: MSS 1460, SACK-permitted, TS val 1 ecr 0, NOP, window scale 7.
const LINUX_SYN_OPTIONS = [2, 4, 5, 0xb4, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 0, 1, 3, 3, 7];

function syn(): TcpSegment {
  return {
    ...emptySegment(),
    srcPort: 40000,
    dstPort: 80,
    seq: 0x01020304,
    flags: 0x02,
    window: 64240,
    options: { mss: 1460, sackPermitted: true, timestamp: { value: 1, echo: 0 }, wscale: 7 },
  };
}

test('writeTcpSegment lays out a SYN exactly like Linux', () => {
  const buf = new Uint8Array(100);
  const n = writeTcpSegment(syn(), buf, 0);
  assert.equal(n, 40);
  assert.deepEqual(
    [...buf.subarray(0, 40)],
    [...tcpHeader(40000, 80, 0x01020304, 0, 0x02, 64240, LINUX_SYN_OPTIONS)],
  );
});

const segmentArb = fc.record({
  srcPort: fc.integer({ min: 0, max: 65535 }),
  dstPort: fc.integer({ min: 0, max: 65535 }),
  seq: fc.integer({ min: 0, max: 0xffffffff }),
  ack: fc.integer({ min: 0, max: 0xffffffff }),
  flags: fc.integer({ min: 0, max: 255 }),
  window: fc.integer({ min: 0, max: 65535 }),
  urgent: fc.integer({ min: 0, max: 65535 }),
  mss: fc.option(fc.integer({ min: 0, max: 65535 }), { nil: undefined }),
  wscale: fc.option(fc.integer({ min: 0, max: 14 }), { nil: undefined }),
  sackPermitted: fc.option(fc.constant(true), { nil: undefined }),
  ts: fc.option(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })), {
    nil: undefined,
  }),
  sack: fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff })), {
    maxLength: 4,
  }),
  payload: fc.uint8Array({ maxLength: 64 }),
});

test('property: read(write(segment)) gives the segment back (SACK blocks trimmed to what fits)', () => {
  fc.assert(
    fc.property(segmentArb, (s) => {
      const seg: TcpSegment = {
        srcPort: s.srcPort,
        dstPort: s.dstPort,
        seq: s.seq,
        ack: s.ack,
        flags: s.flags,
        window: s.window,
        urgent: s.urgent,
        options: {
          mss: s.mss,
          wscale: s.wscale,
          sackPermitted: s.sackPermitted,
          timestamp: s.ts && { value: s.ts[0], echo: s.ts[1] },
          sackBlocks: s.sack.length > 0 ? (s.sack as Array<[number, number]>) : undefined,
        },
        payload: s.payload,
      };
      const buf = new Uint8Array(200);
      const n = writeTcpSegment(seg, buf, 3);
      const back = emptySegment();
      readTcpSegment(buf, 3, n, back, new TcpOptionScratch());
      const headerLength = (buf[3 + 12] >> 4) * 4;
      assert.ok(headerLength <= 60);
      assert.deepEqual(
        { ...back, options: { ...back.options, sackBlocks: undefined }, payload: [...back.payload] },
        { ...seg, options: { ...seg.options, sackBlocks: undefined }, payload: [...seg.payload] },
      );
      const blocks = back.options.sackBlocks ?? [];
      assert.ok(blocks.length <= s.sack.length);
      assert.deepEqual(blocks, s.sack.slice(0, blocks.length));
      const used =
        (s.mss !== undefined ? 4 : 0) +
        (s.ts ? 12 : s.sackPermitted ? 4 : 0) +
        (s.wscale !== undefined ? 4 : 0);
      assert.equal(blocks.length, Math.min(s.sack.length, Math.max(0, Math.floor((40 - used - 4) / 8))));
    }),
    { numRuns: 500 },
  );
});

test('sendTcp: IPv4 + TCP with checksums, DF, to the resolved MAC', () => {
  const h = new Harness();
  h.learnPeer({ v4Only: true });
  assert.equal(h.iface.sendTcp(v4(OUR_V4), v4(PEER_V4), syn()), 'sent');
  const [f] = h.take();
  assert.equal(f.length, 14 + 20 + 40);
  assert.deepEqual([...f.subarray(0, 6)], [2, 0, 0, 0, 0, 1]);
  assert.equal(get16(f, 20) & 0x4000, 0x4000, 'DF');
  assert.equal(f[23], 6);
  assert.ok(l4ChecksumOk(f));
  assert.deepEqual(
    [...f.subarray(34, 74)],
    [
      ...withChecksum(
        4,
        OUR_V4,
        PEER_V4,
        6,
        tcpHeader(40000, 80, 0x01020304, 0, 2, 64240, LINUX_SYN_OPTIONS),
        16,
      ),
    ],
  );
});

test('sendTcp over IPv6 waits for ND, then goes out with a valid checksum', () => {
  const h = new Harness();
  const seg = { ...syn(), payload: new Uint8Array([1, 2, 3]) };
  assert.equal(h.iface.sendTcp(v6(OUR_V6), v6(PEER_V6), seg), 'queued');
  const [ns] = h.take();
  assert.equal(ns[54], 135);
  assert.ok(l4ChecksumOk(ns));
});

interface Seen {
  seg: TcpSegment;
  src: string;
  dst: string;
  family: number;
  hop: number;
}

function collect(h: Harness): Seen[] {
  const seen: Seen[] = [];
  h.iface.onTcp((seg: TcpSegment, ip: RxIp) =>
    seen.push({
      seg: cloneSegment(seg),
      src: formatIp(ip.src),
      dst: formatIp(ip.dst),
      family: ip.family,
      hop: ip.hopLimit,
    }),
  );
  return seen;
}

test('received TCP reaches the handler with fields, options, payload and addresses', () => {
  const h = new Harness();
  const seen = collect(h);
  const body = new Uint8Array([104, 105]);
  const tcp4 = withChecksum(
    4,
    PEER_V4,
    OUR_V4,
    6,
    tcpHeader(80, 40000, 7, 0x01020305, 0x18, 500, [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 1], body),
    16,
  );
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 6, tcp4, { ttl: 61 })));
  const tcp6 = withChecksum(6, PEER_V6, OUR_V6, 6, tcpHeader(443, 40001, 9, 1, 0x10, 501), 16);
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x86dd, ipv6(PEER_V6, OUR_V6, 6, tcp6, 60)));
  assert.equal(seen.length, 2);
  assert.deepEqual(
    { ...seen[0], seg: { ...seen[0].seg, payload: [...seen[0].seg.payload] } },
    {
      seg: {
        srcPort: 80,
        dstPort: 40000,
        seq: 7,
        ack: 0x01020305,
        flags: 0x18,
        window: 500,
        urgent: 0,
        options: { timestamp: { value: 9, echo: 1 } },
        payload: [104, 105],
      },
      src: PEER_V4,
      dst: OUR_V4,
      family: 4,
      hop: 61,
    },
  );
  assert.equal(seen[1].src, PEER_V6);
  assert.equal(seen[1].family, 6);
  assert.equal(seen[1].seg.srcPort, 443);
  assert.equal(seen[1].hop, 60);
});

test('bad TCP checksum is counted and dropped, unless the frame says checksumNotReady', () => {
  const h = new Harness();
  const seen = collect(h);
  const tcp = withChecksum(4, PEER_V4, OUR_V4, 6, tcpHeader(80, 40000, 7, 1, 0x10, 500), 16);
  tcp[17] ^= 0xff;
  const frame = ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 6, tcp));
  h.send(frame);
  assert.equal(seen.length, 0);
  assert.equal(h.iface.stats().dropped.badTcpChecksum, 1);
  h.iface.receive(frame, { timestamp: 0, checksumNotReady: true, checksumValid: false });
  assert.equal(seen.length, 1);
});

test('TCP with no handler is counted; malformed data offset is counted by WireError code', () => {
  const h = new Harness();
  const tcp = withChecksum(4, PEER_V4, OUR_V4, 6, tcpHeader(80, 40000, 7, 1, 0x10, 500), 16);
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 6, tcp)));
  assert.equal(h.iface.stats().dropped.noHandler, 1);
  collect(h);
  const bad = tcpHeader(80, 40000, 7, 1, 0x10, 500);
  bad[12] = 0xf0; // 60-byte header in a 20-byte segment
  h.send(
    ethernet(
      OUR_MAC,
      PEER_MAC,
      0x0800,
      ipv4(PEER_V4, OUR_V4, 6, withChecksum(4, PEER_V4, OUR_V4, 6, bad, 16)),
    ),
  );
  assert.equal(h.iface.stats().malformed['bad-length'], 1);
});

test('IP links (TUN): no ARP, packets go out bare, default route on-link', () => {
  const h = new Harness({ mac: undefined, gateway4: undefined }, { linkType: 'ip' });
  assert.equal(h.iface.sendTcp(v4(OUR_V4), v4('198.51.100.7'), syn()), 'sent');
  const [p] = h.take();
  assert.equal(p[0] >> 4, 4);
  assert.equal(p.length, 60);
  const seen = collect(h);
  const tcp = withChecksum(4, '198.51.100.7', OUR_V4, 6, tcpHeader(80, 40000, 7, 1, 0x12, 500), 16);
  h.send(ipv4('198.51.100.7', OUR_V4, 6, tcp));
  assert.equal(seen.length, 1);
});

test('no route -> counted, and a too-big TCP segment is refused', () => {
  const h = new Harness({ gateway4: undefined });
  assert.equal(h.iface.sendTcp(v4(OUR_V4), v4('192.0.2.1'), syn()), 'no-route');
  assert.equal(h.iface.stats().dropped.noRoute, 1);
  h.learnPeer({ v4Only: true });
  const big = { ...syn(), payload: new Uint8Array(1500) };
  assert.equal(h.iface.sendTcp(v4(OUR_V4), v4(PEER_V4), big), 'too-big');
});
