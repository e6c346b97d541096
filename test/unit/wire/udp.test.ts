import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv6Address } from '../../../src/wire/addr.js';
import type { WireError } from '../../../src/wire/errors.js';
import { emitUdp, parseUdp, UdpView } from '../../../src/wire/udp.js';
import { sample, toHex } from './samples.js';

const v4 = (ip: Uint8Array) => ({ src: ip.slice(12, 16), dst: ip.slice(16, 20) });

test('UDP DNS query captured on lo: bytes -> fields -> the same bytes', () => {
  const frame = sample('loDnsQuery');
  const v = UdpView.check(frame, 34);
  assert.equal(v.srcPort, 36888);
  assert.equal(v.dstPort, 47053);
  assert.equal(v.udpLength, 36);
  const repr = parseUdp(v);
  assert.equal(repr.payload.length, 28);
  assert.equal(Buffer.from(repr.payload.subarray(13, 20)).toString(), 'exmple\x03');
  // The checksum on lo is offloaded (partial), so compare the header without it.
  const out = new Uint8Array(36);
  emitUdp({ ...repr, checksum: v.checksum }, out);
  assert.equal(toHex(out), toHex(frame.subarray(34)));
});

test('UDP checksum: IPv4 pseudo-header, 0 means none on IPv4 only', () => {
  const pkt = sample('ipv4Options');
  const ip = pkt.subarray(0, 36);
  const udp = pkt.subarray(36);
  const repr = parseUdp(udp, { pseudo: v4(ip) });
  assert.deepEqual(repr, { srcPort: 1234, dstPort: 5678, payload: Uint8Array.from([0x68, 0x69]) });
  const out = new Uint8Array(10);
  emitUdp(repr, out, 0, v4(ip));
  assert.equal(toHex(out), toHex(udp));
  emitUdp(repr, out, 0, null);
  assert.equal((out[6] << 8) | out[7], 0);
  assert.doesNotThrow(() => parseUdp(out, { pseudo: v4(ip) }));
  const six = { src: parseIpv6Address('2001:db8::1'), dst: parseIpv6Address('2001:db8::2') };
  assert.throws(
    () => parseUdp(out, { pseudo: six }),
    (e: WireError) => e.code === 'bad-checksum',
  );
});

test('UDP over IPv6: a computed checksum of 0 is sent as 0xffff (RFC 8200 §8.1)', () => {
  const six = { src: parseIpv6Address('::'), dst: parseIpv6Address('::') };
  // Pseudo-header (17 + length 10) + ports 1, 2 + length 10 = 40: a payload word of 0xffff - 40 makes
  // the one's-complement sum 0xffff, whose complement 0 must go out as 0xffff.
  const word = 0xffff - 40;
  const out = new Uint8Array(10);
  emitUdp({ srcPort: 1, dstPort: 2, payload: Uint8Array.of(word >> 8, word & 0xff) }, out, 0, six);
  assert.deepEqual([out[6], out[7]], [0xff, 0xff]);
  assert.doesNotThrow(() => parseUdp(out, { pseudo: six }));
});

test('UDP: bad lengths', () => {
  const udp = sample('loDnsQuery').slice(34);
  udp[5] = 7;
  assert.throws(
    () => UdpView.check(udp),
    (e: WireError) => e.code === 'bad-length',
  );
  udp[5] = 37;
  assert.throws(
    () => UdpView.check(udp),
    (e: WireError) => e.code === 'truncated',
  );
  udp[5] = 20;
  assert.equal(parseUdp(udp).payload.length, 12, 'bytes after the length field are not payload');
});
