import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { WireError } from '../../../src/wire/errors.js';
import {
  type CaptureRecord,
  PcapWriter,
  parsePcapHeader,
  readPcap,
  readPcapFile,
} from '../../../src/wire/pcap.js';
import { LinkType, linkPayload } from '../../../src/wire/pcap-link.js';
import { forEachRecord, readCapture, readCaptureFile, readPcapng } from '../../../src/wire/pcapng.js';
import { sample, toHex } from './samples.js';

const FIXTURES = new URL('../../fixtures/', import.meta.url).pathname;

function tempDir(t: { after: (fn: () => void) => void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'synack-pcap-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

test('pcap written in microseconds reads back, from memory and streamed from disk', (t) => {
  const path = join(tempDir(t), 'us.pcap');
  const w = new PcapWriter(path, { linkType: LinkType.Ethernet, bufferSize: 64 });
  const frames = [sample('loSyn'), sample('arpRequest'), sample('qinq')];
  w.write(frames[0], 1_700_000_000_123.456);
  w.write(frames[1], 1_700_000_001_000);
  w.write(frames[2], 1_700_000_002_999n * 1_000_000n + 999_999n);
  w.close();
  w.close();
  for (const records of [[...readPcap(readFileSync(path))], [...readPcapFile(path)]]) {
    assert.equal(records.length, 3);
    assert.deepEqual(
      records.map((r) => [r.seconds, r.nanoseconds, r.linkType, r.origLength, r.interfaceId]),
      [
        [1_700_000_000, 123_456_000, 1, 74, 0],
        [1_700_000_001, 0, 1, 42, 0],
        [1_700_000_002, 999_999_000, 1, frames[2].length, 0],
      ],
    );
    assert.deepEqual(
      records.map((r) => toHex(r.data)),
      frames.map(toHex),
    );
  }
  const h = parsePcapHeader(readFileSync(path));
  assert.deepEqual(h, {
    nanosecond: false,
    littleEndian: true,
    versionMajor: 2,
    versionMinor: 4,
    snaplen: 262144,
    linkType: 1,
  });
});

test('pcap in nanoseconds to an fd, with snaplen cutting frames', (t) => {
  const path = join(tempDir(t), 'ns.pcap');
  const fd = openSync(path, 'w');
  const w = new PcapWriter(fd, { linkType: LinkType.Raw, resolution: 'ns', snaplen: 40 });
  const syn = sample('syn');
  w.write(syn, 1_234_567_890_123_456_789n);
  w.flush();
  w.write(syn.subarray(0, 20), 5);
  w.close();
  const records = [...readPcapFile(path)];
  assert.equal(parsePcapHeader(readFileSync(path)).nanosecond, true);
  assert.deepEqual(
    records.map((r) => [r.seconds, r.nanoseconds, r.data.length, r.origLength, r.linkType]),
    [
      [1_234_567_890, 123_456_789, 40, 60, 101],
      [0, 5_000_000, 20, 20, 101],
    ],
  );
  assert.equal(toHex(records[0].data), toHex(syn.subarray(0, 40)));
});

test('tcpdump reads what PcapWriter wrote', (t) => {
  const path = join(tempDir(t), 'for-tcpdump.pcap');
  const w = new PcapWriter(path, { resolution: 'ns' });
  w.write(sample('loEchoRequest'), 1_000_000_000_000);
  w.write(sample('arpRequest'), 1_000_000_000_500);
  w.close();
  const out = execFileSync('tcpdump', ['-nn', '-r', path], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const lines = out.trim().split('\n');
  assert.equal(lines.length, 2);
  assert.match(lines[0], /IP 127\.0\.0\.1 > 127\.0\.0\.1: ICMP echo request, id 14402, seq 1, length 64/);
  assert.match(lines[1], /ARP, Request who-has 10\.0\.0\.2 tell 10\.0\.0\.1/);
});

test('a pcap captured by tcpdump on lo', () => {
  const records = [...readCaptureFile(join(FIXTURES, 'wire-lo-tcp-udp-icmp.pcap'))];
  assert.equal(records.length, 14);
  assert.deepEqual(
    [records[0].seconds, records[0].nanoseconds, records[0].linkType, records[0].origLength],
    [1795747526, 391170000, 1, 74],
  );
  assert.equal(toHex(records[0].data), toHex(sample('loSyn')));
  assert.equal(toHex(records[9].data), toHex(sample('loPortUnreachable')));
  assert.equal(records[2].data.length, 66);
  assert.deepEqual(linkPayload(records[12].linkType, records[12].data), { etherType: 0x86dd, offset: 0 });
});

test('a pcapng captured by dumpcap on lo (if_tsresol 9)', () => {
  const records = [...readCaptureFile(join(FIXTURES, 'wire-lo-ping.pcapng'))];
  assert.equal(records.length, 6);
  assert.deepEqual(
    records.map((r) => [r.seconds, r.nanoseconds, r.data.length, r.origLength, r.interfaceId, r.linkType]),
    [
      [1795747532, 531512942, 98, 98, 0, 1],
      [1795747532, 531522511, 98, 98, 0, 1],
      [1795747532, 732202311, 98, 98, 0, 1],
      [1795747532, 732215145, 98, 98, 0, 1],
      [1795747532, 734546666, 118, 118, 0, 1],
      [1795747532, 734554912, 118, 118, 0, 1],
    ],
  );
  assert.equal(records[0].data[34], 8, 'ICMP echo request');
});

/** Builds pcapng blocks in either byte order. */
function blocks(le: boolean, list: [number, number[]][]): Uint8Array {
  const out: number[] = [];
  const u32 = (v: number) => {
    const b = [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
    return le ? b.reverse() : b;
  };
  for (const [type, body] of list) {
    const padded = [...body, ...new Array((4 - (body.length % 4)) % 4).fill(0)];
    const len = 12 + padded.length;
    out.push(...u32(type), ...u32(len), ...padded, ...u32(len));
  }
  return Uint8Array.from(out);
}

function pcapngSample(le: boolean): Uint8Array {
  const u16 = (v: number) => (le ? [v & 255, v >> 8] : [v >> 8, v & 255]);
  const u32 = (v: number) => {
    const b = [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
    return le ? b.reverse() : b;
  };
  const frame = [...sample('syn')];
  return blocks(le, [
    [0x0a0d0d0a, [...u32(0x1a2b3c4d), ...u16(1), ...u16(0), ...u32(0xffffffff), ...u32(0xffffffff)]],
    [1, [...u16(LinkType.Ipv4), 0, 0, ...u32(0)]], // interface 0, default microseconds
    // interface 1: if_tsresol = 2^-10 and if_tsoffset = 100 s, raw IP
    [
      1,
      [
        ...u16(LinkType.Raw),
        0,
        0,
        ...u32(65535),
        ...u16(9),
        ...u16(1),
        0x8a,
        0,
        0,
        0,
        ...u16(14),
        ...u16(8),
        ...(le ? [100, 0, 0, 0, 0, 0, 0, 0] : [0, 0, 0, 0, 0, 0, 0, 100]),
        ...u16(0),
        ...u16(0),
      ],
    ],
    [0x0badcafe, [1, 2, 3, 4, 5]], // unknown block: skipped
    [6, [...u32(1), ...u32(0), ...u32(3 * 1024 + 512), ...u32(frame.length), ...u32(frame.length), ...frame]],
    [6, [...u32(0), ...u32(1), ...u32(1_000_001), ...u32(20), ...u32(frame.length), ...frame.slice(0, 20)]],
    [3, [...u32(frame.length), ...frame]], // simple packet block: interface 0, no timestamp
  ]);
}

test('pcapng in both byte orders: several interfaces, tsresol/tsoffset, EPB, SPB, unknown blocks', () => {
  for (const le of [true, false]) {
    const records: CaptureRecord[] = [...readCapture(pcapngSample(le))];
    assert.deepEqual(
      records.map((r) => [r.interfaceId, r.linkType, r.seconds, r.nanoseconds, r.data.length, r.origLength]),
      [
        [1, 101, 103, 500_000_000, 60, 60],
        [0, 228, 4295, 967_297_000, 20, 60], // (2^32 + 1000001) µs,
        [0, 228, 0, 0, 60, 60],
      ],
      le ? 'little-endian' : 'big-endian',
    );
  }
});

test('pcap and pcapng: corrupt files are WireErrors', (t) => {
  const pcap = readFileSync(join(FIXTURES, 'wire-lo-tcp-udp-icmp.pcap'));
  assert.equal(
    codeOf(() => [...readPcap(pcap.subarray(0, 10))]),
    'bad-format',
  );
  assert.equal(
    codeOf(() => [...readPcap(pcap.subarray(0, pcap.length - 3))]),
    'truncated',
  );
  const badMagic = Uint8Array.from(pcap);
  badMagic[0] = 0;
  assert.equal(
    codeOf(() => [...readPcap(badMagic)]),
    'bad-format',
  );
  const ng = pcapngSample(true);
  assert.equal(
    codeOf(() => [...readPcapng(ng.subarray(0, ng.length - 2))]),
    'truncated',
  );
  const badLen = ng.slice();
  badLen[4] = 13;
  assert.equal(
    codeOf(() => [...readPcapng(badLen)]),
    'bad-length',
  );
  const path = join(tempDir(t), 'cut.pcap');
  writeFileSync(path, pcap.subarray(0, pcap.length - 1));
  assert.equal(
    codeOf(() => [...readPcapFile(path)]),
    'truncated',
  );
});

test('big-endian microsecond pcap', () => {
  const syn = sample('syn');
  const be = new Uint8Array(24 + 16 + syn.length);
  const dv = new DataView(be.buffer);
  dv.setUint32(0, 0xa1b2c3d4);
  dv.setUint16(4, 2);
  dv.setUint16(6, 4);
  dv.setUint32(16, 65535);
  dv.setUint32(20, LinkType.Ipv4);
  dv.setUint32(24, 42);
  dv.setUint32(28, 7);
  dv.setUint32(32, syn.length);
  dv.setUint32(36, 1500);
  be.set(syn, 40);
  const [r] = [...readCapture(be)];
  assert.deepEqual(
    [r.seconds, r.nanoseconds, r.linkType, r.origLength, r.data.length],
    [42, 7000, 228, 1500, 60],
  );
});

test('link headers: null/loopback and Linux cooked (SLL)', () => {
  const ip = sample('syn');
  const withHeader = (h: number[]) => Uint8Array.from([...h, ...ip]);
  assert.deepEqual(linkPayload(LinkType.Null, withHeader([2, 0, 0, 0])), { etherType: 0x0800, offset: 4 });
  assert.deepEqual(linkPayload(LinkType.Null, withHeader([0, 0, 0, 30])), { etherType: 0x86dd, offset: 4 });
  const sll = [0, 0, 0, 1, 0, 6, 2, 0, 0, 0, 0, 1, 0, 0, 0x08, 0x00];
  assert.deepEqual(linkPayload(LinkType.LinuxSll, withHeader(sll)), { etherType: 0x0800, offset: 16 });
  assert.deepEqual(linkPayload(LinkType.Raw, ip), { etherType: 0x0800, offset: 0 });
  assert.throws(() => linkPayload(LinkType.LinuxSll, ip.subarray(0, 10)), WireError);
  assert.throws(
    () => linkPayload(147, ip),
    (e: WireError) => e.code === 'unsupported',
  );
});

test('files stream in chunks of any size with the records read from memory', () => {
  for (const name of ['packet/lab.pcap', 'packet/lab.pcapng', 'wire-lo-ping.pcapng']) {
    const path = join(FIXTURES, name);
    const expected = [...readCapture(readFileSync(path))];
    assert.ok(expected.length > 0, name);
    for (const chunk of [1, 17, 64, 100, 4096, undefined]) {
      const got = [...readCaptureFile(path, chunk)];
      assert.equal(got.length, expected.length, `${name} in chunks of ${chunk}`);
      got.forEach((r, i) => {
        const want = expected[i];
        assert.equal(toHex(r.data), toHex(want.data), `${name} record ${i}, chunks of ${chunk}`);
        assert.deepEqual(
          [r.seconds, r.nanoseconds, r.linkType, r.origLength, r.interfaceId],
          [want.seconds, want.nanoseconds, want.linkType, want.origLength, want.interfaceId],
        );
      });
    }
  }
});

test('forEachRecord visits the same records with one reused object, and stops when told', () => {
  for (const name of ['packet/lab.pcap', 'packet/lab.pcapng']) {
    const path = join(FIXTURES, name);
    const expected = [...readCaptureFile(path)].map((r) => toHex(r.data));
    const seen: string[] = [];
    const objects = new Set<CaptureRecord>();
    forEachRecord(path, (r) => {
      seen.push(toHex(r.data));
      objects.add(r);
      return undefined;
    });
    assert.deepEqual(seen, expected, name);
    if (name.endsWith('.pcap')) assert.equal(objects.size, 1, 'pcap records reuse one object');
    let n = 0;
    forEachRecord(path, () => ++n < 5);
    assert.equal(n, 5);
  }
});

test('a cut file fails the same streamed as from memory, at any chunk size', (t) => {
  const dir = tempDir(t);
  for (const name of ['packet/lab.pcap', 'packet/lab.pcapng']) {
    const whole = readFileSync(join(FIXTURES, name));
    for (const cut of [3, 20, 30, whole.length - 1]) {
      const path = join(dir, `cut-${cut}`);
      writeFileSync(path, whole.subarray(0, cut));
      const fromMemory = codeOf(() => [...readCapture(whole.subarray(0, cut))]);
      assert.notEqual(fromMemory, 'ok');
      for (const chunk of [1, 64, undefined])
        assert.equal(
          codeOf(() => [...readCaptureFile(path, chunk)]),
          fromMemory,
          `${name} cut at ${cut}`,
        );
    }
  }
});

function codeOf(fn: () => unknown): string {
  try {
    fn();
    return 'ok';
  } catch (e) {
    assert.ok(e instanceof WireError, String(e));
    return e.code;
  }
}
