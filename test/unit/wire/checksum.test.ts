import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
  checksumVerifies,
  foldSum,
  internetChecksum,
  ipv4PseudoHeaderSum,
  ipv6PseudoHeaderSum,
  sumWords,
  updateChecksum,
  updateChecksum32,
} from '../../../src/wire/checksum.js';
import { sample } from './samples.js';

/** The RFC 1071 reference: 16-bit words, end-around carry at every step. */
function referenceChecksum(b: Uint8Array, initial = 0): number {
  let sum = initial;
  for (let i = 0; i < b.length; i += 2) {
    sum += (b[i] << 8) | (i + 1 < b.length ? b[i + 1] : 0);
    sum = (sum & 0xffff) + (sum >>> 16);
  }
  return ~sum & 0xffff;
}

test('RFC 1071 §3 worked example', () => {
  const b = Uint8Array.of(0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7);
  assert.equal(foldSum(sumWords(b, 0, b.length)), 0xddf2);
  assert.equal(internetChecksum(b, 0, b.length), 0x220d);
});

test('the checksum of real IPv4 headers and ICMP messages verifies', () => {
  const echo = sample('loEchoRequest');
  assert.ok(checksumVerifies(echo, 14, 20));
  assert.ok(checksumVerifies(echo, 34, echo.length - 34));
  const syn = sample('syn');
  assert.equal(internetChecksum(syn, 0, 20), 0, 'a header including its checksum sums to 0xffff');
});

test('the TCP checksum over the IPv4 pseudo-header matches a real one', () => {
  const syn = sample('syn');
  const pseudo = ipv4PseudoHeaderSum(syn, 12, syn, 16, 6, syn.length - 20);
  assert.ok(checksumVerifies(syn, 20, syn.length - 20, pseudo));
});

test('the TCP checksum over the IPv6 pseudo-header matches a real one (RFC 8200 §8.1)', () => {
  const s = sample('sack6');
  const pseudo = ipv6PseudoHeaderSum(s, 8, s, 24, 6, s.length - 40);
  assert.ok(checksumVerifies(s, 40, s.length - 40, pseudo));
});

test('property: long ranges (32-bit words) in a view into a larger buffer equal the reference', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 60, maxLength: 3000 }), fc.nat(7), fc.nat(7), (b, outer, pre) => {
      const backing = new Uint8Array(outer + pre + b.length + 3);
      const view = backing.subarray(outer); // byteOffset != 0: the DataView path must add it
      view.set(b, pre);
      assert.equal(internetChecksum(view, pre, b.length), referenceChecksum(b));
    }),
  );
});

test("ranges either side of the WebAssembly kernel's size limits equal the reference", () => {
  const backing = new Uint8Array(140_000);
  for (let i = 0; i < backing.length; i++) backing[i] = (i * 2_654_435_761) >>> 24;
  for (const length of [511, 512, 513, 1460, 65_535, 131_063, 131_064, 131_065]) {
    for (const offset of [0, 1, 34]) {
      const range = backing.subarray(offset, offset + length);
      assert.equal(
        internetChecksum(backing, offset, length, 0x1234),
        referenceChecksum(range, 0x1234),
        `${length}@${offset}`,
      );
    }
  }
});

test('a range of all-0xff bytes far longer than a packet still folds exactly', () => {
  const b = new Uint8Array(1 << 20).fill(0xff);
  assert.equal(foldSum(sumWords(b, 0, b.length)), 0xffff);
  assert.equal(internetChecksum(b, 1, b.length - 2), referenceChecksum(b.subarray(1, b.length - 1)));
});

test('property: equals the step-by-step RFC 1071 reference, any length and offset', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 300 }), fc.nat(5), (b, pre) => {
      const buf = new Uint8Array(pre + b.length);
      buf.set(b, pre);
      assert.equal(internetChecksum(buf, pre, b.length), referenceChecksum(b));
    }),
  );
});

test('property: a filled checksum verifies', () => {
  fc.assert(
    fc.property(fc.uint8Array({ minLength: 2, maxLength: 200 }), fc.nat(), (b, at) => {
      const pos = (at % (b.length >> 1)) * 2;
      b[pos] = 0;
      b[pos + 1] = 0;
      const c = internetChecksum(b, 0, b.length);
      b[pos] = c >> 8;
      b[pos + 1] = c & 0xff;
      assert.ok(checksumVerifies(b, 0, b.length));
      assert.equal(internetChecksum(b, 0, b.length), 0);
    }),
  );
});

test('property: RFC 1624 incremental update equals recomputation', () => {
  fc.assert(
    fc.property(
      fc.uint8Array({ minLength: 4, maxLength: 120 }),
      fc.nat(),
      fc.integer({ min: 0, max: 0xffff }),
      (b, at, v) => {
        if (b.length & 1) b = b.subarray(0, b.length - 1);
        const words = b.length >> 1;
        const csumAt = 0;
        const fieldAt = 2 * (1 + (at % (words - 1)));
        b[csumAt] = 0;
        b[csumAt + 1] = 0;
        const before = internetChecksum(b, 0, b.length);
        const old = (b[fieldAt] << 8) | b[fieldAt + 1];
        b[fieldAt] = v >> 8;
        b[fieldAt + 1] = v & 0xff;
        const after = internetChecksum(b, 0, b.length);
        const incremental = updateChecksum(before, old, v);
        // RFC 1624 §3: both are valid encodings; they may differ only as +0 (0x0000) vs -0 (0xffff).
        assert.equal(incremental === 0xffff ? 0 : incremental, after === 0xffff ? 0 : after);
      },
    ),
  );
});

test('RFC 1624 32-bit update (NAT address rewrite) keeps a real header valid', () => {
  const syn = sample('syn');
  const before = (syn[10] << 8) | syn[11];
  const oldSrc = ((syn[12] << 24) | (syn[13] << 16) | (syn[14] << 8) | syn[15]) >>> 0;
  const newSrc = 0xc0a80164;
  syn.set([0xc0, 0xa8, 0x01, 0x64], 12);
  const c = updateChecksum32(before, oldSrc, newSrc);
  syn[10] = c >> 8;
  syn[11] = c & 0xff;
  assert.ok(checksumVerifies(syn, 0, 20));
});
