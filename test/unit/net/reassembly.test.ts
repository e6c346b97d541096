import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { VirtualClock } from '../../../src/link/clock.js';
import { DEFAULT_REASSEMBLY_OPTIONS, type Fragment, Reassembler } from '../../../src/net/reassembly.js';
import { createNetStats } from '../../../src/net/stats.js';
import { checksumVerifies } from '../../../src/wire/checksum.js';
import {
  concat,
  ethernet,
  Harness,
  icmp4Echo,
  icmp6,
  ipv4,
  ipv6,
  OUR_MAC,
  OUR_V4,
  OUR_V6,
  PEER_MAC,
  PEER_V4,
  PEER_V6,
} from './frames.js';

const HEADER = new Uint8Array(20).fill(0x45);

function setup(opts = {}) {
  const clock = new VirtualClock(0);
  const stats = createNetStats();
  const timedOut: Array<4 | 6> = [];
  const r = new Reassembler(clock, { ...DEFAULT_REASSEMBLY_OPTIONS, ...opts }, stats, (f) =>
    timedOut.push(f),
  );
  return { clock, stats, r, timedOut };
}

function pattern(n: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + 3) & 0xff);
}

function frag(
  data: Uint8Array,
  offset: number,
  end: number,
  more: boolean,
  key = 'k',
  family: 4 | 6 = 4,
): Fragment {
  return {
    family,
    key,
    offset,
    more,
    data: data.subarray(offset, end),
    header: offset === 0 ? HEADER : null,
  };
}

test('in order: the datagram comes out when the last piece arrives', () => {
  const { r, stats } = setup();
  const data = pattern(3000);
  assert.equal(r.add(frag(data, 0, 1480, true)), null);
  assert.equal(r.add(frag(data, 1480, 2960, true)), null);
  const done = r.add(frag(data, 2960, 3000, false));
  assert.ok(done);
  assert.deepEqual(done.payload, data);
  assert.deepEqual(done.header, HEADER);
  assert.equal(stats.reassembly.datagramsReassembled, 1);
  assert.equal(r.size, 0);
  assert.equal(r.memoryUsed, 0);
});

test('property: any arrival order reassembles the same bytes', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 9, max: 9000 }),
      fc.integer({ min: 1, max: 200 }),
      fc.integer(),
      (size, unit, seed) => {
        const { r } = setup();
        const data = pattern(size);
        const chunk = unit * 8;
        const pieces: Fragment[] = [];
        for (let o = 0; o < size; o += chunk)
          pieces.push(frag(data, o, Math.min(size, o + chunk), o + chunk < size));
        // deterministic shuffle from the seed
        let s = seed >>> 0;
        for (let i = pieces.length - 1; i > 0; i--) {
          s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
          const j = s % (i + 1);
          [pieces[i], pieces[j]] = [pieces[j], pieces[i]];
        }
        const results = pieces.map((p) => r.add(p));
        const done = results.filter((x) => x !== null);
        assert.equal(done.length, 1);
        assert.equal(results[results.length - 1] !== null, true, 'completes on the last arrival');
        assert.deepEqual(done[0]?.payload, data);
      },
    ),
    { numRuns: 200 },
  );
});

test('overlapping fragments drop the whole datagram (RFC 5722); exact duplicates are ignored', () => {
  const { r, stats } = setup();
  const data = pattern(2000);
  r.add(frag(data, 0, 800, true));
  assert.equal(r.add(frag(data, 0, 800, true)), null);
  assert.equal(stats.reassembly.duplicates, 1);
  assert.equal(r.add(frag(data, 792, 1600, true)), null, 'overlaps 792..800');
  assert.equal(stats.reassembly.overlaps, 1);
  assert.equal(r.size, 0, 'everything held was dropped');
  // The rest of that datagram can no longer complete it.
  assert.equal(r.add(frag(data, 1600, 2000, false)), null);
  assert.equal(r.size, 1);
});

test('timeout: 30 s for IPv4 and 60 s for IPv6, counted, first-fragment header reported', () => {
  const { r, stats, clock, timedOut } = setup();
  const data = pattern(2000);
  r.add(frag(data, 0, 800, true, 'a', 4));
  r.add(frag(data, 800, 1600, true, 'b', 6));
  clock.advance(29_999);
  assert.equal(r.size, 2);
  clock.advance(1);
  assert.equal(r.size, 1);
  assert.deepEqual(timedOut, [4]);
  clock.advance(30_000);
  assert.equal(r.size, 0);
  assert.equal(stats.reassembly.timeouts, 2);
  assert.equal(r.memoryUsed, 0);
});

test('memory bound: the oldest datagram is evicted; the datagram count is bounded too', () => {
  const { r, stats } = setup({ maxBytes: 12_000, maxDatagrams: 3 });
  const data = pattern(16_000);
  r.add(frag(data, 0, 8000, true, 'a'));
  assert.equal(r.memoryUsed, 8000);
  r.add(frag(data, 0, 8000, true, 'b'));
  assert.equal(r.memoryUsed, 8000);
  assert.equal(stats.reassembly.evicted, 1, 'a made room for b');
  for (const key of ['c', 'd', 'e', 'f']) {
    r.add(frag(data, 0, 8, true, key));
    assert.ok(r.size <= 3);
    assert.ok(r.memoryUsed <= 12_000);
  }
  assert.ok(stats.reassembly.evicted >= 3);
});

test('invalid fragments: unaligned middle pieces, ends beyond 65535, conflicting last pieces', () => {
  const { r, stats } = setup();
  const data = pattern(70_000);
  r.add(frag(data, 0, 100, true)); // 100 is not a multiple of 8
  r.add(frag(data, 65_528, 65_600, false));
  r.add(frag(data, 0, 800, true, 'x'));
  r.add(frag(data, 1600, 2000, false, 'x'));
  r.add(frag(data, 800, 1000, false, 'x')); // a second, different end
  assert.equal(stats.reassembly.invalid, 3);
});

test('an IPv4 datagram whose first header (with options) and payload exceed 65535 bytes is dropped', () => {
  const { r, stats } = setup();
  const data = pattern(65_512);
  const withOptions = new Uint8Array(60).fill(0x4f); // IHL 15: 40 bytes of options
  const first = { ...frag(data, 0, 32_768, true), header: withOptions };
  assert.equal(r.add(first), null);
  // RFC 791 §3.1: Total Length is 16 bits; 60 + 65512 bytes cannot be one datagram.
  assert.equal(r.add(frag(data, 32_768, 65_512, false)), null);
  assert.equal(stats.reassembly.invalid, 1);
  assert.equal(stats.reassembly.datagramsReassembled, 0);
  assert.equal(r.size, 0, 'the datagram is not kept either');
});

test('a fragmented IPv4 echo request is reassembled and answered with fragments', () => {
  const h = new Harness();
  h.learnPeer();
  const icmp = icmp4Echo(8, 9, 1, pattern(3000));
  const pieces = [
    [0, 1480],
    [1480, 2960],
    [2960, icmp.length],
  ];
  for (const [a, b] of pieces.reverse()) {
    const flags = (b < icmp.length ? 0x2000 : 0) | (a / 8);
    h.send(
      ethernet(
        OUR_MAC,
        PEER_MAC,
        0x0800,
        ipv4(PEER_V4, OUR_V4, 1, icmp.subarray(a, b), { id: 77, flagsOffset: flags }),
      ),
    );
  }
  const out = h.take();
  assert.equal(out.length, 3, 'the 3008-byte reply leaves in 3 fragments');
  const payload = concat(...out.map((f) => f.subarray(34)));
  assert.equal(payload[0], 0, 'echo reply');
  assert.ok(checksumVerifies(payload, 0, payload.length));
  assert.deepEqual(payload.subarray(8), pattern(3000));
  assert.ok(out.every((f) => f.length <= 1514));
});

test('a fragmented IPv6 echo request is reassembled and answered', () => {
  const h = new Harness();
  h.learnPeer();
  const icmp = icmp6(128, 0, [0, 9, 0, 1], pattern(2000), PEER_V6, OUR_V6);
  const cut = 1232;
  const fragHeader = (offset: number, more: boolean) => [
    58,
    0,
    (offset >> 8) & 0xff,
    (offset & 0xf8) | (more ? 1 : 0),
    0,
    0,
    0,
    5,
  ];
  h.send(
    ethernet(
      OUR_MAC,
      PEER_MAC,
      0x86dd,
      ipv6(PEER_V6, OUR_V6, 44, concat(fragHeader(cut, false), icmp.subarray(cut))),
    ),
  );
  h.send(
    ethernet(
      OUR_MAC,
      PEER_MAC,
      0x86dd,
      ipv6(PEER_V6, OUR_V6, 44, concat(fragHeader(0, true), icmp.subarray(0, cut))),
    ),
  );
  const out = h.take();
  assert.equal(out.length, 2);
  assert.equal(out[0][20], 44, 'fragment header follows');
  const body = concat(...out.map((f) => f.subarray(14 + 48)));
  assert.equal(body[0], 129);
  assert.deepEqual(body.subarray(8), pattern(2000));
  assert.equal(h.iface.stats().reassembly.datagramsReassembled, 1);
  assert.deepEqual(body, icmp6(129, 0, [0, 9, 0, 1], pattern(2000), OUR_V6, PEER_V6), 'checksum included');
});

test('an incomplete IPv4 datagram times out after 30 s with ICMP time exceeded (reassembly) to the sender', () => {
  const h = new Harness();
  h.learnPeer();
  const icmp = icmp4Echo(8, 9, 1, pattern(2000));
  h.send(
    ethernet(
      OUR_MAC,
      PEER_MAC,
      0x0800,
      ipv4(PEER_V4, OUR_V4, 1, icmp.subarray(0, 1480), { id: 5, flagsOffset: 0x2000 }),
    ),
  );
  h.advance(29_999);
  assert.equal(h.take().length, 0);
  h.advance(1);
  const [err] = h.take();
  assert.deepEqual([err[34], err[35]], [11, 1], 'time exceeded, fragment reassembly');
  assert.ok(checksumVerifies(err, 34, err.length - 34));
  assert.equal(h.iface.stats().reassembly.timeouts, 1);
});

test('only the last fragment (no first) times out silently', () => {
  const h = new Harness();
  h.learnPeer();
  h.send(
    ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 1, pattern(100), { id: 6, flagsOffset: 185 })),
  );
  h.advance(30_000);
  assert.equal(h.take().length, 0);
  assert.equal(h.iface.stats().reassembly.timeouts, 1);
});
