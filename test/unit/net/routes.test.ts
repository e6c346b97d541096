import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { formatIp, parseIp } from '../../../src/net/ip-addr.js';
import { RouteTable } from '../../../src/net/routes.js';

const ip = (t: string) => parseIp(t);

function table(): RouteTable {
  const t = new RouteTable();
  t.add({ destination: ip('0.0.0.0'), prefixLength: 0, gateway: ip('10.0.0.1'), metric: 0 });
  t.add({ destination: ip('10.0.0.0'), prefixLength: 24, metric: 0 });
  t.add({ destination: ip('10.1.0.0'), prefixLength: 16, gateway: ip('10.0.0.2'), metric: 0 });
  t.add({ destination: ip('10.1.2.0'), prefixLength: 24, gateway: ip('10.0.0.3'), metric: 0 });
  t.add({ destination: ip('::'), prefixLength: 0, gateway: ip('fe80::1'), metric: 0 });
  t.add({ destination: ip('fd00:1::'), prefixLength: 64, metric: 0 });
  t.add({ destination: ip('fd00::'), prefixLength: 16, gateway: ip('fd00:1::9'), metric: 0 });
  return t;
}

test('longest prefix match picks the most specific route (RFC 1812 §5.2.4.3)', () => {
  const t = table();
  const hop = (d: string) => {
    const h = t.nextHop(ip(d));
    return h === undefined ? undefined : formatIp(h);
  };
  assert.equal(hop('10.0.0.77'), '10.0.0.77', 'on-link');
  assert.equal(hop('10.1.9.9'), '10.0.0.2');
  assert.equal(hop('10.1.2.9'), '10.0.0.3');
  assert.equal(hop('8.8.8.8'), '10.0.0.1', 'default');
  assert.equal(hop('fd00:1::5'), 'fd00:1::5');
  assert.equal(hop('fd00:7::5'), 'fd00:1::9');
  assert.equal(hop('2001:db8::1'), 'fe80::1');
});

test('no route without a default; remove; metric breaks ties', () => {
  const t = new RouteTable();
  t.add({ destination: ip('192.168.0.0'), prefixLength: 24, metric: 0 });
  assert.equal(t.nextHop(ip('192.168.1.1')), undefined);
  assert.equal(t.nextHop(ip('fd00::1')), undefined, 'no IPv6 route');
  t.add({ destination: ip('192.168.1.0'), prefixLength: 24, gateway: ip('192.168.0.9'), metric: 10 });
  t.add({ destination: ip('192.168.1.0'), prefixLength: 24, gateway: ip('192.168.0.8'), metric: 5 });
  assert.equal(formatIp(t.nextHop(ip('192.168.1.1')) as number), '192.168.0.8');
  assert.equal(t.remove(ip('192.168.1.0'), 24), 2);
  assert.equal(t.nextHop(ip('192.168.1.1')), undefined);
});

test('property: the chosen IPv4 route contains the address and no longer matching route exists', () => {
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })), {
        maxLength: 20,
      }),
      fc.integer({ min: 0, max: 0xffffffff }),
      (routes, dst) => {
        const t = new RouteTable();
        for (const [d, len] of routes) t.add({ destination: d, prefixLength: len, metric: 0 });
        const mask = (l: number) => (l === 0 ? 0 : (0xffffffff << (32 - l)) >>> 0);
        const covering = routes.filter(([d, l]) => (d & mask(l)) >>> 0 === (dst & mask(l)) >>> 0);
        const r = t.lookup(dst);
        if (covering.length === 0) assert.equal(r, undefined);
        else assert.equal(r?.prefixLength, Math.max(...covering.map(([, l]) => l)));
      },
    ),
  );
});
