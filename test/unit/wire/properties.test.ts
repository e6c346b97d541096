// Round trips for every format: parse(emit(repr)) == repr, and emit(parse(bytes)) == bytes.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parseIpv4Address, parseIpv6Address } from '../../../src/wire/addr.js';
import { arpPacketLength, emitArp, parseArp } from '../../../src/wire/arp.js';
import { emitEthernet, ethernetHeaderLength, parseEthernet } from '../../../src/wire/ethernet.js';
import { emitIcmpv4, icmpv4Length, parseIcmpv4 } from '../../../src/wire/icmpv4.js';
import { emitIcmpv6, icmpv6Length, parseIcmpv6 } from '../../../src/wire/icmpv6.js';
import { emitIpv4, Ipv4View, ipv4HeaderLength, parseIpv4 } from '../../../src/wire/ipv4.js';
import { decodeIpv4Options, encodeIpv4Options } from '../../../src/wire/ipv4-options.js';
import { emitIpv6, ipv6HeaderLength, parseIpv6 } from '../../../src/wire/ipv6.js';
import { emitTcp, parseTcp, TcpView, tcpHeaderLength } from '../../../src/wire/tcp.js';
import { emitUdp, parseUdp } from '../../../src/wire/udp.js';
import {
  arpRepr,
  ethernetRepr,
  icmpv4Repr,
  icmpv6Repr,
  ipv4,
  ipv4OptionList,
  ipv4Repr,
  ipv6,
  ipv6Repr,
  tcpRepr,
  udpRepr,
} from './arbitraries.js';
import { toHex } from './samples.js';

const RUNS = { numRuns: 300 };

/** Deep equality of plain data (fast-check records have a null prototype; reprs are plain objects). */
function same(actual: unknown, expected: unknown): void {
  assert.deepEqual(structuredClone(actual), structuredClone(expected));
}

test('Ethernet: parse(emit(r)) == r and emit(parse(x)) == x', () => {
  fc.assert(
    fc.property(ethernetRepr, (r) => {
      const buf = new Uint8Array(ethernetHeaderLength(r));
      assert.equal(emitEthernet(r, buf), buf.length);
      same(parseEthernet(buf), r);
      const again = new Uint8Array(buf.length);
      emitEthernet(parseEthernet(buf), again);
      assert.equal(toHex(again), toHex(buf));
    }),
    RUNS,
  );
});

test('ARP round trips, and any well-formed bytes re-emit exactly', () => {
  fc.assert(
    fc.property(arpRepr, (r) => {
      const buf = new Uint8Array(arpPacketLength(r));
      emitArp(r, buf);
      same(parseArp(buf), r);
    }),
    RUNS,
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 8, maxLength: 80 }), (x) => {
      x[4] %= 16;
      x[5] %= 16;
      const len = 8 + 2 * (x[4] + x[5]);
      fc.pre(len <= x.length);
      const out = new Uint8Array(len);
      emitArp(parseArp(x), out);
      assert.equal(toHex(out), toHex(x.subarray(0, len)));
    }),
    RUNS,
  );
});

test('IPv4 round trips, and random headers with a valid checksum re-emit exactly', () => {
  fc.assert(
    fc.property(ipv4Repr, (r) => {
      const buf = new Uint8Array(ipv4HeaderLength(r) + r.payloadLength);
      emitIpv4(r, buf);
      assert.ok(new Ipv4View(buf).verifyChecksum());
      same(parseIpv4(buf, { verifyChecksum: true }), r);
    }),
    RUNS,
  );
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 60, maxLength: 60 }),
      fc.integer({ min: 5, max: 15 }),
      (x, ihl) => {
        x[0] = 0x40 | ihl;
        x[2] = 0;
        x[3] = 60;
        const v = new Ipv4View(x);
        v.fillChecksum();
        const out = new Uint8Array(ihl * 4);
        emitIpv4(parseIpv4(v), out);
        assert.equal(toHex(out), toHex(x.subarray(0, ihl * 4)));
      },
    ),
    RUNS,
  );
});

test('IPv4 options: decode(encode(list)) == list and encode(decode(raw)) == raw', () => {
  fc.assert(
    fc.property(ipv4OptionList, (list) => {
      same(decodeIpv4Options(encodeIpv4Options(list)), list);
    }),
    RUNS,
  );
});

test('IPv6 with extension chains round trips', () => {
  fc.assert(
    fc.property(ipv6Repr, (r) => {
      const hl = ipv6HeaderLength(r);
      const buf = new Uint8Array(hl + r.upperLayerLength);
      assert.equal(emitIpv6(r, buf), hl);
      const parsed = parseIpv6(buf);
      same(parsed, { ...r, upperLayerOffset: hl });
      const again = new Uint8Array(hl);
      emitIpv6(parsed, again);
      assert.equal(toHex(again), toHex(buf.subarray(0, hl)));
    }),
    RUNS,
  );
});

test('ICMPv4 round trips with a valid checksum', () => {
  fc.assert(
    fc.property(icmpv4Repr, (r) => {
      const buf = new Uint8Array(icmpv4Length(r));
      emitIcmpv4(r, buf);
      same(parseIcmpv4(buf, { verifyChecksum: true }), r);
    }),
    RUNS,
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 8, maxLength: 80 }), (x) => {
      const r = parseIcmpv4(x);
      const out = new Uint8Array(x.length);
      emitIcmpv4(r, out, 0, (x[2] << 8) | x[3]);
      assert.equal(toHex(out), toHex(x));
    }),
    RUNS,
  );
});

test('ICMPv6 and NDP round trip with the pseudo-header checksum', () => {
  fc.assert(
    fc.property(icmpv6Repr, ipv6, ipv6, (r, src, dst) => {
      const pseudo = { src: parseIpv6Address(src), dst: parseIpv6Address(dst) };
      const buf = new Uint8Array(icmpv6Length(r));
      emitIcmpv6(r, buf, 0, pseudo);
      same(parseIcmpv6(buf, { pseudo }), r);
    }),
    RUNS,
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 8, maxLength: 80 }), (x) => {
      let r: ReturnType<typeof parseIcmpv6>;
      try {
        r = parseIcmpv6(x);
      } catch {
        return; // malformed NDP options: covered by the fuzz test
      }
      const out = new Uint8Array(x.length);
      emitIcmpv6(r, out, 0, null, (x[2] << 8) | x[3]);
      assert.equal(toHex(out), toHex(x));
    }),
    RUNS,
  );
});

test('UDP round trips over IPv4 and IPv6', () => {
  fc.assert(
    fc.property(udpRepr, fc.boolean(), ipv4, ipv4, ipv6, ipv6, (r, six, a4, b4, a6, b6) => {
      const pseudo = six
        ? { src: parseIpv6Address(a6), dst: parseIpv6Address(b6) }
        : { src: parseIpv4Address(a4), dst: parseIpv4Address(b4) };
      const buf = new Uint8Array(8 + r.payload.length);
      emitUdp(r, buf, 0, pseudo);
      assert.notEqual((buf[6] << 8) | buf[7], 0);
      same(parseUdp(buf, { pseudo }), r);
    }),
    RUNS,
  );
});

test('TCP round trips, options byte-exact', () => {
  fc.assert(
    fc.property(tcpRepr, ipv4, ipv4, (r, a, b) => {
      const pseudo = { src: parseIpv4Address(a), dst: parseIpv4Address(b) };
      const buf = new Uint8Array(tcpHeaderLength(r) + r.payload.length);
      emitTcp(r, buf, 0, pseudo);
      same(parseTcp(buf, { pseudo }), r);
    }),
    RUNS,
  );
});

test('TCP: any header whose options parse re-emits byte for byte', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 60, maxLength: 70 }),
      fc.integer({ min: 5, max: 15 }),
      (x, off) => {
        x[12] = (off << 4) | (x[12] & 15);
        let r: ReturnType<typeof parseTcp>;
        try {
          r = parseTcp(x);
        } catch {
          return; // malformed options: covered by the fuzz test
        }
        const out = new Uint8Array(x.length);
        emitTcp({ ...r, checksum: new TcpView(x).checksum }, out);
        assert.equal(toHex(out), toHex(x));
      },
    ),
    { numRuns: 1000 },
  );
});
