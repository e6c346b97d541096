import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  formatIpv4Address,
  formatIpv6Address,
  formatMac,
  formatPrefix,
  ipv4MulticastMac,
  ipv4ToNumber,
  ipv6MulticastMac,
  isBroadcastMac,
  isIpv4Multicast,
  isIpv6Multicast,
  isMulticastMac,
  linkLocalFromMac,
  numberToIpv4,
  parseIpv4Address,
  parseIpv6Address,
  parseMac,
  parsePrefix,
  prefixContains,
  solicitedNodeMulticast,
  writeIpv4MulticastMac,
  writeIpv6MulticastMac,
} from '../../../src/wire/addr.js';
import { WireError } from '../../../src/wire/errors.js';

test('MAC text <-> bytes', () => {
  assert.deepEqual([...parseMac('aa:BB:cc:0d:e:ff')], [0xaa, 0xbb, 0xcc, 0x0d, 0x0e, 0xff]);
  assert.equal(formatMac(parseMac('02-00-5E-10-00-01')), '02:00:5e:10:00:01');
  assert.ok(isBroadcastMac(parseMac('ff:ff:ff:ff:ff:ff')));
  assert.ok(isMulticastMac(parseMac('01:00:5e:00:00:01')));
  assert.ok(!isMulticastMac(parseMac('02:00:00:00:00:01')));
  for (const bad of ['', 'aa:bb:cc:dd:ee', 'aa:bb:cc:dd:ee:fg', 'aaa:bb:cc:dd:ee:ff']) {
    assert.throws(() => parseMac(bad), WireError);
  }
});

test('IPv4 text <-> number <-> bytes', () => {
  assert.equal(ipv4ToNumber('192.0.2.255'), 0xc00002ff);
  assert.equal(numberToIpv4(0xffffffff), '255.255.255.255');
  assert.deepEqual([...parseIpv4Address('10.1.2.3')], [10, 1, 2, 3]);
  assert.equal(formatIpv4Address(Uint8Array.of(9, 127, 0, 0, 1), 1), '127.0.0.1');
  for (const bad of ['1.2.3', '1.2.3.256', '01.2.3.4', '1.2.3.4.5', 'a.b.c.d', '']) {
    assert.throws(() => ipv4ToNumber(bad), WireError, bad);
  }
  assert.ok(isIpv4Multicast(ipv4ToNumber('224.0.0.251')));
  assert.ok(!isIpv4Multicast(ipv4ToNumber('240.0.0.1')));
  assert.equal(ipv4MulticastMac(ipv4ToNumber('239.255.130.7')), '01:00:5e:7f:82:07');
});

test('IPv6 text follows RFC 5952', () => {
  const cases: [string, string][] = [
    ['2001:0db8:0000:0000:0000:ff00:0042:8329', '2001:db8::ff00:42:8329'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // §4.2.3: first of equal runs
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // §4.2.2: a single 0 is not "::"
    ['::', '::'],
    ['::1', '::1'],
    ['fe80::', 'fe80::'],
    ['1:0:0:2:0:0:0:3', '1:0:0:2::3'], // §4.2.3: the longest run
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'], // §5: mapped IPv4 tail
    ['64:ff9b::192.0.2.33', '64:ff9b::c000:221'],
    ['ABCD:EF01:2345:6789:ABCD:EF01:2345:6789', 'abcd:ef01:2345:6789:abcd:ef01:2345:6789'],
  ];
  for (const [input, canonical] of cases)
    assert.equal(formatIpv6Address(parseIpv6Address(input)), canonical, input);
  for (const bad of [
    ':::',
    '1::2::3',
    '1:2:3:4:5:6:7:8:9',
    '12345::',
    'g::',
    '1:2:3:4:5:6:7',
    '::1.2.3',
    '1::2:3:4:5:6:7:8',
  ]) {
    assert.throws(() => parseIpv6Address(bad), WireError, bad);
  }
});

test('IPv6 text round trip for any 16 bytes', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 16, maxLength: 16 }), (b) => {
      const text = formatIpv6Address(b);
      assert.deepEqual(parseIpv6Address(text), b);
      assert.equal(formatIpv6Address(parseIpv6Address(text)), text);
    }),
  );
});

test('IPv6 multicast helpers (RFC 4291 §2.7.1, RFC 2464 §7)', () => {
  const sn = solicitedNodeMulticast(parseIpv6Address('2001:db8::abcd:1234:5678'));
  assert.equal(formatIpv6Address(sn), 'ff02::1:ff34:5678');
  assert.ok(isIpv6Multicast(sn));
  assert.equal(ipv6MulticastMac(sn), '33:33:ff:34:56:78');
  assert.equal(
    formatIpv6Address(linkLocalFromMac(parseMac('00:11:22:33:44:55'))),
    'fe80::211:22ff:fe33:4455',
  );
});

test('prefixes', () => {
  const p = parsePrefix('192.0.2.77/24');
  assert.equal(formatPrefix(p), '192.0.2.0/24');
  assert.ok(prefixContains(p, parseIpv4Address('192.0.2.200')));
  assert.ok(!prefixContains(p, parseIpv4Address('192.0.3.1')));
  const q = parsePrefix('2001:db8:abcd::/45');
  assert.equal(formatPrefix(q), '2001:db8:abc8::/45');
  assert.ok(prefixContains(q, parseIpv6Address('2001:db8:abcf::1')));
  assert.ok(!prefixContains(q, parseIpv6Address('2001:db8:abd0::1')));
  assert.equal(parsePrefix('10.0.0.1').prefixLength, 32);
  assert.equal(parsePrefix('::/0').prefixLength, 0);
  for (const bad of ['10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/a'])
    assert.throws(() => parsePrefix(bad), WireError);
});

test('MAC and IPv4 text parsers accept exactly the strict forms', () => {
  const macForm = /^[0-9a-fA-F]{1,2}([:-][0-9a-fA-F]{1,2}){5}$/;
  const v4Form = /^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/;
  const accepts = (fn: () => unknown): boolean => {
    try {
      fn();
      return true;
    } catch (e) {
      assert.ok(e instanceof WireError);
      return false;
    }
  };
  const text = fc.stringMatching(/^[0-9a-fA-Fg:.-]{0,20}$/);
  fc.assert(
    fc.property(text, (t) => {
      assert.equal(
        accepts(() => parseMac(t)),
        macForm.test(t),
        t,
      );
      const v4ok = v4Form.test(t) && t.split('.').every((p) => Number(p) <= 255);
      assert.equal(
        accepts(() => ipv4ToNumber(t)),
        v4ok,
        t,
      );
    }),
  );
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 6, maxLength: 6 }), fc.nat(0xffffffff), (mac, n) => {
      assert.deepEqual(parseMac(formatMac(mac)), mac);
      assert.equal(ipv4ToNumber(numberToIpv4(n)), n);
    }),
  );
});

test('IPv6 text with compat: IPv4-compatible addresses end in dotted IPv4 (as inet_ntop)', () => {
  assert.equal(formatIpv6Address(parseIpv6Address('::192.0.2.1'), 0, true), '::192.0.2.1');
  assert.equal(formatIpv6Address(parseIpv6Address('::192.0.2.1')), '::c000:201');
  assert.equal(formatIpv6Address(parseIpv6Address('::ffff:10.0.0.1'), 0, true), '::ffff:10.0.0.1');
  assert.equal(formatIpv6Address(parseIpv6Address('::1'), 0, true), '::1');
  const at = Uint8Array.of(7, ...parseIpv6Address('fd00::2'));
  assert.equal(formatIpv6Address(at, 1), 'fd00::2');
});

/** The straightforward split-based IPv6 parser the one-pass parser replaced: the reference. */
function referenceIpv6(text: string): number[] | 'bad' {
  const groupsOf = (part: string, v4Tail: boolean): number[] | null => {
    if (part === '') return [];
    const out: number[] = [];
    const pieces = part.split(':');
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i];
      if (v4Tail && i === pieces.length - 1 && p.includes('.')) {
        if (!/^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$/.test(p)) return null;
        const q = p.split('.').map(Number);
        if (q.some((x) => x > 255)) return null;
        out.push(q[0] * 256 + q[1], q[2] * 256 + q[3]);
      } else if (/^[0-9a-fA-F]{1,4}$/.test(p)) out.push(Number.parseInt(p, 16));
      else return null;
    }
    return out;
  };
  const halves = text.split('::');
  if (halves.length > 2) return 'bad';
  if (halves.length === 1) {
    const g = groupsOf(text, true);
    return g !== null && g.length === 8 ? g : 'bad';
  }
  const head = groupsOf(halves[0], false);
  const tail = groupsOf(halves[1], true);
  if (head === null || tail === null || head.length + tail.length > 7) return 'bad';
  return [...head, ...new Array(8 - head.length - tail.length).fill(0), ...tail];
}

test('the one-pass IPv6 parser agrees with the split-based reference on any text', () => {
  const ours = (text: string): number[] | 'bad' => {
    try {
      const b = parseIpv6Address(text);
      return Array.from({ length: 8 }, (_, i) => (b[2 * i] << 8) | b[2 * i + 1]);
    } catch (e) {
      assert.ok(e instanceof WireError);
      return 'bad';
    }
  };
  const piece = fc.oneof(
    fc.constantFrom('', ':', '::', '.', '0', 'ffff', 'ABCD', '12345', '1.2.3.4', '255.0.0.1', '01.2.3.4'),
    fc.stringMatching(/^[0-9a-f]{1,5}$/),
  );
  const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(':'));
  fc.assert(
    fc.property(fc.oneof(text, fc.stringMatching(/^[0-9a-fA-F:.]{0,24}$/)), (t) => {
      assert.deepEqual(ours(t), referenceIpv6(t), t);
    }),
    { numRuns: 5000 },
  );
});

test('group MACs are written in place at an offset (RFC 1112 §6.4, RFC 2464 §7)', () => {
  const out = new Uint8Array(8).fill(0xee);
  writeIpv6MulticastMac(Uint8Array.of(9, ...parseIpv6Address('ff02::1:ff34:5678')), 1, out, 1);
  assert.equal(formatMac(out, 1), '33:33:ff:34:56:78');
  assert.deepEqual([out[0], out[7]], [0xee, 0xee], 'nothing outside the six bytes');
  writeIpv4MulticastMac(ipv4ToNumber('239.255.130.7'), out, 2);
  assert.equal(formatMac(out, 2), '01:00:5e:7f:82:07');
});
