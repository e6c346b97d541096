// show(), summary(), hexdump(), toJSON(). summary and hexdump strings are what Scapy 2.5 prints for
// the same packets; show() is Scapy's layout (snapshot).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  ARP,
  dissect,
  Ether,
  hexdump,
  ICMP,
  IP,
  IPv6,
  type Packet,
  Raw,
  TCP,
  UDP,
} from '../../../src/packet/index.js';
import { readCaptureFile } from '../../../src/wire/pcapng.js';

const M1 = '02:00:00:00:00:01';
const M2 = '02:00:00:00:00:02';
const syn = () =>
  Ether({ src: M1, dst: M2 })
    .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
    .over(TCP({ sport: 1234, dport: 80, flags: 'S', options: [['MSS', 1460], ['NOP'], ['WScale', 7]] }))
    .over(Raw({ load: 'GET /\r\n' }));

describe('summary', () => {
  it('matches Scapy', () => {
    const cases: [Packet, string][] = [
      [
        Ether({ src: M1, dst: M2 })
          .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
          .over(TCP({ sport: 1234, dport: 80, flags: 'S' })),
        'Ether / IP / TCP 10.0.0.1:1234 > 10.0.0.2:http S',
      ],
      [
        IP({ src: '10.1.1.1', dst: '10.2.2.2' })
          .over(UDP({ sport: 5353, dport: 53 }))
          .over(Raw({ load: 'hello' })),
        'IP / UDP 10.1.1.1:mdns > 10.2.2.2:domain / Raw',
      ],
      [
        IP({ src: '10.0.0.1', dst: '10.0.0.2' }).over(ICMP({ type: 8 })),
        'IP / ICMP 10.0.0.1 > 10.0.0.2 echo-request 0',
      ],
      [
        Ether({ src: M1, dst: 'ff:ff:ff:ff:ff:ff' }).over(
          ARP({ op: 1, hwsrc: M1, psrc: '10.0.0.1', pdst: '10.0.0.2' }),
        ),
        'Ether / ARP who has 10.0.0.2 says 10.0.0.1',
      ],
      [
        Ether({ src: M1, dst: M2 })
          .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
          .over(TCP({ sport: 1234, dport: 80, flags: 'S' }))
          .over(Raw({ load: 'x' })),
        'Ether / IP / TCP 10.0.0.1:1234 > 10.0.0.2:http S / Raw',
      ],
      [
        IPv6({ src: '2001:db8::1', dst: '2001:db8::2' }).over(UDP({ sport: 1000, dport: 2000 })),
        'IPv6 / UDP 2001:db8::1:1000 > 2001:db8::2:2000',
      ],
    ];
    for (const [p, s] of cases) assert.equal(p.summary(), s);
  });
});

describe('hexdump', () => {
  it('matches Scapy', () => {
    assert.equal(
      syn().hexdump(),
      [
        '0000  02 00 00 00 00 02 02 00 00 00 00 01 08 00 45 00  ..............E.',
        '0010  00 37 00 01 00 00 40 06 66 BE 0A 00 00 01 0A 00  .7....@.f.......',
        '0020  00 02 04 D2 00 50 00 00 00 00 00 00 00 00 70 02  .....P........p.',
        '0030  20 00 76 7A 00 00 02 04 05 B4 01 03 03 07 47 45   .vz..........GE',
        '0040  54 20 2F 0D 0A                                   T /..',
      ].join('\n'),
    );
    assert.equal(hexdump(new Uint8Array(0)), '');
  });
});

describe('show', () => {
  it('lists every field of every layer; unset auto fields are None', () => {
    assert.equal(
      syn().show(),
      `###[ Ethernet ]### 
  dst       = 02:00:00:00:00:02
  src       = 02:00:00:00:00:01
  type      = IPv4
###[ IP ]### 
     version   = 4
     ihl       = None
     tos       = 0x0
     len       = None
     id        = 1
     flags     = 
     frag      = 0
     ttl       = 64
     proto     = tcp
     chksum    = None
     src       = 10.0.0.1
     dst       = 10.0.0.2
     options   = b''
###[ TCP ]### 
        sport     = 1234
        dport     = 80
        seq       = 0
        ack       = 0
        dataofs   = None
        reserved  = 0
        flags     = S
        window    = 8192
        chksum    = None
        urgptr    = 0
        options   = [('MSS', 1460), ('NOP', None), ('WScale', 7)]
###[ Raw ]### 
           load      = b'GET /\\r\\n'`,
    );
  });
  it('shows the values a dissected packet carries', () => {
    const s = dissect(syn().build()).show();
    assert.match(s, /ihl {7}= 5\n/);
    assert.match(s, /len {7}= 55\n/);
    assert.match(s, /chksum {4}= 0x66be\n/);
    assert.match(s, /dataofs {3}= 7\n/);
    assert.match(s, /chksum {4}= 0x767a\n/);
  });
});

describe('toJSON', () => {
  it('gives each layer with its fields', () => {
    const j = dissect(syn().build()).toJSON();
    assert.deepEqual(
      j.map((l) => l.layer),
      ['Ether', 'IP', 'TCP', 'Raw'],
    );
    assert.equal(j[1].src, '10.0.0.1');
    assert.equal(j[2].flags, 'S');
    assert.deepEqual(j[2].options, [
      { kind: 'mss', mss: 1460 },
      { kind: 'nop' },
      { kind: 'window-scale', shift: 7 },
    ]);
    assert.equal(j[3].load, Buffer.from('GET /\r\n').toString('hex'));
    assert.doesNotThrow(() => JSON.stringify(j));
  });
});

describe('every layer of the fixture captures', () => {
  it('shows, summarizes, dumps and serializes without throwing', () => {
    const seen = new Set<string>();
    for (const name of ['lab.pcap', 'crafted.pcap']) {
      const path = fileURLToPath(new URL(`../../fixtures/packet/${name}`, import.meta.url));
      for (const rec of readCaptureFile(path)) {
        const p = dissect(rec.data, rec.linkType);
        for (const l of p.layers) seen.add(l.summaryName);
        const shown = p.show();
        assert.equal(shown.split('###[').length - 1, p.layers.length);
        assert.ok(p.summary().length > 0);
        assert.equal(p.hexdump().split('\n').length, Math.ceil(rec.data.length / 16));
        JSON.parse(JSON.stringify(p.toJSON()));
      }
    }
    for (const name of [
      'Ether',
      'Dot1Q',
      'ARP',
      'IP',
      'IPv6',
      'TCP',
      'UDP',
      'ICMP',
      'Raw',
      'Padding',
      'IPv6ExtHdrHopByHop',
      'IPv6ExtHdrFragment',
      'IPv6ExtHdrRouting',
      'ICMPv6ND_NS',
      'ICMPv6ND_RA',
      'ICMPv6EchoRequest',
      'ICMPv6DestUnreach',
    ]) {
      assert.ok(seen.has(name), `fixtures cover ${name}`);
    }
  });
});
