import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpv6Address } from '../../../src/wire/addr.js';
import type { WireError } from '../../../src/wire/errors.js';
import { emitIcmpv4, Icmpv4View, parseIcmpv4, parseQuotedIpv4 } from '../../../src/wire/icmpv4.js';
import {
  emitIcmpv6,
  type Icmpv6Repr,
  Icmpv6View,
  icmpv6Length,
  icmpv6PseudoSum,
  parseIcmpv6,
} from '../../../src/wire/icmpv6.js';
import { hex, sample, toHex } from './samples.js';

function pseudoOf(ip6: Uint8Array) {
  return { src: ip6.slice(8, 24), dst: ip6.slice(24, 40) };
}

test('ICMPv4 echo request captured from ping: bytes -> fields -> the same bytes', () => {
  const frame = sample('loEchoRequest');
  const v = Icmpv4View.check(frame, 34);
  assert.equal(v.type, 8);
  assert.equal(v.identifier, 14402);
  assert.equal(v.sequence, 1);
  assert.ok(v.verifyChecksum());
  const repr = parseIcmpv4(v, { verifyChecksum: true });
  assert.equal(repr.kind, 'echo-request');
  if (repr.kind !== 'echo-request') return;
  assert.equal(repr.data.length, 56);
  assert.equal(repr.data[55], 0x37);
  const out = new Uint8Array(64);
  assert.equal(emitIcmpv4(repr, out), 64);
  assert.equal(toHex(out), toHex(frame.subarray(34)));
});

test('ICMPv4 port unreachable exposes the quoted datagram', () => {
  const frame = sample('loPortUnreachable');
  const repr = parseIcmpv4(frame.subarray(34), { verifyChecksum: true });
  assert.equal(repr.kind, 'destination-unreachable');
  if (repr.kind !== 'destination-unreachable') return;
  assert.equal(repr.code, 3);
  assert.equal(repr.nextHopMtu, 0);
  const q = parseQuotedIpv4(repr.invoking);
  assert.equal(q.protocol, 17);
  assert.equal(q.src, '127.0.0.1');
  assert.equal(q.srcPort, 36888);
  assert.equal(q.dstPort, 47053);
  const out = new Uint8Array(frame.length - 34);
  emitIcmpv4(repr, out);
  assert.equal(toHex(out), toHex(frame.subarray(34)));
});

test('ICMPv4 time exceeded, redirect, parameter problem, fragmentation needed', () => {
  const te = sample('timeExceeded').subarray(20);
  const repr = parseIcmpv4(te, { verifyChecksum: true });
  assert.equal(repr.kind, 'time-exceeded');
  if (repr.kind === 'time-exceeded') assert.equal(parseQuotedIpv4(repr.invoking).dst, '8.8.8.8');
  const quoted = te.subarray(8);
  const cases = [
    { kind: 'redirect' as const, code: 1, gateway: '10.0.0.9', invoking: quoted },
    { kind: 'parameter-problem' as const, code: 0, pointer: 9, invoking: quoted },
    { kind: 'destination-unreachable' as const, code: 4, nextHopMtu: 1400, invoking: quoted },
    { kind: 'other' as const, type: 13, code: 0, rest: 0x12345678, data: hex('0102') },
  ];
  for (const r of cases) {
    const buf = new Uint8Array(8 + quoted.length);
    const n = emitIcmpv4(r, buf);
    assert.deepEqual(parseIcmpv4(buf.subarray(0, n), { verifyChecksum: true }), r);
  }
  const frag = new Uint8Array(8 + quoted.length);
  emitIcmpv4(cases[2], frag);
  assert.deepEqual([...frag.subarray(4, 8)], [0, 0, 0x05, 0x78], 'RFC 1191: MTU in the low 16 bits');
});

test('ICMPv4: a non-zero unused field falls back to "other" so that bytes survive', () => {
  const te = sample('timeExceeded').slice(20);
  te[5] = 7;
  const r = parseIcmpv4(te);
  assert.equal(r.kind, 'other');
  const out = new Uint8Array(te.length);
  emitIcmpv4(r, out, 0, (te[2] << 8) | te[3]);
  assert.equal(toHex(out), toHex(te));
  assert.throws(
    () => parseIcmpv4(te.subarray(0, 7)),
    (e: WireError) => e.code === 'truncated',
  );
  assert.throws(
    () => parseIcmpv4(te, { verifyChecksum: true }),
    (e: WireError) => e.code === 'bad-checksum',
  );
});

test('ICMPv6 echo from ping -6 verifies over the pseudo-header and re-emits', () => {
  const frame = sample('loEcho6Request');
  const ip = frame.subarray(14, 54);
  const icmp = frame.subarray(54);
  const repr = parseIcmpv6(icmp, { pseudo: pseudoOf(ip) });
  assert.equal(repr.kind, 'echo-request');
  if (repr.kind !== 'echo-request') return;
  assert.equal(repr.identifier, 14403);
  assert.equal(repr.sequence, 1);
  const out = new Uint8Array(icmp.length);
  emitIcmpv6(repr, out, 0, pseudoOf(ip));
  assert.equal(toHex(out), toHex(icmp));
  const bad = icmp.slice();
  bad[10] ^= 0xff;
  assert.throws(
    () => parseIcmpv6(bad, { pseudo: pseudoOf(ip) }),
    (e: WireError) => e.code === 'bad-checksum',
  );
});

test('neighbor solicitation with a source link-layer option', () => {
  const frame = sample('ns');
  const ip = frame.subarray(14, 54);
  const icmp = frame.subarray(54);
  const repr = parseIcmpv6(icmp, { pseudo: pseudoOf(ip) });
  assert.deepEqual(repr, {
    kind: 'neighbor-solicitation',
    code: 0,
    target: 'fe80::2',
    options: [{ kind: 'source-link-layer', address: '02:00:00:00:00:01' }],
  });
  const out = new Uint8Array(icmpv6Length(repr));
  emitIcmpv6(repr, out, 0, pseudoOf(ip));
  assert.equal(toHex(out), toHex(icmp));
});

test('neighbor advertisement and router advertisement', () => {
  const na = sample('na');
  const naRepr = parseIcmpv6(na.subarray(40), { pseudo: pseudoOf(na) });
  assert.deepEqual(naRepr, {
    kind: 'neighbor-advertisement',
    code: 0,
    router: false,
    solicited: true,
    override: true,
    target: 'fe80::2',
    options: [{ kind: 'target-link-layer', address: '02:00:00:00:00:02' }],
  });
  const ra = sample('ra');
  const raRepr = parseIcmpv6(ra.subarray(40), { pseudo: pseudoOf(ra) });
  assert.deepEqual(raRepr, {
    kind: 'router-advertisement',
    code: 0,
    curHopLimit: 64,
    managed: true,
    other: false,
    flags: 0x08, // RFC 4191 §2.2 default router preference 01 (high), Scapy's default
    routerLifetime: 1800,
    reachableTime: 30000,
    retransTimer: 1000,
    options: [
      {
        kind: 'prefix-information',
        prefixLength: 64,
        onLink: true,
        autonomous: true,
        reservedFlags: 0,
        validLifetime: 86400,
        preferredLifetime: 14400,
        reserved: 0,
        prefix: '2001:db8:1::',
      },
      { kind: 'mtu', mtu: 1500, reserved: 0 },
      { kind: 'source-link-layer', address: '02:00:00:00:00:01' },
    ],
  });
  for (const [pkt, repr] of [
    [na, naRepr],
    [ra, raRepr],
  ] as [Uint8Array, Icmpv6Repr][]) {
    const out = new Uint8Array(icmpv6Length(repr));
    emitIcmpv6(repr, out, 0, pseudoOf(pkt));
    assert.equal(toHex(out), toHex(pkt.subarray(40)));
  }
});

test('ICMPv6 packet too big, errors, router solicitation, unknown NDP options', () => {
  const ptb = sample('packetTooBig');
  const repr = parseIcmpv6(ptb.subarray(40), { pseudo: pseudoOf(ptb) });
  assert.equal(repr.kind, 'packet-too-big');
  if (repr.kind === 'packet-too-big') {
    assert.equal(repr.mtu, 1280);
    assert.equal(repr.invoking.length, 60);
  }
  const pseudo = { src: parseIpv6Address('fe80::1'), dst: parseIpv6Address('ff02::2') };
  const cases: Icmpv6Repr[] = [
    {
      kind: 'router-solicitation',
      code: 0,
      options: [{ kind: 'unknown', type: 14, data: hex('aabbccddeeff') }],
    },
    { kind: 'destination-unreachable', code: 4, invoking: hex('60000000') },
    { kind: 'time-exceeded', code: 0, invoking: hex('') },
    { kind: 'parameter-problem', code: 1, pointer: 40, invoking: hex('6000') },
    { kind: 'echo-reply', code: 0, identifier: 1, sequence: 65535, data: hex('00') },
    { kind: 'other', type: 137, code: 0, body: hex('00000000') },
  ];
  for (const r of cases) {
    const buf = new Uint8Array(icmpv6Length(r));
    emitIcmpv6(r, buf, 0, pseudo);
    assert.deepEqual(parseIcmpv6(buf, { pseudo }), r);
    assert.ok(new Icmpv6View(buf).verifyChecksum(icmpv6PseudoSum(pseudo, buf.length)));
  }
  const zeroLen = hex('85000000 00000000 0100 020000000001');
  assert.throws(
    () => parseIcmpv6(zeroLen),
    (e: WireError) => e.code === 'bad-option',
  );
});
