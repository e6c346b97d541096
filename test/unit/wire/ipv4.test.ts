import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WireError } from '../../../src/wire/errors.js';
import { emitIpv4, IpProtocol, Ipv4View, ipv4HeaderLength, parseIpv4 } from '../../../src/wire/ipv4.js';
import { decodeIpv4Options, encodeIpv4Options } from '../../../src/wire/ipv4-options.js';
import { hex, sample, toHex } from './samples.js';

test('IPv4 of a real echo request: bytes -> fields -> the same bytes', () => {
  const frame = sample('loEchoRequest');
  const v = Ipv4View.check(frame, 14);
  assert.equal(v.version, 4);
  assert.equal(v.headerLength, 20);
  assert.equal(v.totalLength, 84);
  assert.equal(v.identification, 0xb193);
  assert.ok(v.dontFragment);
  assert.ok(!v.moreFragments);
  assert.equal(v.ttl, 64);
  assert.equal(v.protocol, IpProtocol.ICMP);
  assert.equal(v.src, '127.0.0.1');
  assert.equal(v.dstNumber, 0x7f000001);
  assert.ok(v.verifyChecksum());
  assert.equal(v.paddingLength, 0);
  const repr = parseIpv4(v, { verifyChecksum: true });
  assert.equal(repr.payloadLength, 64);
  const out = new Uint8Array(20);
  assert.equal(emitIpv4(repr, out), 20);
  assert.equal(toHex(out), toHex(frame.subarray(14, 34)));
});

test('IPv4 with options, DSCP/ECN and flags', () => {
  const pkt = sample('ipv4Options');
  const repr = parseIpv4(pkt, { verifyChecksum: true });
  assert.equal(repr.dscp, 46);
  assert.equal(repr.ecn, 1);
  assert.equal(repr.identification, 0x1234);
  assert.equal(repr.dontFragment, true);
  assert.equal(repr.ttl, 1);
  assert.equal(repr.protocol, IpProtocol.UDP);
  assert.equal(repr.src, '192.0.2.1');
  assert.equal(repr.dst, '198.51.100.2');
  assert.equal(ipv4HeaderLength(repr), 36);
  assert.deepEqual(decodeIpv4Options(repr.options), [
    { kind: 'record-route', pointer: 4, addresses: ['0.0.0.0', '0.0.0.0'] },
    { kind: 'router-alert', value: 0 },
    { kind: 'eol' },
  ]);
  assert.equal(toHex(encodeIpv4Options(decodeIpv4Options(repr.options))), toHex(repr.options));
  const out = new Uint8Array(36);
  emitIpv4(repr, out);
  assert.equal(toHex(out), toHex(pkt.subarray(0, 36)));
});

test('IPv4 options: timestamp, source routes, unknown and padding', () => {
  const raw = hex('44 0c 05 01 00000001 00000002  83 07 04 0a000001  01  99 03 ff  00 aa bb');
  const list = decodeIpv4Options(raw);
  assert.deepEqual(list, [
    { kind: 'timestamp', pointer: 5, overflow: 0, flag: 1, data: hex('0000000100000002') },
    { kind: 'loose-source-route', pointer: 4, addresses: ['10.0.0.1'] },
    { kind: 'nop' },
    { kind: 'unknown', type: 0x99, data: hex('ff') },
    { kind: 'eol' },
    { kind: 'padding', data: hex('aabb') },
  ]);
  assert.equal(toHex(encodeIpv4Options(list)), toHex(raw));
  assert.throws(
    () => decodeIpv4Options(hex('0701')),
    (e: WireError) => e.code === 'bad-option',
  );
  assert.throws(
    () => decodeIpv4Options(hex('070904000000')),
    (e: WireError) => e.code === 'bad-option',
  );
  assert.throws(
    () => decodeIpv4Options(hex('01018a')),
    (e: WireError) => e.code === 'bad-option',
  );
});

test('IPv4: trailing link padding is reported, not payload', () => {
  const pkt = new Uint8Array(60);
  const repr = parseIpv4(sample('syn'));
  emitIpv4({ ...repr, payloadLength: 10 }, pkt);
  const v = Ipv4View.check(pkt);
  assert.equal(v.totalLength, 30);
  assert.equal(v.paddingLength, 30);
  assert.equal(v.payload.length, 10);
});

test('IPv4: malformed headers are WireErrors with the right code', () => {
  const good = sample('syn');
  const code = (b: Uint8Array) => {
    try {
      Ipv4View.check(b);
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof WireError);
      return e.code;
    }
  };
  assert.equal(code(good), 'ok');
  assert.equal(code(good.subarray(0, 19)), 'truncated');
  const v6 = good.slice();
  v6[0] = 0x65;
  assert.equal(code(v6), 'bad-version');
  const ihl = good.slice();
  ihl[0] = 0x44;
  assert.equal(code(ihl), 'bad-length');
  const total = good.slice();
  total[3] = 10;
  assert.equal(code(total), 'bad-length');
  assert.equal(code(good.subarray(0, 50)), 'truncated');
  const sum = good.slice();
  sum[11] ^= 1;
  assert.throws(
    () => parseIpv4(sum, { verifyChecksum: true }),
    (e: WireError) => e.code === 'bad-checksum',
  );
});

test('IPv4 view setters edit in place and fillChecksum repairs the header', () => {
  const pkt = sample('syn');
  const v = new Ipv4View(pkt);
  v.ttl = 3;
  v.dscp = 10;
  v.ecn = 3;
  v.dontFragment = true;
  v.srcNumber = 0x01020304;
  v.moreFragments = true;
  v.fragmentOffset = 0x1abc;
  v.reservedFlag = true;
  assert.ok(!v.verifyChecksum());
  v.fillChecksum();
  assert.ok(v.verifyChecksum());
  const r = parseIpv4(v);
  assert.equal(r.ttl, 3);
  assert.equal(r.dscp, 10);
  assert.equal(r.ecn, 3);
  assert.equal(r.dontFragment, true);
  assert.equal(r.src, '1.2.3.4');
  assert.deepEqual(
    [r.moreFragments, r.fragmentOffset, r.reservedFlag, r.dontFragment],
    [true, 0x1abc, true, true],
  );
});

test('IPv4 version can be set by hand (crafting) without touching the header length', () => {
  const frame = sample('loEchoRequest').slice();
  const v = new Ipv4View(frame, 14);
  v.version = 6;
  assert.equal(v.version, 6);
  assert.equal(v.headerLength, 20);
  assert.equal(frame[14], 0x65);
});
