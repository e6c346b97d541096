// readPcap / writePcap: packets over src/wire's capture file reader.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { Ether, IP, IPv6, type Packet, readPcap, TCP, UDP, writePcap } from '../../../src/packet/index.js';

const fixture = (name: string): string =>
  fileURLToPath(new URL(`../../fixtures/packet/${name}`, import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'synack-pcap-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('readPcap / writePcap', () => {
  it('write then read gives the same packets, bytes and times', () => {
    const file = join(dir, 'rt.pcap');
    const pkts: Packet[] = [
      Ether()
        .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
        .over(TCP({ flags: 'S' })),
      Ether().over(IPv6()).over(UDP()),
    ];
    pkts[0].time = { seconds: 1700000000, nanoseconds: 123456000 };
    pkts[1].time = { seconds: 1700000001, nanoseconds: 0 };
    assert.equal(writePcap(file, pkts), 2);
    const back = [...readPcap(file)];
    assert.equal(back.length, 2);
    assert.equal(hex(back[0].build()), hex(pkts[0].build()));
    assert.deepEqual(back[0].time, pkts[0].time);
    assert.equal(back[1].get(UDP).sport, 53);
    assert.equal(back[0].linkType, 1);
  });

  it('writes raw-IP captures and nanosecond resolution', () => {
    const file = join(dir, 'raw.pcap');
    const p = IP().over(UDP());
    p.time = { seconds: 5, nanoseconds: 7 };
    writePcap(file, [p], { linktype: 'ip', resolution: 'ns' });
    const [back] = [...readPcap(file)];
    assert.equal(back.linkType, 101);
    assert.deepEqual(back.time, { seconds: 5, nanoseconds: 7 });
    assert.deepEqual(back.layerNames(), ['IP', 'UDP']);
  });

  it('reads pcapng', () => {
    const ng = [...readPcap(fixture('lab.pcapng'))];
    const classic = [...readPcap(fixture('lab.pcap'))];
    assert.equal(ng.length, classic.length);
    ng.forEach((p, i) => {
      assert.equal(hex(p.build()), hex(classic[i].build()));
    });
  });
});
