import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatIp, parseIp } from '../../../src/net/ip-addr.js';
import { Harness, OUR_V4, v4 } from './frames.js';

test('sourceFor: IPv4 address; link-local for link-local and multicast, else the matching global', () => {
  const h = new Harness({ ipv6: ['fd00:9::2/64', '2001:db8:5::2/64'], gateway6: 'fe80::1' });
  const src = (d: string) => {
    const s = h.iface.sourceFor(parseIp(d));
    return s === undefined ? undefined : formatIp(s);
  };
  assert.equal(src('192.0.2.1'), OUR_V4);
  assert.equal(src('fe80::1'), 'fe80::ff:fe00:2');
  assert.equal(src('ff02::1'), 'fe80::ff:fe00:2');
  assert.equal(src('2001:db8:5::77'), '2001:db8:5::2');
  assert.equal(src('fd00:9::1'), 'fd00:9::2');
  assert.equal(src('2001:4860::1'), 'fd00:9::2', 'no matching prefix: the first global');
});

test('addresses(), isOurAddress(), mssFor()', () => {
  const h = new Harness();
  assert.deepEqual(h.iface.addresses().map(formatIp), [OUR_V4, 'fe80::ff:fe00:2', 'fd00:9::2']);
  assert.ok(h.iface.isOurAddress(v4(OUR_V4)));
  assert.ok(!h.iface.isOurAddress(v4('10.9.0.3')));
  assert.equal(h.iface.mssFor(v4('10.9.0.1')), 1460);
  assert.equal(h.iface.mssFor(parseIp('fd00:9::1')), 1440);
});

test('stats() is a snapshot; describe() lists addresses, routes and neighbors', () => {
  const h = new Harness();
  const before = h.iface.stats();
  before.dropped.noRoute = 99;
  before.malformed.truncated = 5;
  h.iface.receive(new Uint8Array(3), { timestamp: 0, checksumNotReady: false, checksumValid: false });
  const after = h.iface.stats();
  assert.equal(after.dropped.noRoute, 0);
  assert.equal(after.malformed.truncated, 1);
  h.iface.resolve(v4('10.9.0.1'));
  const text = h.iface.describe();
  assert.ok(text.includes(`inet ${OUR_V4}/24`));
  assert.ok(text.includes('inet6 fd00:9::2/64'));
  assert.ok(text.includes('route default via 10.9.0.1'));
  assert.ok(text.includes('route 10.9.0.0/24 dev (link)'));
  assert.ok(text.includes('neigh 10.9.0.1 lladdr (incomplete) INCOMPLETE'));
});

test('an Ethernet interface without a MAC is a programming error', () => {
  assert.throws(() => new Harness({ mac: undefined }), /needs a MAC/);
});
