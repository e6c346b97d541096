import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseIpAddr } from '../../../src/socket/address.js';
import { ConnectionTable, type FourTuple, tupleKey } from '../../../src/socket/connection-table.js';
import { PortTable } from '../../../src/socket/ports.js';

const ip = (s: string) => {
  const a = parseIpAddr(s);
  if (a === null) throw new Error(s);
  return a;
};

const tuple = (l: string, lp: number, r: string, rp: number): FourTuple => ({
  local: ip(l),
  localPort: lp,
  remote: ip(r),
  remotePort: rp,
});

test('connection table: exact 4-tuple lookup, v4 and v6, delete', () => {
  const table = new ConnectionTable<FourTuple>();
  const t1 = tuple('10.0.0.1', 80, '10.0.0.2', 40000);
  const t2 = tuple('10.0.0.1', 80, '10.0.0.3', 40000);
  const t3 = tuple('fd00::1', 80, 'fd00::2', 40000);
  assert.ok(table.add(t1));
  assert.ok(table.add(t2));
  assert.ok(table.add(t3));
  assert.equal(table.add(tuple('10.0.0.1', 80, '10.0.0.2', 40000)), false, 'duplicate 4-tuple');
  assert.equal(table.find(ip('10.0.0.1'), 80, ip('10.0.0.2'), 40000), t1);
  assert.equal(table.find(ip('10.0.0.1'), 80, ip('10.0.0.3'), 40000), t2);
  // a fresh array with the same bytes (the interface reuses its buffers)
  assert.equal(table.find(new Uint8Array(ip('fd00::1') as Uint8Array), 80, ip('fd00::2'), 40000), t3);
  assert.equal(table.find(ip('10.0.0.1'), 81, ip('10.0.0.2'), 40000), undefined);
  assert.equal(table.find(ip('10.0.0.9'), 80, ip('10.0.0.2'), 40000), undefined, 'local address must match');
  assert.ok(table.delete(t1));
  assert.equal(table.find(ip('10.0.0.1'), 80, ip('10.0.0.2'), 40000), undefined);
  assert.equal(table.size, 2);
});

test('connection table: colliding keys share a bucket and still resolve exactly', () => {
  const table = new ConnectionTable<FourTuple>();
  // Find two tuples with the same key by brute force over remote ports.
  const base = tuple('10.0.0.1', 80, '10.0.0.2', 1);
  const seen = new Map<number, FourTuple>();
  let pair: [FourTuple, FourTuple] | undefined;
  for (let r = 0; r < 1 << 16 && !pair; r++) {
    for (const rp of [1000, 2000, 3000]) {
      const t = tuple('10.0.0.1', 80, `10.${(r >> 8) & 255}.${r & 255}.2`, rp);
      const k = tupleKey(t.remote, t.remotePort, t.localPort);
      const other = seen.get(k);
      if (other) {
        pair = [other, t];
        break;
      }
      seen.set(k, t);
    }
  }
  if (pair) {
    table.add(pair[0]);
    table.add(pair[1]);
    assert.equal(table.find(pair[0].local, 80, pair[0].remote, pair[0].remotePort), pair[0]);
    assert.equal(table.find(pair[1].local, 80, pair[1].remote, pair[1].remotePort), pair[1]);
  }
  assert.ok(table.add(base));
});

test('ports: allocation is random-start sequential in the range, and exhausts cleanly', () => {
  let r = 7;
  const ports = new PortTable({ low: 5000, high: 5003 }, () => r);
  const got = [ports.allocate(), ports.allocate(), ports.allocate(), ports.allocate()];
  assert.deepEqual(
    [...got].sort((x, y) => x - y),
    [5000, 5001, 5002, 5003],
  );
  assert.equal(got[0], 5003, 'start = random % count');
  assert.equal(ports.allocate(), 0, 'exhausted');
  ports.release(5001);
  r = 0;
  assert.equal(ports.allocate(), 5001);
  assert.throws(() => new PortTable({ low: 0, high: 10 }, () => 0), RangeError);
});
