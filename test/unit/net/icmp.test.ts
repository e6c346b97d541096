import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { IcmpMessage } from '../../../src/net/handlers.js';
import { parseIcmpQuote } from '../../../src/net/icmp-quote.js';
import { formatMac } from '../../../src/wire/addr.js';
import { get16, get32 } from '../../../src/wire/bytes.js';
import { checksumVerifies, internetChecksum } from '../../../src/wire/checksum.js';
import {
  ethernet,
  Harness,
  icmp4Echo,
  icmp6,
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
  udp,
  v4,
  v6,
} from './frames.js';

const DATA = new Uint8Array([0xde, 0xad, 0xbe, 0xef, 1, 2, 3, 4, 5]);

/** Teach the interface the peer's MAC so replies go out at once. */
test('ICMP echo request -> echo reply with the same id, seq and data (RFC 792)', () => {
  const h = new Harness();
  h.learnPeer();
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 1, icmp4Echo(8, 0x4242, 7, DATA))));
  const [reply] = h.take();
  assert.equal(formatMac(reply, 0), PEER_MAC);
  assert.equal(get32(reply, 26), v4(OUR_V4));
  assert.equal(get32(reply, 30), v4(PEER_V4));
  assert.ok(checksumVerifies(reply, 14, 20), 'IP header checksum');
  const icmp = reply.subarray(34);
  assert.deepEqual([icmp[0], icmp[1], get16(icmp, 4), get16(icmp, 6)], [0, 0, 0x4242, 7]);
  assert.deepEqual(icmp.subarray(8), DATA);
  assert.ok(checksumVerifies(icmp, 0, icmp.length), 'ICMP checksum');
  assert.equal(h.iface.stats().txEchoReplies, 1);
});

test('ICMPv6 echo request -> echo reply (RFC 4443 §4.2)', () => {
  const h = new Harness();
  h.learnPeer();
  const req = icmp6(128, 0, [0x12, 0x34, 0, 9], DATA, PEER_V6, OUR_V6);
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x86dd, ipv6(PEER_V6, OUR_V6, 58, req)));
  const [reply] = h.take();
  assert.equal(get16(reply, 12), 0x86dd);
  assert.ok(l4ChecksumOk(reply));
  assert.deepEqual(reply.subarray(22, 38), v6(OUR_V6));
  assert.deepEqual(reply.subarray(38, 54), v6(PEER_V6));
  assert.deepEqual([reply[54], get16(reply, 58), get16(reply, 60)], [129, 0x1234, 9]);
  assert.deepEqual(reply.subarray(62), DATA);
});

test('echo to a broadcast address is not answered; to another host is not ours', () => {
  const h = new Harness();
  h.learnPeer();
  h.send(
    ethernet('ff:ff:ff:ff:ff:ff', PEER_MAC, 0x0800, ipv4(PEER_V4, '10.9.0.255', 1, icmp4Echo(8, 1, 1, DATA))),
  );
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, '10.9.0.99', 1, icmp4Echo(8, 1, 1, DATA))));
  assert.equal(h.take().length, 0);
  assert.equal(h.iface.stats().dropped.notOurIp, 1);
});

test('echo replies and errors go to onIcmp handlers; answerPing=false stays silent', () => {
  const h = new Harness({ answerPing: false });
  h.learnPeer();
  const seen: Array<Pick<IcmpMessage, 'family' | 'type' | 'id' | 'seq'> & { data: number[] }> = [];
  h.iface.onIcmp((m) =>
    seen.push({ family: m.family, type: m.type, id: m.id, seq: m.seq, data: [...m.body] }),
  );
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 1, icmp4Echo(8, 5, 5, DATA))));
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 1, icmp4Echo(0, 5, 6, DATA))));
  const rep6 = icmp6(129, 0, [0, 5, 0, 7], DATA, PEER_V6, OUR_V6);
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x86dd, ipv6(PEER_V6, OUR_V6, 58, rep6)));
  assert.equal(h.take().length, 0);
  assert.deepEqual(seen, [
    { family: 4, type: 0, id: 5, seq: 6, data: [...DATA] },
    { family: 6, type: 129, id: 5, seq: 7, data: [...DATA] },
  ]);
});

test('sendIcmpEcho builds a request the peer can verify, v4 and v6', () => {
  const h = new Harness();
  h.learnPeer();
  assert.equal(h.iface.sendIcmpEcho(v4(PEER_V4), 77, 1, DATA), 'sent');
  assert.equal(h.iface.sendIcmpEcho(v6(PEER_V6), 77, 2, DATA), 'sent');
  const [a, b] = h.take();
  assert.deepEqual([a[34], get16(a, 38), get16(a, 40)], [8, 77, 1]);
  assert.ok(checksumVerifies(a, 34, a.length - 34));
  assert.deepEqual([b[54], get16(b, 58), get16(b, 60)], [128, 77, 2]);
  assert.ok(l4ChecksumOk(b));
});

test('UDP to a closed port -> ICMP port unreachable quoting the datagram (RFC 1122 §4.1.3.1)', () => {
  const h = new Harness();
  h.learnPeer();
  const dgram = ipv4(PEER_V4, OUR_V4, 17, udp(PEER_V4, OUR_V4, 5000, 6000, DATA));
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0800, dgram));
  const [err] = h.take();
  assert.deepEqual([err[34], err[35]], [3, 3]);
  assert.deepEqual(err.subarray(42), dgram);
  // With a handler, the datagram is delivered instead.
  const got: Array<[number, number, number[]]> = [];
  h.iface.onUdp(6000, (payload, sport, dport) => got.push([sport, dport, [...payload]]));
  h.advance(100);
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0800, dgram));
  assert.deepEqual(got, [[5000, 6000, [...DATA]]]);
  assert.equal(h.take().length, 0);
});

test('UDP over IPv6 with a zero checksum is dropped, even when 0 would verify (RFC 8200 §8.1)', () => {
  const h = new Harness();
  h.learnPeer();
  const got: number[][] = [];
  h.iface.onUdp(6000, (payload) => got.push([...payload]));
  // Two payload bytes chosen so that the computed checksum is 0 (sent as 0xffff); then the
  // sender writes 0, which on IPv6 means no checksum at all and is not allowed.
  const probe = udp(PEER_V6, OUR_V6, 5000, 6000, new Uint8Array([1, 2, 0, 0]));
  const fix = probe[6] * 256 + probe[7];
  const data = new Uint8Array([1, 2, fix >> 8, fix & 255]);
  const dgram = udp(PEER_V6, OUR_V6, 5000, 6000, data);
  assert.deepEqual([dgram[6], dgram[7]], [0, 0], 'the computed checksum is 0');
  dgram[6] = 0xff; // RFC 768: a computed 0 is sent as all ones
  dgram[7] = 0xff;
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x86dd, ipv6(PEER_V6, OUR_V6, 17, dgram)));
  assert.equal(got.length, 1, 'with 0xffff it is delivered');
  dgram[6] = 0;
  dgram[7] = 0;
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x86dd, ipv6(PEER_V6, OUR_V6, 17, dgram)));
  assert.equal(got.length, 1, 'with 0 it is dropped');
  assert.equal(h.iface.stats().dropped.badUdpChecksum, 1);
});

test('parseIcmpQuote finds the connection an ICMP error is about (RFC 5927 §4.1), v4 and v6', () => {
  const h = new Harness();
  h.learnPeer();
  const quotes: Array<ReturnType<typeof parseIcmpQuote>> = [];
  h.iface.onIcmp((m) => quotes.push(parseIcmpQuote(m)));
  const tcp = tcpHeader(40000, 80, 0xdeadbeef, 0, 0x02, 1000);
  const sent4 = ipv4(OUR_V4, PEER_V4, 6, tcp);
  // Fragmentation needed, next-hop MTU 1400 (RFC 1191).
  const err4 = icmp4Echo(3, 0, 1400, sent4.subarray(0, 28));
  err4[1] = 4;
  err4[2] = 0;
  err4[3] = 0;
  const c = internetChecksum(err4, 0, err4.length);
  err4[2] = c >> 8;
  err4[3] = c & 255;
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x0800, ipv4(PEER_V4, OUR_V4, 1, err4)));
  const sent6 = ipv6(OUR_V6, PEER_V6, 6, tcp);
  const err6 = icmp6(2, 0, [0, 0, 0x05, 0x00], sent6, PEER_V6, OUR_V6);
  h.send(ethernet(OUR_MAC, PEER_MAC, 0x86dd, ipv6(PEER_V6, OUR_V6, 58, err6)));
  assert.deepEqual(quotes, [
    {
      family: 4,
      protocol: 6,
      src: v4(OUR_V4),
      dst: v4(PEER_V4),
      srcPort: 40000,
      dstPort: 80,
      seq: 0xdeadbeef,
      mtu: 1400,
    },
    {
      family: 6,
      protocol: 6,
      src: v6(OUR_V6),
      dst: v6(PEER_V6),
      srcPort: 40000,
      dstPort: 80,
      seq: 0xdeadbeef,
      mtu: 1280,
    },
  ]);
});
