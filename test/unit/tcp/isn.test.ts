// RFC 6528 initial sequence numbers, SipHash-2-4 reference vectors.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createIsnGenerator, sipHash24 } from '../../../src/tcp/isn.js';

const hex = ([lo, hi]: [number, number]) =>
  hi.toString(16).padStart(8, '0') + lo.toString(16).padStart(8, '0');
const key = Uint8Array.from({ length: 16 }, (_, i) => i);
const msg = (n: number) => Uint8Array.from({ length: n }, (_, i) => i);

test('SipHash-2-4 matches the reference vectors (key 00..0f, message 00..n-1)', () => {
  assert.equal(hex(sipHash24(key, msg(0))), '726fdb47dd0e0e31');
  assert.equal(hex(sipHash24(key, msg(1))), '74f839c593dc67fd');
  assert.equal(hex(sipHash24(key, msg(8))), '93f5f5799a932462');
  assert.equal(hex(sipHash24(key, msg(15))), 'a129ca6149be45e5');
  assert.equal(hex(sipHash24(key, msg(63))), '958a324ceb064572');
});

test('ISN = M + F(4-tuple, secret): the 4 us clock advances it; the 4-tuple and the secret change it (RFC 6528 §3)', () => {
  const gen = createIsnGenerator(key);
  const a = Uint8Array.of(10, 0, 0, 1);
  const b = Uint8Array.of(10, 0, 0, 2);
  const i0 = gen(0, a, 40000, b, 80);
  assert.equal(gen(1, a, 40000, b, 80), (i0 + 250) >>> 0, '1 ms = 250 ticks of 4 us');
  assert.notEqual(gen(0, a, 40001, b, 80), i0);
  assert.notEqual(gen(0, b, 40000, a, 80), i0);
  const other = createIsnGenerator(Uint8Array.from({ length: 16 }, (_, i) => 255 - i));
  assert.notEqual(other(0, a, 40000, b, 80), i0);
  assert.ok(i0 >= 0 && i0 < 2 ** 32);
});

test('the keyed hash can be injected', () => {
  const gen = createIsnGenerator(() => 1000);
  assert.equal(gen(2, new Uint8Array(16), 1, new Uint8Array(16), 2), 1500);
});
