import assert from 'node:assert/strict';
import { test } from 'node:test';
import { WireError } from '../../../src/wire/errors.js';
import { emitIpv6, Ipv6View, ipv6HeaderLength, parseIpv6 } from '../../../src/wire/ipv6.js';
import { decodeIpv6Options, encodeIpv6Options, type UpperLayer } from '../../../src/wire/ipv6-ext.js';
import { hex, sample, toHex } from './samples.js';

test('IPv6 of a real ping6: bytes -> fields -> the same bytes', () => {
  const frame = sample('loEcho6Request');
  const v = Ipv6View.check(frame, 14);
  assert.equal(v.version, 6);
  assert.equal(v.trafficClass, 0);
  assert.equal(v.flowLabel, 0xc051);
  assert.equal(v.payloadLength, 64);
  assert.equal(v.nextHeader, 58);
  assert.equal(v.hopLimit, 64);
  assert.equal(v.src, '::1');
  assert.equal(v.dst, '::1');
  const repr = parseIpv6(v);
  assert.deepEqual(repr, {
    trafficClass: 0,
    flowLabel: 0xc051,
    hopLimit: 64,
    src: '::1',
    dst: '::1',
    extensions: [],
    protocol: 58,
    upperLayerLength: 64,
    upperLayerOffset: 40,
  });
  const out = new Uint8Array(40);
  assert.equal(emitIpv6(repr, out), 40);
  assert.equal(toHex(out), toHex(frame.subarray(14, 54)));
});

test('IPv6 extension chain: hop-by-hop + fragment -> UDP', () => {
  const pkt = sample('ipv6Ext');
  const repr = parseIpv6(pkt);
  assert.equal(repr.trafficClass, 0x2e);
  assert.equal(repr.flowLabel, 0x12345);
  assert.equal(repr.protocol, 17);
  assert.equal(repr.upperLayerOffset, 56);
  assert.equal(repr.upperLayerLength, 16);
  assert.deepEqual(repr.extensions, [
    { kind: 'hop-by-hop', options: hex('050200000100') },
    { kind: 'fragment', fragmentOffset: 100, moreFragments: true, identification: 0xdeadbeef, reserved: 0 },
  ]);
  const hbh = repr.extensions[0];
  if (hbh.kind !== 'hop-by-hop') throw new Error('expected hop-by-hop');
  assert.deepEqual(decodeIpv6Options(hbh.options), [
    { type: 5, data: hex('0000') },
    { type: 1, data: hex('') },
  ]);
  assert.equal(toHex(encodeIpv6Options(decodeIpv6Options(hbh.options))), toHex(hbh.options));
  assert.equal(ipv6HeaderLength(repr), 56);
  const out = new Uint8Array(56);
  emitIpv6(repr, out);
  assert.equal(toHex(out), toHex(pkt.subarray(0, 56)));
  const upper: UpperLayer = { protocol: 0, offset: 0, fragmentHeaderOffset: 0 };
  new Ipv6View(pkt).upperLayer(upper);
  assert.deepEqual(upper, { protocol: 17, offset: 56, fragmentHeaderOffset: 48 });
});

test('IPv6 routing, destination options and AH are walked; ESP stops the walk', () => {
  const repr = {
    trafficClass: 0,
    flowLabel: 0,
    hopLimit: 9,
    src: '2001:db8::1',
    dst: '2001:db8::2',
    extensions: [
      { kind: 'routing' as const, routingType: 4, segmentsLeft: 1, data: new Uint8Array(20) },
      { kind: 'destination-options' as const, options: hex('010400000000') },
      { kind: 'ah' as const, data: new Uint8Array(22) },
    ],
    protocol: 50,
    upperLayerLength: 8,
  };
  const buf = new Uint8Array(ipv6HeaderLength(repr) + 8);
  const hl = emitIpv6(repr, buf);
  assert.equal(hl, 40 + 24 + 8 + 24);
  assert.deepEqual(parseIpv6(buf), { ...repr, upperLayerOffset: hl });
});

test('IPv6: truncated chains, bad versions and endless chains are WireErrors', () => {
  const pkt = sample('ipv6Ext');
  const codeOf = (b: Uint8Array) => {
    try {
      parseIpv6(b);
      return 'ok';
    } catch (e) {
      assert.ok(e instanceof WireError);
      return e.code;
    }
  };
  assert.equal(codeOf(pkt.subarray(0, 39)), 'truncated');
  assert.equal(codeOf(pkt.subarray(0, 60)), 'truncated'); // payload length says 32
  const short = pkt.slice();
  short[5] = 10; // payload length 10: the fragment header no longer fits
  assert.equal(codeOf(short), 'truncated');
  const v4 = pkt.slice();
  v4[0] = 0x42;
  assert.equal(codeOf(v4), 'bad-version');
  // 40 destination-options headers of 8 bytes each, each pointing to the next.
  const n = 40;
  const chain = new Uint8Array(40 + 8 * n);
  chain[0] = 0x60;
  chain[4] = (8 * n) >> 8;
  chain[5] = (8 * n) & 0xff;
  chain[6] = 60;
  for (let i = 0; i < n; i++) chain[40 + 8 * i] = 60;
  assert.equal(codeOf(chain), 'bad-field');
});

test('IPv6 view setters', () => {
  const pkt = sample('ipv6Ext');
  const v = new Ipv6View(pkt);
  v.trafficClass = 0xff;
  v.flowLabel = 0xabcde;
  v.hopLimit = 1;
  assert.equal(v.trafficClass, 0xff);
  assert.equal(v.flowLabel, 0xabcde);
  assert.equal(v.version, 6);
  assert.equal(v.hopLimit, 1);
});

test('IPv6 version can be set by hand (crafting) without touching the traffic class', () => {
  const b = new Uint8Array(40);
  const v = new Ipv6View(b);
  v.trafficClass = 0xab;
  v.version = 4;
  assert.equal(v.version, 4);
  assert.equal(v.trafficClass, 0xab);
  assert.equal(b[0], 0x4a);
});
