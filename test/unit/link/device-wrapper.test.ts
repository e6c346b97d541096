import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type Device, type FrameReceiver, type RxInfo, rxInfo } from '../../../src/link/device.js';
import { DeviceWrapper } from '../../../src/link/device-wrapper.js';

/** Counts what reaches it and can play frames into its receiver. */
class FakeDevice implements Device {
  readonly name = 'fake0';
  readonly linkType = 'ip' as const;
  readonly mtu = 1280;
  sent: Uint8Array[] = [];
  flushes = 0;
  closes = 0;
  receiver: FrameReceiver | null = null;
  transmit(frame: Uint8Array): void {
    this.sent.push(frame);
  }
  flush(): void {
    this.flushes++;
  }
  setReceiver(receiver: FrameReceiver): void {
    this.receiver = receiver;
  }
  close(): void {
    this.closes++;
  }
  inject(frame: Uint8Array, info: RxInfo = rxInfo(7)): void {
    this.receiver?.(frame, info);
  }
}

class PlainWrapper extends DeviceWrapper {}

/** Drops incoming frames whose first byte is 0 and outgoing ones whose first byte is 1. */
class FilteringWrapper extends DeviceWrapper {
  protected override receiveFrame(frame: Uint8Array, info: RxInfo): void {
    if (frame[0] !== 0) this.deliver(frame, info);
  }
  override transmit(frame: Uint8Array): void {
    if (frame[0] !== 1) this.inner.transmit(frame);
  }
}

test('a wrapper stands for its inner device: name, link type, MTU', () => {
  const inner = new FakeDevice();
  const w = new PlainWrapper(inner);
  assert.equal(w.inner, inner);
  assert.deepEqual([w.name, w.linkType, w.mtu], ['fake0', 'ip', 1280]);
});

test('by default frames pass both ways and flush/close reach the inner device', () => {
  const inner = new FakeDevice();
  const w = new PlainWrapper(inner);
  const got: [Uint8Array, RxInfo][] = [];
  w.setReceiver((frame, info) => got.push([frame, info]));
  const a = Uint8Array.of(1, 2, 3);
  const info = rxInfo(42);
  inner.inject(a, info);
  assert.equal(got.length, 1);
  assert.equal(got[0][0], a);
  assert.equal(got[0][1], info);
  const b = Uint8Array.of(4);
  w.transmit(b);
  assert.deepEqual(inner.sent, [b]);
  w.flush();
  w.close();
  assert.equal(inner.flushes, 1);
  assert.equal(inner.closes, 1);
});

test('frames received before a receiver is set are dropped; setting it again replaces it', () => {
  const inner = new FakeDevice();
  const w = new PlainWrapper(inner);
  inner.inject(Uint8Array.of(9));
  const first: number[] = [];
  const second: number[] = [];
  w.setReceiver((f) => first.push(f[0]));
  inner.inject(Uint8Array.of(1));
  w.setReceiver((f) => second.push(f[0]));
  inner.inject(Uint8Array.of(2));
  assert.deepEqual(first, [1]);
  assert.deepEqual(second, [2]);
});

test('overridden hooks decide what passes in and out', () => {
  const inner = new FakeDevice();
  const w = new FilteringWrapper(inner);
  const got: number[] = [];
  w.setReceiver((f) => got.push(f[0]));
  for (const b of [0, 1, 2]) inner.inject(Uint8Array.of(b));
  for (const b of [0, 1, 2]) w.transmit(Uint8Array.of(b));
  assert.deepEqual(got, [1, 2]);
  assert.deepEqual(
    inner.sent.map((f) => f[0]),
    [0, 2],
  );
});
