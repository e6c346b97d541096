// Mutated and truncated real packets through every parser: only WireError may escape, nothing hangs.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ArpView, parseArp } from '../../../src/wire/arp.js';
import { WireError } from '../../../src/wire/errors.js';
import { EthernetView, parseEthernet } from '../../../src/wire/ethernet.js';
import { Icmpv4View, parseIcmpv4, parseQuotedIpv4 } from '../../../src/wire/icmpv4.js';
import { Icmpv6View, parseIcmpv6 } from '../../../src/wire/icmpv6.js';
import { Ipv4View, parseIpv4 } from '../../../src/wire/ipv4.js';
import { decodeIpv4Options } from '../../../src/wire/ipv4-options.js';
import { Ipv6View, parseIpv6 } from '../../../src/wire/ipv6.js';
import { decodeIpv6Options, type UpperLayer } from '../../../src/wire/ipv6-ext.js';
import { linkPayload } from '../../../src/wire/pcap-link.js';
import { readCapture } from '../../../src/wire/pcapng.js';
import { checkTcpStrict, parseTcp, TcpView } from '../../../src/wire/tcp.js';
import { newTcpOptionSummary } from '../../../src/wire/tcp-options.js';
import { parseUdp, UdpView } from '../../../src/wire/udp.js';
import { SAMPLES, type SampleName, sample } from './samples.js';

/** mulberry32: a small deterministic PRNG so that every run fuzzes the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function mutate(src: Uint8Array, rnd: () => number): Uint8Array {
  let b = src.slice();
  const flips = 1 + Math.floor(rnd() * 6);
  for (let i = 0; i < flips && b.length; i++) {
    const at = Math.floor(rnd() * b.length);
    b[at] = rnd() < 0.3 ? [0, 0xff, 1, 2, 5][Math.floor(rnd() * 5)] : Math.floor(rnd() * 256);
  }
  const r = rnd();
  if (r < 0.35) b = b.subarray(0, Math.floor(rnd() * (b.length + 1)));
  else if (r < 0.45) {
    const grown = new Uint8Array(b.length + Math.floor(rnd() * 16));
    grown.set(b);
    b = grown;
  }
  return b;
}

const ups: UpperLayer = { protocol: 0, offset: 0, fragmentHeaderOffset: 0 };
const summary = newTcpOptionSummary();
const tcp = new TcpView();
const eth = new EthernetView();
const ip4 = new Ipv4View();
const ip6 = new Ipv6View();
const udp = new UdpView();
const pseudo4 = { src: new Uint8Array(4), dst: new Uint8Array(4) };
const pseudo6 = { src: new Uint8Array(16), dst: new Uint8Array(16) };

/** Every parser, at every offset a header could start at in our samples. */
const PARSERS: ((b: Uint8Array) => unknown)[] = [
  (b) => parseEthernet(b),
  (b) => eth.checkedWrap(b).payloadOffset,
  (b) => parseArp(b),
  (b) => parseArp(b.subarray(Math.min(14, b.length))),
  (b) => parseIpv4(b, { verifyChecksum: true }),
  (b) => decodeIpv4Options(ip4.checkedWrap(b).options),
  (b) => decodeIpv4Options(ip4.checkedWrap(b, Math.min(14, b.length)).options),
  (b) => parseIpv6(b),
  (b) => parseIpv6(b.subarray(Math.min(14, b.length))),
  (b) => ip6.checkedWrap(b).upperLayer(ups),
  (b) => {
    const r = parseIpv6(b);
    for (const h of r.extensions)
      if (h.kind === 'hop-by-hop' || h.kind === 'destination-options') decodeIpv6Options(h.options);
  },
  (b) => parseIcmpv4(b, { verifyChecksum: true }),
  (b) => {
    const r = parseIcmpv4(b.subarray(Math.min(20, b.length)));
    if ('invoking' in r) parseQuotedIpv4(r.invoking);
  },
  (b) => parseIcmpv4(b.subarray(Math.min(34, b.length))),
  (b) => parseIcmpv6(b.subarray(Math.min(40, b.length)), { pseudo: pseudo6 }),
  (b) => parseIcmpv6(b.subarray(Math.min(54, b.length))),
  (b) => parseUdp(b.subarray(Math.min(34, b.length)), { pseudo: pseudo4 }),
  (b) => parseUdp(b.subarray(Math.min(36, b.length))),
  (b) => udp.checkedWrap(b, Math.min(56, b.length)).payload,
  (b) => parseTcp(b.subarray(Math.min(20, b.length)), { strict: true, pseudo: pseudo4 }),
  (b) => parseTcp(b.subarray(Math.min(34, b.length))),
  (b) => parseTcp(b.subarray(Math.min(40, b.length)), { pseudo: pseudo6 }),
  (b) => {
    tcp.checkedWrap(b, Math.min(34, b.length));
    checkTcpStrict(tcp);
    return tcp.readOptionsInto(summary);
  },
  (b) => tcp.checkedWrap(b, Math.min(20, b.length)).readOptionsInto(summary),
  (b) => linkPayload([0, 1, 101, 113, 228, 229][b.length % 6], b),
];

/** A read past the end of a Uint8Array gives undefined, which shows up as NaN or "undefined" text. */
function assertNoOutOfBoundsRead(value: unknown, input: Uint8Array): void {
  const seen = (v: unknown): boolean => {
    if (typeof v === 'number') return Number.isNaN(v);
    if (typeof v === 'string') return v.includes('undefined') || v.includes('NaN');
    if (v instanceof Uint8Array || v === null || typeof v !== 'object') return false;
    return Object.values(v).some(seen);
  };
  if (seen(value)) assert.fail(`out-of-bounds read: ${Buffer.from(input).toString('hex')}`);
}

function onlyWireErrors(input: Uint8Array, parse: (b: Uint8Array) => unknown): void {
  try {
    assertNoOutOfBoundsRead(parse(input), input);
  } catch (e) {
    if (!(e instanceof WireError)) {
      if (e instanceof assert.AssertionError) throw e;
      assert.fail(`${(e as Error)?.stack ?? e}\ninput: ${Buffer.from(input).toString('hex')}`);
    }
  }
}

test('mutated and truncated packets: only WireError escapes', { timeout: 120_000 }, () => {
  const rnd = prng(0x5eed);
  const names = Object.keys(SAMPLES) as SampleName[];
  let runs = 0;
  for (const name of names) {
    const base = sample(name);
    for (let i = 0; i < 300; i++) {
      const input = mutate(base, rnd);
      for (const parse of PARSERS) {
        onlyWireErrors(input, parse);
        runs++;
      }
    }
  }
  for (let i = 0; i < 2000; i++) {
    const input = new Uint8Array(Math.floor(rnd() * 80));
    for (let j = 0; j < input.length; j++) input[j] = Math.floor(rnd() * 256);
    for (const parse of PARSERS) onlyWireErrors(input, parse);
  }
  assert.ok(runs > 100_000);
});

test('every prefix of every sample: only WireError escapes', { timeout: 60_000 }, () => {
  for (const name of Object.keys(SAMPLES) as SampleName[]) {
    const base = sample(name);
    for (let n = 0; n <= base.length; n++)
      for (const parse of PARSERS) onlyWireErrors(base.subarray(0, n), parse);
  }
});

test('mutated pcap and pcapng files: only WireError escapes', { timeout: 120_000 }, () => {
  const rnd = prng(0xcafe);
  const fixtures = ['wire-lo-tcp-udp-icmp.pcap', 'wire-lo-ping.pcapng'].map((f) =>
    Uint8Array.from(readFileSync(new URL(`../../fixtures/${f}`, import.meta.url))),
  );
  for (const file of fixtures) {
    for (let i = 0; i < 1500; i++) {
      const input = mutate(file, rnd);
      onlyWireErrors(input, (b) => {
        let n = 0;
        for (const r of readCapture(b)) {
          assert.ok(r.data.length <= b.length);
          if (++n > 1000) assert.fail('more records than bytes allow');
        }
      });
    }
  }
});

/** View parsers given (buffer, 0, n) inside a larger buffer: the result must not depend on bytes past n. */
const BOUNDED: ((b: Uint8Array, n: number) => unknown)[] = [
  (b, n) => parseEthernet(EthernetView.check(b, 0, n)),
  (b, n) => parseArp(ArpView.check(b, 0, n)),
  (b, n) => parseIpv4(Ipv4View.check(b, 0, n)),
  (b, n) => parseIpv6(Ipv6View.check(b, 0, n)),
  (b, n) => parseIcmpv4(Icmpv4View.check(b, 0, n)),
  (b, n) => parseIcmpv6(Icmpv6View.check(b, 0, n)),
  (b, n) => parseUdp(UdpView.check(b, 0, n)),
  (b, n) => parseTcp(TcpView.check(b, 0, n)),
];

function outcome(f: () => unknown): unknown {
  try {
    return structuredClone(f());
  } catch (e) {
    if (e instanceof WireError) return e.code;
    throw e;
  }
}

test('views never read past their length', { timeout: 60_000 }, () => {
  const rnd = prng(0xb0b);
  for (const name of Object.keys(SAMPLES) as SampleName[]) {
    const base = sample(name);
    for (let i = 0; i < 60; i++) {
      const input = mutate(base, rnd);
      const n = input.length;
      const a = new Uint8Array(n + 64).fill(0xaa);
      const b = new Uint8Array(n + 64).fill(0x55);
      a.set(input);
      b.set(input);
      for (const offset of [0, 14, 20, 34, 40, 54]) {
        if (offset > n) continue;
        for (const parse of BOUNDED) {
          const sa = a.subarray(offset);
          const sb = b.subarray(offset);
          assert.deepEqual(
            outcome(() => parse(sa, n - offset)),
            outcome(() => parse(sb, n - offset)),
            Buffer.from(input).toString('hex'),
          );
        }
      }
    }
  }
});
