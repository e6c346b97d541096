// TcpdumpFormatter against lines the real tcpdump 4.99 printed for the same captures (fixtures made by
// test/fixtures/packet/make-fixtures.sh and make-crafted.ts; timestamps in UTC).
process.env.TZ = 'UTC';

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  dissect,
  Ether,
  IP,
  Raw,
  TCP,
  TcpdumpFormatter,
  type TcpdumpOptions,
  UDP,
} from '../../../src/packet/index.js';
import { readCaptureFile } from '../../../src/wire/pcapng.js';
import { cutToTransport, readRecords } from './tcpdump-lines.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/packet/${name}`, import.meta.url));

function ourLines(pcap: string, opts: TcpdumpOptions): string[] {
  const f = new TcpdumpFormatter(opts);
  const out: string[] = [];
  for (const r of readCaptureFile(fixture(pcap)))
    out.push(f.line(r.data, r.linkType, r.seconds, r.nanoseconds, r.origLength));
  return out;
}

function compare(pcap: string, expectedFile: string, opts: TcpdumpOptions): void {
  const expected = readRecords(fixture(expectedFile));
  const ours = ourLines(pcap, opts);
  assert.equal(ours.length, expected.length);
  for (let i = 0; i < ours.length; i++) {
    assert.equal(ours[i], cutToTransport(expected[i], ours[i]), `packet ${i + 1}`);
  }
}

describe('tcpdump -n lines', () => {
  it('real traffic: ARP, ICMP echo, ICMPv6 ND/MLD/RS, TCP handshakes and data, UDP, unreachables, fragments, time exceeded', () =>
    compare('lab.pcap', 'lab.tcpdump.txt', {}));
  it('the same with -e', () => compare('lab.pcap', 'lab.tcpdump-e.txt', { link: true }));
  it('the same with -tt', () => compare('lab.pcap', 'lab.tcpdump-tt.txt', { timestamps: 'epoch' }));
  it('crafted edge cases: mid-stream TCP, SACK, odd options and flags, equal ports, ICMP/ICMPv6 codes, VLANs, extension headers, HTTP', () =>
    compare('crafted.pcap', 'crafted.tcpdump.txt', {}));
  it('crafted edge cases with -e', () => compare('crafted.pcap', 'crafted.tcpdump-e.txt', { link: true }));
  it('needs no cut for these captures: HTTP lines are printed as tcpdump prints them', () => {
    for (const [pcap, file] of [
      ['lab.pcap', 'lab.tcpdump.txt'],
      ['crafted.pcap', 'crafted.tcpdump.txt'],
    ]) {
      const expected = readRecords(fixture(file));
      const ours = ourLines(pcap, {});
      ours.forEach((line, i) => {
        assert.equal(line, expected[i]);
      });
      if (pcap === 'crafted.pcap')
        assert.ok(ours.some((l) => l.endsWith(': HTTP: GET /index.html HTTP/1.1')));
    }
  });
});

describe('TcpdumpFormatter', () => {
  const A = '192.0.2.1';
  const B = '192.0.2.2';
  const seg = (
    src: string,
    dst: string,
    sport: number,
    dport: number,
    flags: string,
    seq: number,
    ack: number,
    data = '',
  ) =>
    Ether()
      .over(IP({ src, dst }))
      .over(TCP({ sport, dport, flags, seq, ack, window: 100 }))
      .over(Raw({ load: data }));

  it('numbers sequence numbers relative to what it saw first, per connection, like tcpdump', () => {
    const f = new TcpdumpFormatter({ timestamps: 'none' });
    const lines = [
      seg(A, B, 1000, 8000, 'S', 100, 0),
      seg(B, A, 8000, 1000, 'SA', 500, 101),
      seg(A, B, 1000, 8000, 'A', 101, 501),
      seg(A, B, 1000, 8000, 'PA', 101, 501, 'abc'),
      seg(B, A, 8000, 1000, 'A', 501, 104),
    ].map((p) => f.formatPacket(p));
    assert.deepEqual(lines, [
      'IP 192.0.2.1.1000 > 192.0.2.2.8000: Flags [S], seq 100, win 100, length 0',
      'IP 192.0.2.2.8000 > 192.0.2.1.1000: Flags [S.], seq 500, ack 101, win 100, length 0',
      'IP 192.0.2.1.1000 > 192.0.2.2.8000: Flags [.], ack 1, win 100, length 0',
      'IP 192.0.2.1.1000 > 192.0.2.2.8000: Flags [P.], seq 1:4, ack 1, win 100, length 3',
      'IP 192.0.2.2.8000 > 192.0.2.1.1000: Flags [.], ack 4, win 100, length 0',
    ]);
  });

  it('prints absolute numbers for the first segment of a connection it joins mid-stream', () => {
    const f = new TcpdumpFormatter({ timestamps: 'none' });
    assert.equal(
      f.formatPacket(seg(A, B, 1000, 8000, 'PA', 7000, 9000, 'xy')),
      'IP 192.0.2.1.1000 > 192.0.2.2.8000: Flags [P.], seq 7000:7002, ack 9000, win 100, length 2',
    );
    assert.equal(
      f.formatPacket(seg(A, B, 1000, 8000, 'PA', 7002, 9000, 'z')),
      'IP 192.0.2.1.1000 > 192.0.2.2.8000: Flags [P.], seq 2:3, ack 1, win 100, length 1',
    );
    f.reset();
    assert.match(f.formatPacket(seg(A, B, 1000, 8000, 'A', 7003, 9000)), /ack 9000/);
  });

  it('formats dissected packets with their capture time', () => {
    const bytes = Ether()
      .over(IP({ src: A, dst: B }))
      .over(UDP({ sport: 1, dport: 2 }))
      .build();
    const p = dissect(bytes);
    p.time = { seconds: 3600 * 5 + 61, nanoseconds: 123456789 };
    assert.equal(
      new TcpdumpFormatter().formatPacket(p),
      '05:01:01.123456 IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0',
    );
    assert.equal(
      new TcpdumpFormatter({ timestamps: 'epoch' }).formatPacket(p),
      '18061.123456 IP 192.0.2.1.1 > 192.0.2.2.2: UDP, length 0',
    );
  });
});
