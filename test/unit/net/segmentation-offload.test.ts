// TCP segmentation offload on the send side: a segment longer than the MSS (gsoSize set by the
// engine) leaves as one super-frame with a partial checksum, only through a device that segments.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VirtualClock } from '../../../src/link/clock.js';
import { DeviceWrapper } from '../../../src/link/device-wrapper.js';
import { createMemoryWire } from '../../../src/link/memory-wire.js';
import { NetInterface } from '../../../src/net/interface.js';
import { emptySegment } from '../../../src/tcp/segment.js';
import { get16, set16 } from '../../../src/wire/bytes.js';
import { internetChecksum } from '../../../src/wire/checksum.js';
import { arp, ethernet, l4ChecksumOk, OUR_MAC, OUR_V4, PEER_MAC, PEER_V4, v4 } from './frames.js';

/** A device that takes super-frames, as a TAP with a vnet header does; it records what it got. */
class SegmentingDevice extends DeviceWrapper {
  readonly sent: Array<{ frame: Uint8Array; gsoSize: number }> = [];
  constructor(
    inner: ConstructorParameters<typeof DeviceWrapper>[0],
    private readonly offload: boolean,
  ) {
    super(inner);
  }
  override get segmentationOffload(): boolean {
    return this.offload;
  }
  override transmit(frame: Uint8Array, gsoSize = 0): void {
    this.sent.push({ frame: frame.slice(), gsoSize });
  }
}

function setup(offload: boolean) {
  const clock = new VirtualClock(0);
  const wire = createMemoryWire(clock, { mtu: 1500 });
  const device = new SegmentingDevice(wire.a, offload);
  const iface = new NetInterface({ device, clock, mac: OUR_MAC, ipv4: `${OUR_V4}/24`, gateway4: PEER_V4 });
  // The peer's ARP request teaches the interface its MAC.
  wire.b.transmit(
    ethernet('ff:ff:ff:ff:ff:ff', PEER_MAC, 0x0806, arp(1, PEER_MAC, PEER_V4, '00:00:00:00:00:00', OUR_V4)),
  );
  clock.advance(0);
  device.sent.length = 0;
  return { iface, device };
}

const superSegment = () => ({
  ...emptySegment(),
  srcPort: 8080,
  dstPort: 40000,
  seq: 1,
  ack: 1,
  flags: 0x10,
  window: 1000,
  payload: new Uint8Array(3 * 1460).map((_, i) => i & 0xff),
  gsoSize: 1460,
});

test('a segment of three MSS leaves as one frame with gsoSize and a partial checksum', () => {
  const { iface, device } = setup(true);
  assert.equal(iface.segmentationLimit() > 60_000, true);
  assert.equal(iface.sendTcp(v4(OUR_V4), v4(PEER_V4), superSegment()), 'sent');
  assert.equal(device.sent.length, 1);
  const { frame, gsoSize } = device.sent[0];
  assert.equal(gsoSize, 1460);
  assert.equal(frame.length, 14 + 20 + 20 + 3 * 1460, 'larger than the MTU, not fragmented');
  assert.equal(get16(frame, 14 + 2), 20 + 20 + 3 * 1460, 'IPv4 total length covers the whole');
  // The checksum field holds the pseudo-header sum; the device completes it over the segment
  // (csum_start = the TCP header), which then verifies like any checksum.
  const tcp = 14 + 20;
  assert.equal(l4ChecksumOk(frame), false, 'left partial for the device');
  set16(frame, tcp + 16, internetChecksum(frame, tcp, frame.length - tcp));
  assert.equal(l4ChecksumOk(frame), true);
});

test('without a segmenting device a super-segment is refused, never fragmented (RFC 1191 DF)', () => {
  const { iface, device } = setup(false);
  assert.equal(iface.segmentationLimit(), 0);
  assert.equal(iface.sendTcp(v4(OUR_V4), v4(PEER_V4), superSegment()), 'too-big');
  assert.equal(device.sent.length, 0);
  assert.equal(iface.stats().dropped.tooBig, 1);
});
