// The uplink check (root): no frame of the lab's prefixes (10.77.0.0/16, fd77::/16) and no DNS may
// leave the host through an uplink while the integration suite runs. scripts/run-tests.mjs watches
// every uplink with tcpdump (scripts/uplink-watch.mjs) over the integration files, stops it, and runs
// this file last with SYNACK_UPLINK_CAPTURE set to the watch directory.
// Run alone (variable unset), the file watches the uplinks for its own short run instead: that
// proves the watch starts, captures and stops cleanly, not that the suite leaks nothing. It never
// skips and creates no lab state. A second test proves the check can fail at all: the same filter
// on loopback must catch a datagram to port 53.
import assert from 'node:assert/strict';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, statSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type TestContext, test } from 'node:test';
import {
  framesOf,
  LEAK_FILTER,
  readWatch,
  startWatch,
  uplinks,
  type WatchedUplink,
} from '../../../scripts/uplink-watch.mjs';

// Generous for a loaded machine: tcpdump writes a frame to its file within milliseconds.
const FRAME_DEADLINE_MS = 10_000;
const PCAP_HEADER_BYTES = 24;

test(`no frame matching "${LEAK_FILTER}" left the host through an uplink`, async (t) => {
  const dir = process.env.SYNACK_UPLINK_CAPTURE ?? (await ownWatch(t));
  const watched = readWatch(dir);
  if (watched.length === 0) {
    // A true fact, not a skip: with no default route there is no uplink for a frame to leave by.
    const now = uplinks();
    assert.deepEqual(
      now,
      [],
      `the watch covered no uplink, but the host has default routes via ${now.join(', ')}`,
    );
    t.diagnostic('no default route in this network namespace: the host has no uplink');
    return;
  }
  for (const uplink of watched) assertNoLeak(uplink);
});

test('the watch catches a frame its filter matches (a datagram to port 53 over loopback)', async (t) => {
  const dir = tempDir(t);
  const loopback = await startWatch(dir, ['lo']);
  t.after(() => loopback.kill());
  const pcap = join(dir, 'lo.pcap');
  const grown = untilLarger(pcap, PCAP_HEADER_BYTES, FRAME_DEADLINE_MS);
  // 127.53.53.53 stays on lo (all of 127/8 is local); nothing there is a resolver worth asking.
  await sendDatagram('127.53.53.53', 53, 'synack uplink-watch control, not a DNS query');
  await grown;
  await loopback.stop();
  const [lo] = readWatch(dir);
  assert.ok(lo.cleanStop, `tcpdump on lo did not stop cleanly: ${lo.stderr}`);
  const frames = framesOf(lo.pcap);
  assert.ok(frames.length >= 1, 'the watch caught nothing on loopback');
  assert.match(frames[0], / > 127\.53\.53\.53\.53: /);
});

function assertNoLeak(uplink: WatchedUplink): void {
  assert.ok(uplink.cleanStop, `tcpdump on ${uplink.iface} did not run to the end: ${uplink.stderr}`);
  const dropped = /(\d+) packets? dropped by kernel/.exec(uplink.stderr);
  assert.equal(dropped?.[1], '0', `the watch on ${uplink.iface} missed frames: ${uplink.stderr}`);
  const frames = framesOf(uplink.pcap);
  const shown = frames.map((line) => `  ${line}`).join('\n');
  assert.equal(frames.length, 0, `${frames.length} frame(s) left through ${uplink.iface}:\n${shown}`);
}

/** The watch for a run of this file alone: start, then stop at once, over every uplink. */
async function ownWatch(t: TestContext): Promise<string> {
  const dir = tempDir(t);
  const ifaces = uplinks();
  t.diagnostic(
    `SYNACK_UPLINK_CAPTURE is not set: watching ${ifaces.join(', ') || 'no uplink'} for this file's ` +
      'own run only (the suite-wide watch runs under npm run test:integration)',
  );
  const own = await startWatch(dir, ifaces);
  t.after(() => own.kill());
  await own.stop();
  return dir;
}

function tempDir(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'synack-uplink-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function sendDatagram(address: string, port: number, text: string): Promise<void> {
  const socket = createSocket('udp4');
  return new Promise<void>((resolve, reject) => {
    socket.send(text, port, address, (err) => (err ? reject(err) : resolve()));
  }).finally(() => socket.close());
}

/** Resolves once the file is larger than `size` (inotify, not polling); rejects after `ms`. */
function untilLarger(path: string, size: number, ms: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const watcher = watch(path);
    const timer = setTimeout(() => done(new Error(`${path} did not grow within ${ms / 1000} s`)), ms);
    function done(err?: Error) {
      clearTimeout(timer);
      watcher.close();
      if (err) reject(err);
      else resolve();
    }
    const check = () => {
      if (statSync(path).size > size) done();
    };
    watcher.on('change', check);
    check();
  });
}
