import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArpOperation, ArpView, emitArp, parseArp } from '../../../src/wire/arp.js';
import { WireError } from '../../../src/wire/errors.js';
import {
  EthernetView,
  EtherType,
  emitEthernet,
  ethernetHeaderLength,
  parseEthernet,
} from '../../../src/wire/ethernet.js';
import { sample, toHex } from './samples.js';

test('Ethernet: bytes -> fields -> the same bytes', () => {
  const frame = sample('arpRequest');
  const v = EthernetView.check(frame);
  assert.equal(v.dst, 'ff:ff:ff:ff:ff:ff');
  assert.equal(v.src, '02:00:00:00:00:01');
  assert.equal(v.etherType, EtherType.ARP);
  assert.equal(v.headerLength, 14);
  assert.ok(v.dstIsMulticast);
  const repr = parseEthernet(v);
  assert.deepEqual(repr, {
    dst: 'ff:ff:ff:ff:ff:ff',
    src: '02:00:00:00:00:01',
    vlans: [],
    etherType: 0x0806,
  });
  const out = new Uint8Array(14);
  assert.equal(emitEthernet(repr, out), 14);
  assert.equal(toHex(out), toHex(frame.subarray(0, 14)));
});

test('Ethernet: 802.1ad + 802.1Q tags', () => {
  const frame = sample('qinq');
  const repr = parseEthernet(frame);
  assert.deepEqual(repr, {
    dst: '02:00:00:00:00:02',
    src: '02:00:00:00:00:01',
    vlans: [
      { tpid: 0x88a8, pcp: 5, dei: false, vid: 100 },
      { tpid: 0x8100, pcp: 3, dei: true, vid: 200 },
    ],
    etherType: EtherType.IPv4,
  });
  assert.equal(ethernetHeaderLength(repr), 22);
  const v = new EthernetView(frame);
  assert.equal(v.payloadOffset, 22);
  assert.equal(v.payload[0], 0x45);
  const out = new Uint8Array(22);
  emitEthernet(repr, out);
  assert.equal(toHex(out), toHex(frame.subarray(0, 22)));
});

test('Ethernet: short frames are truncated, a re-pointed view reads the new frame', () => {
  assert.throws(
    () => EthernetView.check(new Uint8Array(13)),
    (e: WireError) => e.code === 'truncated',
  );
  const tagOnly = sample('qinq').subarray(0, 17);
  assert.throws(() => EthernetView.check(tagOnly), WireError);
  const v = new EthernetView();
  v.checkedWrap(sample('qinq'));
  assert.equal(v.tagCount, 2);
  v.checkedWrap(sample('arpRequest'));
  assert.equal(v.tagCount, 0);
  assert.equal(v.etherType, 0x0806);
});

test('ARP request: bytes -> fields -> the same bytes', () => {
  const frame = sample('arpRequest');
  const v = ArpView.check(frame, 14);
  assert.ok(v.isEthernetIpv4);
  assert.equal(v.operation, ArpOperation.Request);
  const repr = parseArp(v);
  assert.deepEqual(repr, {
    kind: 'ethernet-ipv4',
    operation: 1,
    senderMac: '02:00:00:00:00:01',
    senderIp: '10.0.0.1',
    targetMac: '00:00:00:00:00:00',
    targetIp: '10.0.0.2',
  });
  const out = new Uint8Array(28);
  assert.equal(emitArp(repr, out), 28);
  assert.equal(toHex(out), toHex(frame.subarray(14)));
});

test('ARP with another hardware type is kept raw and re-emitted exactly', () => {
  // Hardware type 6 (IEEE 802), 4-byte hardware addresses, protocol 0x0800, reply, + 2 padding bytes.
  const pkt = Uint8Array.from([
    0, 6, 8, 0, 4, 4, 0, 2, 1, 2, 3, 4, 10, 0, 0, 1, 5, 6, 7, 8, 10, 0, 0, 2, 0xaa, 0xbb,
  ]);
  const repr = parseArp(pkt);
  assert.equal(repr.kind, 'raw');
  if (repr.kind !== 'raw') return;
  assert.deepEqual([...repr.targetHardware], [5, 6, 7, 8]);
  const out = new Uint8Array(24);
  assert.equal(emitArp(repr, out), 24);
  assert.equal(toHex(out), toHex(pkt.subarray(0, 24)));
  assert.throws(
    () => parseArp(pkt.subarray(0, 20)),
    (e: WireError) => e.code === 'truncated',
  );
});

test('ARP header fields can be set by hand (crafting); the addresses stay in place', () => {
  const bytes = sample('arpRequest').slice(14);
  const v = new ArpView(bytes);
  const before = toHex(bytes.subarray(8));
  v.hardwareType = 0x0006;
  v.protocolType = 0x86dd;
  v.hardwareLength = 8;
  v.protocolLength = 16;
  assert.deepEqual([v.hardwareType, v.protocolType, v.hardwareLength, v.protocolLength], [6, 0x86dd, 8, 16]);
  assert.equal(toHex(bytes.subarray(0, 6)), '000686dd0810');
  assert.equal(toHex(bytes.subarray(8)), before);
});
