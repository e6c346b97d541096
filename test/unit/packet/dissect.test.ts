// dissect: bytes -> layers, and build(dissect(x)) byte-identical for well-formed x.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  ARP,
  Dot1Q,
  dissect,
  Ether,
  ICMP,
  ICMPv6ND_NS,
  IP,
  IPv6,
  Padding,
  Raw,
  RawLayer,
  TCP,
  UDP,
} from '../../../src/packet/index.js';
import { formatIpv6Address, parseIpv6Address } from '../../../src/wire/addr.js';
import { readCaptureFile } from '../../../src/wire/pcapng.js';
import { arbitraryPacket } from './arbitrary.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/packet/${name}`, import.meta.url));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('dissect', () => {
  it('reads every field as the wire has it', () => {
    // A SYN from the lab capture (curl -> python http.server).
    const syn = Buffer.from(
      '02000000bb0202000000aa010800450000' +
        '3c1f4f40004006076c0a4d00010a4d0002e3f21f40bf1d1e1d00000000a002faf0' +
        '5e640000020405b40402080a473dd4ac0000000001030307',
      'hex',
    );
    const p = dissect(syn);
    assert.deepEqual(p.layerNames(), ['Ether', 'IP', 'TCP']);
    const ip = p.get(IP);
    assert.equal(ip.src, '10.77.0.1');
    assert.equal(ip.flags, 2);
    assert.equal(ip.len, 60);
    assert.equal(ip.chksum, 0x076c);
    const tcp = p.get(TCP);
    assert.equal(tcp.sport, 58354);
    assert.equal(tcp.dport, 8000);
    assert.equal(tcp.flagStr, 'S');
    assert.equal(tcp.dataofs, 10);
    assert.deepEqual(tcp.options, [
      { kind: 'mss', mss: 1460 },
      { kind: 'sack-permitted' },
      { kind: 'timestamps', tsVal: 1195234476, tsEcr: 0 },
      { kind: 'nop' },
      { kind: 'window-scale', shift: 7 },
    ]);
    assert.equal(hex(p.build()), hex(syn));
  });

  it('turns link padding into a Padding layer and keeps it on build', () => {
    const frame = Ether({ dst: 'ff:ff:ff:ff:ff:ff', src: '02:00:00:00:00:01' })
      .over(ARP({ psrc: '10.0.0.1', pdst: '10.0.0.2' }))
      .over(Padding({ load: new Uint8Array(18) }))
      .build();
    assert.equal(frame.length, 60);
    const p = dissect(frame);
    assert.deepEqual(p.layerNames(), ['Ether', 'ARP', 'Padding']);
    assert.equal(p.get(Padding).load.length, 18);
    assert.equal(hex(p.build()), hex(frame));
    const ipFrame = Ether()
      .over(IP())
      .over(UDP())
      .over(Padding({ load: Uint8Array.of(1, 2, 3) }))
      .build();
    assert.deepEqual(dissect(ipFrame).layerNames(), ['Ether', 'IP', 'UDP', 'Padding']);
  });

  it('makes unknown payloads Raw and VLAN tags Dot1Q layers', () => {
    const p = dissect(
      Ether({ type: 0x88b5 })
        .over(Raw({ load: 'x' }))
        .build(),
    );
    assert.deepEqual(p.layerNames(), ['Ether', 'Raw']);
    const q = dissect(
      Ether()
        .over(Dot1Q({ vlan: 7 }))
        .over(Dot1Q({ vlan: 8 }))
        .over(IPv6())
        .over(ICMPv6ND_NS())
        .build(),
    );
    assert.deepEqual(q.layerNames(), ['Ether', 'Dot1Q', 'Dot1Q', 'IPv6', 'ICMPv6ND_NS']);
    assert.equal(q.find(Dot1Q, 1)?.vlan, 8);
  });

  it('decodes the packet an ICMP error quotes', () => {
    const inner = IP({ src: '10.0.0.2', dst: '10.0.0.9' })
      .over(UDP({ sport: 5, dport: 53 }))
      .build()
      .subarray(0, 28);
    const p = dissect(
      IP()
        .over(ICMP({ type: 3, code: 3 }))
        .over(Raw({ load: inner }))
        .build(),
      'ip',
    );
    assert.deepEqual(p.layerNames(), ['IP', 'ICMP', 'IP', 'UDP']);
    assert.equal(p.find(IP, 1)?.dst, '10.0.0.9');
    assert.equal(p.get(UDP).dport, 53);
  });

  it('keeps a layer that does not parse as Raw with the WireError, never throwing', () => {
    const good = Ether().over(IP()).over(TCP()).build();
    const cut = good.subarray(0, 14 + 20 + 10);
    const p = dissect(cut);
    assert.deepEqual(p.layerNames(), ['Ether', 'Raw']);
    const raw = p.get(Raw);
    assert.equal(raw.intended, 'IP');
    assert.equal(raw.error?.code, 'truncated');
    assert.equal(hex(p.build()), hex(cut), 'still byte-identical');
    const badTcp = IP({ len: 40 })
      .over(TCP({ dataofs: 3 }))
      .build();
    const q = dissect(badTcp, 'ip');
    assert.deepEqual(q.layerNames(), ['IP', 'Raw']);
    assert.equal(q.get(Raw).intended, 'TCP');
    assert.ok(p.toJSON()[1].error);
  });

  it('round-trips every packet of real captures byte for byte', () => {
    for (const name of ['lab.pcap', 'crafted.pcap']) {
      let n = 0;
      for (const rec of readCaptureFile(fixture(name))) {
        const p = dissect(rec.data, rec.linkType);
        assert.equal(hex(p.build()), hex(rec.data), `${name} #${n}: ${p.summary()}`);
        n++;
      }
      assert.ok(n > 50, `${name} has packets`);
    }
  });

  it('dissects the lab capture without a single parse error', () => {
    for (const rec of readCaptureFile(fixture('lab.pcap'))) {
      const p = dissect(rec.data, rec.linkType);
      const failed = p.layers.find((l) => l instanceof RawLayer && l.error);
      assert.equal(failed, undefined, p.summary());
    }
  });
});

describe('dissect properties', () => {
  it('build(dissect(build(p))) equals build(p) for random well-formed packets', () => {
    fc.assert(
      fc.property(arbitraryPacket, ({ packet, linktype }) => {
        const bytes = packet.build();
        const again = dissect(bytes, linktype);
        assert.equal(hex(again.build()), hex(bytes));
        assert.ok(!again.layers.some((l) => l instanceof RawLayer && l.error), again.summary());
      }),
      { numRuns: 1500 },
    );
  });

  it('gives back the field values the packet was built from', () => {
    const u16 = fc.integer({ min: 0, max: 0xffff });
    fc.assert(
      fc.property(
        fc.record({
          src: fc.ipV4(),
          dst: fc.ipV4(),
          ttl: fc.integer({ min: 0, max: 255 }),
          id: u16,
          tos: fc.integer({ min: 0, max: 255 }),
          flags: fc.integer({ min: 0, max: 7 }),
          frag: fc.constant(0),
        }),
        fc.record({
          src: fc.ipV6(),
          dst: fc.ipV6(),
          hlim: fc.integer({ min: 0, max: 255 }),
          fl: fc.integer({ min: 0, max: 0xfffff }),
        }),
        fc.record({
          sport: u16,
          dport: u16,
          seq: fc.nat(),
          window: u16,
          flags: fc.integer({ min: 0, max: 0x1ff }),
        }),
        fc.boolean(),
        (ip, ip6, tcp, v6) => {
          const net = v6 ? IPv6(ip6) : IP(ip);
          const p = dissect(Ether().over(net).over(TCP(tcp)).build());
          const got = v6 ? p.get(IPv6) : p.get(IP);
          // Addresses come back in canonical text (RFC 5952 for IPv6).
          const canonical = (a: string) => (v6 ? formatIpv6Address(parseIpv6Address(a)) : a);
          for (const [k, v] of Object.entries(v6 ? ip6 : ip)) {
            if (k === 'src' || k === 'dst') assert.equal(got.field(k), canonical(v as string), k);
            else if (k === 'flags') assert.equal(got.field(k), IP({ flags: v as number }).field('flags'), k);
            else assert.equal(got.field(k), v, k);
          }
          for (const [k, v] of Object.entries(tcp))
            assert.equal(p.get(TCP).field(k), k === 'flags' ? TCP({ flags: v }).flagStr : v, k);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('never throws on truncated, mutated or random bytes, and stays byte-identical', () => {
    fc.assert(
      fc.property(
        arbitraryPacket,
        fc.nat(),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { maxLength: 4 }),
        ({ packet, linktype }, cut, flips) => {
          const bytes = packet.build().slice();
          for (const [at, v] of flips) if (bytes.length) bytes[at % bytes.length] = v;
          const sliced = bytes.subarray(0, cut % (bytes.length + 1));
          const p = dissect(sliced, linktype);
          assert.equal(hex(p.build()), hex(sliced));
        },
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.uint8Array({ maxLength: 200 }),
        fc.constantFrom<'ethernet' | 'ip' | number>('ethernet', 'ip', 0, 113, 228, 229, 147),
        (b, lt) => {
          dissect(b, lt);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('gives IPv6 packets the same layers back', () => {
    const p = IPv6({ src: 'fd00::1', dst: 'fd00::2' })
      .over(UDP({ sport: 1, dport: 2 }))
      .over(Raw({ load: 'q' }));
    const d = dissect(p.build(), 'ip');
    assert.deepEqual(d.layerNames(), ['IPv6', 'UDP', 'Raw']);
    assert.equal(d.get(IPv6).src, 'fd00::1');
  });
});
