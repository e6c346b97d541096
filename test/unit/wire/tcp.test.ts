import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { WireError } from '../../../src/wire/errors.js';
import {
  checkTcpStrict,
  emitTcp,
  parseTcp,
  readTcpOptionsInto,
  TcpFlag,
  TcpView,
  tcpFlagsToString,
  tcpHeaderLength,
} from '../../../src/wire/tcp.js';
import { newTcpOptionSummary, parseTcpOptions, type TcpOption } from '../../../src/wire/tcp-options.js';
import { hex, sample, toHex } from './samples.js';

const v4 = (ip: Uint8Array) => ({ src: ip.slice(12, 16), dst: ip.slice(16, 20) });
const v6 = (ip: Uint8Array) => ({ src: ip.slice(8, 24), dst: ip.slice(24, 40) });

test('a real Linux SYN: bytes -> fields -> the same bytes', () => {
  const frame = sample('loSyn');
  const v = TcpView.check(frame, 34);
  assert.equal(v.srcPort, 54772);
  assert.equal(v.dstPort, 47001);
  assert.equal(v.seq, 3720683787);
  assert.equal(v.ack, 0);
  assert.equal(v.headerLength, 40);
  assert.equal(v.flags, TcpFlag.SYN);
  assert.ok(v.syn && !v.ackFlag && !v.fin);
  assert.equal(v.window, 65495);
  assert.equal(v.segmentLength, 1);
  const repr = parseTcp(v);
  assert.deepEqual(repr.options, [
    { kind: 'mss', mss: 65495 },
    { kind: 'sack-permitted' },
    { kind: 'timestamps', tsVal: 135708228, tsEcr: 0 },
    { kind: 'nop' },
    { kind: 'window-scale', shift: 10 },
  ]);
  const out = new Uint8Array(40);
  emitTcp({ ...repr, checksum: v.checksum }, out);
  assert.equal(toHex(out), toHex(frame.subarray(34)));
});

test('SYN-ACK fields and the allocation-free option reader', () => {
  const v = TcpView.check(sample('loSynAck'), 34);
  assert.equal(tcpFlagsToString(v.flags), 'SA');
  assert.equal(v.ack, 3720683788);
  const s = newTcpOptionSummary();
  const blocks = s.sackBlocks;
  assert.ok(readTcpOptionsInto(v, s));
  assert.deepEqual(
    [s.hasMss, s.mss, s.sackPermitted, s.hasWindowScale, s.windowScale, s.hasTimestamps, s.tsVal, s.tsEcr],
    [true, 65495, true, true, 10, true, 664850584, 135708228],
  );
  assert.equal(s.sackBlocks, blocks, 'the preallocated blocks are reused');
});

test('IPv4 SYN with a valid checksum; IPv6 SACK segment', () => {
  const syn = sample('syn');
  const repr = parseTcp(syn.subarray(20), { pseudo: v4(syn), strict: true });
  assert.equal(repr.seq, 1000);
  assert.equal(tcpHeaderLength(repr), 40);
  const out = new Uint8Array(40);
  emitTcp(repr, out, 0, v4(syn));
  assert.equal(toHex(out), toHex(syn.subarray(20)));

  const s6 = sample('sack6');
  const r6 = parseTcp(s6.subarray(40), { pseudo: v6(s6) });
  assert.deepEqual(r6.options, [
    { kind: 'nop' },
    { kind: 'nop' },
    {
      kind: 'sack',
      blocks: [
        { left: 2000, right: 3000 },
        { left: 4000, right: 5000 },
      ],
    },
  ]);
  const out6 = new Uint8Array(s6.length - 40);
  emitTcp(r6, out6, 0, v6(s6));
  assert.equal(toHex(out6), toHex(s6.subarray(40)));
  const sum = newTcpOptionSummary();
  assert.ok(new TcpView(s6, 40).readOptionsInto(sum));
  assert.equal(sum.sackCount, 2);
  assert.deepEqual(sum.sackBlocks.slice(0, 2), [
    { left: 2000, right: 3000 },
    { left: 4000, right: 5000 },
  ]);
  const bad = s6.slice();
  bad[60] ^= 1;
  assert.throws(
    () => parseTcp(bad.subarray(40), { pseudo: v6(bad) }),
    (e: WireError) => e.code === 'bad-checksum',
  );
});

test('options: unknown kinds, odd lengths, EOL and trailing padding survive byte for byte', () => {
  // NOP, kind 30 (MPTCP) len 4, MSS with a wrong length 3, EOL, then non-zero padding.
  const raw = hex('01 1e04abcd 020305 00 0000aa');
  const opts = parseTcpOptions(raw, 0, raw.length);
  assert.deepEqual(opts, [
    { kind: 'nop' },
    { kind: 'unknown', type: 30, data: hex('abcd') },
    { kind: 'unknown', type: 2, data: hex('05') },
    { kind: 'eol' },
    { kind: 'padding', data: hex('0000aa') },
  ]);
  const seg = new Uint8Array(32);
  const n = emitTcp(
    {
      srcPort: 1,
      dstPort: 2,
      seq: 3,
      ack: 4,
      flags: 0x1ff,
      reserved: 7,
      window: 5,
      urgentPointer: 6,
      options: opts,
      payload: hex(''),
    },
    seg,
  );
  assert.equal(n, 32);
  assert.equal(toHex(seg.subarray(20)), toHex(raw));
  const back = parseTcp(seg);
  assert.equal(back.flags, 0x1ff);
  assert.equal(back.reserved, 7);
  assert.equal(tcpFlagsToString(back.flags), 'FSRPAUECN');
});

test('options: length < 2 or past the header is bad-option; the fast reader says false', () => {
  for (const raw of [hex('0201'), hex('020500'), hex('08'), hex('01 1e01')]) {
    assert.throws(
      () => parseTcpOptions(raw, 0, raw.length),
      (e: WireError) => e.code === 'bad-option',
      toHex(raw),
    );
    const seg = new Uint8Array(20 + ((raw.length + 3) & ~3));
    seg.set(raw, 20);
    seg[12] = (seg.length / 4) << 4;
    assert.equal(new TcpView(seg).readOptionsInto(newTcpOptionSummary()), false);
  }
});

test('the view accepts any flags; the strict check rejects what smoltcp rejects', () => {
  const seg = sample('syn').slice(20);
  const v = new TcpView(seg);
  v.flags = TcpFlag.SYN | TcpFlag.FIN;
  assert.doesNotThrow(() => TcpView.check(seg));
  assert.equal(parseTcp(seg).flags, 3);
  assert.throws(
    () => parseTcp(seg, { strict: true }),
    (e: WireError) => e.code === 'bad-flags',
  );
  v.flags = TcpFlag.RST | TcpFlag.ACK;
  assert.doesNotThrow(() => checkTcpStrict(v));
  v.srcPort = 0;
  assert.throws(
    () => checkTcpStrict(v),
    (e: WireError) => e.code === 'bad-field',
  );
});

test('malformed headers', () => {
  const seg = sample('syn').slice(20);
  assert.throws(
    () => TcpView.check(seg.subarray(0, 19)),
    (e: WireError) => e.code === 'truncated',
  );
  seg[12] = 0x40;
  assert.throws(
    () => TcpView.check(seg),
    (e: WireError) => e.code === 'bad-length',
  );
  seg[12] = 0xf0;
  assert.throws(
    () => TcpView.check(seg),
    (e: WireError) => e.code === 'truncated',
  );
  const tooMany: TcpOption[] = Array.from({ length: 41 }, () => ({ kind: 'nop' }));
  assert.throws(
    () =>
      emitTcp(
        {
          srcPort: 1,
          dstPort: 2,
          seq: 0,
          ack: 0,
          flags: 2,
          reserved: 0,
          window: 0,
          urgentPointer: 0,
          options: tooMany,
          payload: hex(''),
        },
        new Uint8Array(100),
      ),
    (e: WireError) => e.code === 'bad-length',
  );
});
