// Device wrappers slotted under an existing interface: order, both directions, and the demo's
// one-shot drop of the Nth data segment.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DropNthDataSegment, tcpPayloadLength } from '../../../src/app/demo/drop-one.js';
import { interposeDevice } from '../../../src/app/link-observers.js';
import type { Device, FrameReceiver } from '../../../src/link/device.js';
import { rxInfo } from '../../../src/link/device.js';
import type { NetInterface } from '../../../src/net/interface.js';
import { Ether, IP, IPv6, Raw, TCP, UDP } from '../../../src/packet/index.js';

class FakeDevice implements Device {
  readonly name = 'fake0';
  readonly linkType = 'ethernet' as const;
  readonly mtu = 1500;
  sent: Uint8Array[] = [];
  receiver: FrameReceiver | null = null;
  transmit(frame: Uint8Array): void {
    this.sent.push(frame);
  }
  flush(): void {}
  setReceiver(r: FrameReceiver): void {
    this.receiver = r;
  }
  close(): void {}
  deliver(frame: Uint8Array): void {
    this.receiver?.(frame, rxInfo(0));
  }
}

/** A recording wrapper: logs "name out"/"name in" and passes frames on. */
function recorder(name: string, log: string[]) {
  return (inner: Device): Device => {
    let up: FrameReceiver | null = null;
    inner.setReceiver((f, i) => {
      log.push(`${name} in`);
      up?.(f, i);
    });
    return {
      name: inner.name,
      linkType: inner.linkType,
      mtu: inner.mtu,
      transmit: (f) => {
        log.push(`${name} out`);
        inner.transmit(f);
      },
      flush: () => inner.flush(),
      setReceiver: (r) => {
        up = r;
      },
      close: () => inner.close(),
    };
  };
}

function fakeIface(device: FakeDevice, log: string[]) {
  const iface = { device, receive: () => log.push('iface in') } as unknown as NetInterface;
  device.setReceiver(iface.receive);
  return iface;
}

test('later wrappers sit nearer the interface; frames pass through all of them both ways', () => {
  const log: string[] = [];
  const device = new FakeDevice();
  const iface = fakeIface(device, log);
  interposeDevice(iface, recorder('first', log));
  interposeDevice(iface, recorder('second', log));
  // The interface keeps calling its own device object:
  iface.device.transmit(new Uint8Array([1]));
  device.deliver(new Uint8Array([2]));
  assert.deepEqual(log, ['second out', 'first out', 'first in', 'second in', 'iface in']);
  assert.equal(device.sent.length, 1);
});

const tcpFrame = (payload: number, v6 = false) =>
  Ether({ src: '02:00:00:00:00:01', dst: '02:00:00:00:00:02' })
    .over(v6 ? IPv6({ src: 'fd00::1', dst: 'fd00::2' }) : IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
    .over(TCP({ sport: 80, dport: 40000, flags: 'PA' }))
    .over(Raw({ load: new Uint8Array(payload) }))
    .build();

test('tcpPayloadLength: IPv4, IPv6, not TCP', () => {
  assert.equal(tcpPayloadLength(tcpFrame(100), 'ethernet'), 100);
  assert.equal(tcpPayloadLength(tcpFrame(0), 'ethernet'), 0);
  assert.equal(tcpPayloadLength(tcpFrame(7, true), 'ethernet'), 7);
  const udp = Ether()
    .over(IP())
    .over(UDP())
    .over(Raw({ load: new Uint8Array(9) }))
    .build();
  assert.equal(tcpPayloadLength(udp, 'ethernet'), -1);
});

test('DropNthDataSegment drops exactly the Nth incoming data segment, once', () => {
  const device = new FakeDevice();
  const drops: number[] = [];
  const dropper = new DropNthDataSegment(device, 2, (len) => drops.push(len));
  const got: number[] = [];
  dropper.setReceiver((f) => got.push(tcpPayloadLength(f, 'ethernet')));
  for (const size of [0, 10, 0, 20, 30, 40, 50]) device.deliver(tcpFrame(size));
  assert.deepEqual(got, [0, 10, 0, 30, 40, 50]);
  assert.deepEqual(drops, [20]);
});
