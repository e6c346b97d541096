// The filter compiler: syntax errors point at the token; examples per primitive; and a property:
// for random packets and random expressions the compiled raw-frame predicate agrees with a plain
// reference evaluation over the dissected packet.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Dot1Q, dissect, Ether, IP, TCP, UDP } from '../../../src/packet/index.js';
import { compileFilter, FilterSyntaxError, parseFilter } from '../../../src/sendrecv/index.js';
import { randomExpr, randomPacket, view } from './filter-reference.js';

function syntaxError(expr: string): FilterSyntaxError {
  try {
    parseFilter(expr);
  } catch (err) {
    assert.ok(err instanceof FilterSyntaxError, `expected a FilterSyntaxError for ${expr}, got ${err}`);
    return err;
  }
  assert.fail(`${JSON.stringify(expr)} parsed`);
}

test('syntax errors name the problem and point at the token', () => {
  const cases: Array<[string, RegExp, number]> = [
    ['tcp port', /expected a port after "port", got the end of the expression/, 8],
    ['host www.example.com', /not an IPv4 or IPv6 address \(host names are not looked up/, 5],
    ['port 99999', /"99999" is not a port number or known service/, 5],
    ['tcp[13:3] = 1', /the size must be 1, 2 or 4/, 7],
    ['(tcp or udp', /expected '\)', got the end of the expression/, 11],
    ['tcp and', /expected a filter primitive, got the end of the expression/, 7],
    ['ip host fd00::1', /"ip" does not go with the address fd00::1/, 8],
    ['net 10.0.0.1/8', /non-network bits set in "10.0.0.1\/8"/, 4],
    ['tcp $ udp', /unexpected character "\$"/, 4],
    ['frobnicate', /unknown keyword "frobnicate"/, 0],
    ['tcp udp', /unexpected "udp"/, 4],
    ['', /empty filter expression/, 0],
    ['icmp port 80', /"icmp port" is not valid/, 10],
    ['host 02:00:00:00:00:01', /^$/, -1],
  ];
  for (const [expr, re, pos] of cases) {
    if (pos < 0) {
      assert.doesNotThrow(() => parseFilter(expr), 'a MAC after host means ether host');
      continue;
    }
    const err = syntaxError(expr);
    assert.match(err.reason, re, expr);
    assert.equal(err.position, pos, `${expr}: ${err.message}`);
    assert.ok(err.message.endsWith(`\n  ${expr}\n  ${' '.repeat(pos)}^`), err.message);
  }
});

const frame = (p: ReturnType<typeof Ether>['over'] extends never ? never : Parameters<typeof dissect>[0]) =>
  p;

test('examples: hosts, ports, protocols, fragments, tcp flags', () => {
  const syn = Ether()
    .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
    .over(TCP({ sport: 40000, dport: 80, flags: 'S' }))
    .build();
  const yes = [
    'tcp',
    'ip',
    'host 10.0.0.1',
    'src host 10.0.0.1 and dst 10.0.0.2',
    'port 80',
    'dst port http',
    'tcp dst port 80 or 443',
    'portrange 70-90',
    'net 10.0.0.0/24',
    'net 10',
    'net 10.0.0.0 mask 255.255.255.0',
    'tcp[tcpflags] & tcp-syn != 0',
    'tcp[tcpflags] == tcp-syn',
    'tcp[13] & 2 = 2 && !udp',
    'not (udp or icmp)',
    'ip[9] = 6',
    'ip proto \\tcp',
    'len >= 54 and greater 54 and less 54',
    'ip[2:2] = len - 14',
  ];
  const no = [
    'udp',
    'ip6',
    'src host 10.0.0.2',
    'src port 80',
    'port 80 and port 81',
    'tcp[tcpflags] & tcp-ack != 0',
    'less 53',
    'vlan',
  ];
  for (const e of yes) assert.equal(compileFilter(e)(frame(syn)), true, e);
  for (const e of no) assert.equal(compileFilter(e)(frame(syn)), false, e);
  const later = Ether()
    .over(IP({ proto: 6, frag: 10 }))
    .over(UDP({ sport: 80, dport: 80 }))
    .build();
  assert.equal(compileFilter('port 80')(later), false, 'a later fragment has no transport header');
  assert.equal(compileFilter('tcp')(later), true);
});

test('vlan moves the offsets of everything after it (libpcap)', () => {
  const tagged = Ether()
    .over(Dot1Q({ vlan: 10 }))
    .over(IP({ src: '10.0.0.1' }))
    .over(UDP({ dport: 53 }))
    .build();
  assert.equal(compileFilter('vlan 10 and udp port 53 and host 10.0.0.1')(tagged), true);
  assert.equal(compileFilter('vlan 11 and udp')(tagged), false);
  assert.equal(compileFilter('udp')(tagged), false, 'without vlan the tagged frame is not IP');
  assert.equal(compileFilter('udp and vlan')(tagged), false);
});

test('a read past the captured bytes rejects the frame, as BPF does', () => {
  const short = Ether().over(IP()).over(TCP()).build().subarray(0, 30);
  assert.equal(compileFilter('not tcp[13] = 99')(short), false);
  assert.equal(compileFilter('ip')(short), true);
  assert.equal(compileFilter('ip[0] / 0 = 0')(Ether().over(IP()).build()), false);
});

test('raw-IP links (TUN): the version nibble stands for the type', () => {
  const p = IP({ src: '10.0.0.1' })
    .over(UDP({ dport: 53 }))
    .build();
  assert.equal(compileFilter('ip and udp port 53 and src host 10.0.0.1', 'ip')(p), true);
  assert.equal(compileFilter('ip6 or arp', 'ip')(p), false);
});

test('property: the compiled filter agrees with the reference over dissected packets', () => {
  fc.assert(
    fc.property(randomPacket, randomExpr, (pkt, expr) => {
      const bytes = pkt.build();
      const expected = expr.ref(view(dissect(bytes)));
      const got = compileFilter(expr.text)(bytes);
      assert.equal(got, expected, `${expr.text} on ${dissect(bytes).summary()}`);
    }),
    { numRuns: 3000 },
  );
});
