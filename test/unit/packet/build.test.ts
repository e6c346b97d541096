// Builders and auto fields: the bytes must equal what Scapy 2.5 builds for the same layers
// (expected hex produced with Debian's python3-scapy, `bytes(...).hex()`, shown next to each case).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ARP,
  Dot1Q,
  Ether,
  Fragment,
  HopByHop,
  ICMP,
  ICMPv6EchoRequest,
  ICMPv6ND_NA,
  ICMPv6ND_NS,
  ICMPv6ND_RS,
  IP,
  IPv6,
  Packet,
  Raw,
  TCP,
  UDP,
} from '../../../src/packet/index.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');
const M1 = '02:00:00:00:00:01';
const M2 = '02:00:00:00:00:02';

const cases: [string, () => Packet, string][] = [
  [
    // Ether(src=M1, dst=M2)/IP(src='10.0.0.1', dst='10.0.0.2')/TCP(sport=1234, dport=80, flags='S', seq=1000,
    //   options=[('MSS',1460),('SAckOK',b''),('Timestamp',(1,0)),('NOP',None),('WScale',7)])
    'Ether/IP/TCP SYN with options',
    () =>
      Ether({ src: M1, dst: M2 })
        .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
        .over(
          TCP({
            sport: 1234,
            dport: 80,
            flags: 'S',
            seq: 1000,
            options: [['MSS', 1460], ['SAckOK', ''], ['Timestamp', [1, 0]], ['NOP'], ['WScale', 7]],
          }),
        ),
    '02000000000202000000000108004500003c00010000400666b90a0000010a00000204d20050000003e800000000a00220000af30000020405b40402080a000000010000000001030307',
  ],
  [
    'Ether/IP/TCP with every default',
    () =>
      Ether({ src: M1, dst: M2 })
        .over(IP({ src: '10.0.0.1', dst: '10.0.0.2' }))
        .over(TCP()),
    '02000000000202000000000108004500002800010000400666cd0a0000010a000002001400500000000000000000500220007b7c0000',
  ],
  [
    'IP/TCP PA with a payload, DF, ttl 63',
    () =>
      new Packet([
        IP({ src: '192.0.2.1', dst: '198.51.100.7', id: 4242, flags: 'DF', ttl: 63 }),
        TCP({ sport: 40000, dport: 8080, flags: 'PA', seq: 123456789, ack: 987654321, window: 502 }),
        Raw({ load: 'GET / HTTP/1.1\r\n\r\n' }),
      ]),
    '4500003a109240003f063ef0c0000201c63364079c401f90075bcd153ade68b1501801f6af160000474554202f20485454502f312e310d0a0d0a',
  ],
  [
    'IP/UDP/Raw',
    () =>
      IP({ src: '10.1.1.1', dst: '10.2.2.2' })
        .over(UDP({ sport: 5353, dport: 53 }))
        .over(Raw({ load: 'hello' })),
    '4500002100010000401163c60a0101010a02020214e90035000d8fde68656c6c6f',
  ],
  [
    'IP/ICMP echo',
    () =>
      IP({ src: '10.0.0.1', dst: '10.0.0.2' })
        .over(ICMP({ type: 8, id: 0x1234, seq: 7 }))
        .over(Raw({ load: 'abcdefgh' })),
    '4500002400010000400166d60a0000010a0000020800542f123400076162636465666768',
  ],
  [
    'Ether/ARP request',
    () =>
      Ether({ src: M1, dst: 'ff:ff:ff:ff:ff:ff' }).over(
        ARP({ op: 'who-has', hwsrc: M1, psrc: '10.0.0.1', pdst: '10.0.0.2' }),
      ),
    'ffffffffffff020000000001080600010800060400010200000000010a0000010000000000000a000002',
  ],
  [
    'Ether/Dot1Q/IP/UDP',
    () =>
      new Packet([
        Ether({ src: M1, dst: M2 }),
        Dot1Q({ vlan: 42, prio: 5 }),
        IP({ src: '10.0.0.1', dst: '10.0.0.2' }),
        UDP({ sport: 1, dport: 2 }),
      ]),
    '0200000000020200000000018100a02a08004500001c00010000401166ce0a0000010a000002000100020008ebd8',
  ],
  [
    'IPv6/UDP/Raw',
    () =>
      IPv6({ src: '2001:db8::1', dst: '2001:db8::2' })
        .over(UDP({ sport: 1000, dport: 2000 }))
        .over(Raw({ load: 'six' })),
    '60000000000b114020010db800000000000000000000000120010db800000000000000000000000203e807d0000bad41736978',
  ],
  [
    'IPv6/TCP SA with traffic class and flow label',
    () =>
      IPv6({ src: 'fd00::1', dst: 'fd00::2', hlim: 255, fl: 0x12345, tc: 0x20 }).over(
        TCP({ sport: 443, dport: 55555, flags: 'SA', seq: 1, ack: 2 }),
      ),
    '62012345001406fffd000000000000000000000000000001fd00000000000000000000000000000201bbd903000000010000000250122000bb0c0000',
  ],
  [
    'IPv6/ICMPv6 echo request',
    () =>
      IPv6({ src: 'fe80::1', dst: 'ff02::1' })
        .over(ICMPv6EchoRequest({ id: 1, seq: 2 }))
        .over(Raw({ load: 'ping' })),
    '60000000000c3a40fe800000000000000000000000000001ff0200000000000000000000000000018000a35f0001000270696e67',
  ],
  [
    'IPv6/ND neighbor solicitation with a source link-layer option',
    () =>
      IPv6({ src: 'fd00::1', dst: 'ff02::1:ff00:2', hlim: 255 }).over(
        ICMPv6ND_NS({ tgt: 'fd00::2', options: [{ kind: 'source-link-layer', address: M1 }] }),
      ),
    '6000000000203afffd000000000000000000000000000001ff0200000000000000000001ff00000287007d9700000000fd0000000000000000000000000000020101020000000001',
  ],
  [
    'IPv6/ND neighbor advertisement',
    () =>
      IPv6({ src: 'fd00::2', dst: 'fd00::1', hlim: 255 }).over(
        ICMPv6ND_NA({
          tgt: 'fd00::2',
          R: false,
          S: true,
          O: true,
          options: [{ kind: 'target-link-layer', address: M2 }],
        }),
      ),
    '6000000000203afffd000000000000000000000000000002fd00000000000000000000000000000188001c9a60000000fd0000000000000000000000000000020201020000000002',
  ],
  [
    'IPv6/ND router solicitation',
    () => IPv6({ src: 'fe80::1', dst: 'ff02::2', hlim: 255 }).over(ICMPv6ND_RS()),
    '6000000000083afffe800000000000000000000000000001ff02000000000000000000000000000285007d3600000000',
  ],
  [
    'IPv6/HopByHop/UDP',
    () => new Packet([IPv6({ src: 'fd00::1', dst: 'fd00::2' }), HopByHop(), UDP({ sport: 1, dport: 2 })]),
    '6000000000100040fd000000000000000000000000000001fd000000000000000000000000000002110001040000000000010002000805d7',
  ],
  [
    'IPv6/Fragment/UDP',
    () =>
      new Packet([
        IPv6({ src: 'fd00::1', dst: 'fd00::2' }),
        Fragment({ id: 99, m: true }),
        UDP({ sport: 1, dport: 2 }),
        Raw({ load: 'xxxxxxxx' }),
      ]),
    '6000000000182c40fd000000000000000000000000000001fd000000000000000000000000000002110000010000006300010002001023e57878787878787878',
  ],
];

describe('build: same bytes as Scapy', () => {
  for (const [name, make, expected] of cases) {
    it(name, () => assert.equal(hex(make().build()), expected));
  }
});

describe('auto fields', () => {
  it('are left undefined on the layer and filled only in the bytes', () => {
    const ip = IP({ src: '10.0.0.1', dst: '10.0.0.2' });
    const tcp = TCP();
    const b = new Packet([ip, tcp]).build();
    assert.equal(ip.len, undefined);
    assert.equal(ip.chksum, undefined);
    assert.equal(tcp.dataofs, undefined);
    assert.equal(b[9], 6, 'protocol from the layer above');
    assert.equal((b[2] << 8) | b[3], 40, 'total length');
  });

  it('follow the layers around them: ethertype, protocol, next header', () => {
    assert.equal(hex(Ether().over(ARP()).build().subarray(12, 14)), '0806');
    assert.equal(hex(Ether().over(IPv6()).build().subarray(12, 14)), '86dd');
    assert.equal(Ether().over(IP()).over(UDP()).build()[14 + 9], 17);
    assert.equal(IPv6().over(ICMPv6EchoRequest()).build()[6], 58);
    assert.equal(IPv6().build()[6], 59, 'nothing above: no next header');
    assert.equal(new Packet([IPv6(), HopByHop(), TCP()]).build()[40], 6);
  });

  it('change when the layers change and the packet is built again', () => {
    const udp = UDP({ sport: 1, dport: 2 });
    const raw = Raw({ load: 'abc' });
    const p = IP().over(udp).over(raw);
    const first = p.build();
    raw.load = new TextEncoder().encode('abcdef');
    const second = p.build();
    assert.equal((first[24] << 8) | first[25], 11);
    assert.equal((second[24] << 8) | second[25], 14);
    assert.notEqual(hex(first.subarray(26, 28)), hex(second.subarray(26, 28)), 'checksum recomputed');
  });
});

describe('fields set by hand are kept, even when wrong', () => {
  it('IP version, ihl, len, chksum, proto', () => {
    const b = IP({ version: 5, ihl: 7, len: 999, chksum: 0x1234, proto: 200 }).over(TCP()).build();
    assert.equal(b[0], 0x57);
    assert.equal((b[2] << 8) | b[3], 999);
    assert.equal((b[10] << 8) | b[11], 0x1234);
    assert.equal(b[9], 200);
  });
  it('IPv6 version, ARP hardware/protocol type and lengths, ICMPv6 type', () => {
    const six = IPv6({ version: 4, tc: 0xab }).build();
    assert.equal(six[0], 0x4a, 'version nibble replaced, traffic class kept');
    assert.equal(six[1] >> 4, 0xb);
    const arp = ARP({ hwtype: 6, ptype: 0x86dd, hwlen: 8, plen: 16 }).build();
    assert.equal(hex(arp.subarray(0, 6)), '000686dd0810');
    const echo = IPv6()
      .over(ICMPv6EchoRequest({ type: 200 }))
      .build();
    assert.equal(echo[40], 200);
  });
  it('TCP dataofs and chksum; UDP len and chksum 0', () => {
    const t = IP()
      .over(TCP({ dataofs: 15, chksum: 0xbeef }))
      .build();
    assert.equal(t[20 + 12] >> 4, 15);
    assert.equal((t[20 + 16] << 8) | t[20 + 17], 0xbeef);
    const u = IP()
      .over(UDP({ len: 3, chksum: 0 }))
      .build();
    assert.equal((u[24] << 8) | u[25], 3);
    assert.equal((u[26] << 8) | u[27], 0);
  });
  it('Ether type, ICMP and ICMPv6 checksums, IPv6 plen and nh', () => {
    assert.equal(hex(Ether({ type: 0x1234 }).over(IP()).build().subarray(12, 14)), '1234');
    const i = IP()
      .over(ICMP({ chksum: 1 }))
      .build();
    assert.equal((i[22] << 8) | i[23], 1);
    const v6 = IPv6({ plen: 7, nh: 250 })
      .over(ICMPv6EchoRequest({ cksum: 2 }))
      .build();
    assert.equal((v6[4] << 8) | v6[5], 7);
    assert.equal(v6[6], 250);
    assert.equal((v6[42] << 8) | v6[43], 2);
  });
});

describe('TCP flags and options', () => {
  it('accepts Scapy strings and numbers and reads back both ways', () => {
    const t = TCP({ flags: 'SA' });
    assert.equal(t.flags, 0x12);
    assert.equal(t.flagStr, 'SA');
    t.flags = 'PA';
    assert.equal(t.flags, 0x18);
    t.flags = 0x11;
    assert.equal(t.flagStr, 'FA');
    assert.ok(t.hasFlags('F'));
    assert.throws(() => TCP({ flags: 'Z' }), /unknown TCP flag/);
  });
  it('takes Scapy tuples and src/wire objects alike', () => {
    const a = TCP({ options: [['MSS', 1460], ['NOP'], ['WScale', 7], ['SAck', [1, 2]]] });
    const b = TCP({
      options: [
        { kind: 'mss', mss: 1460 },
        { kind: 'nop' },
        { kind: 'window-scale', shift: 7 },
        { kind: 'sack', blocks: [{ left: 1, right: 2 }] },
      ],
    });
    assert.deepEqual(a.options, b.options);
    assert.equal(hex(IP().over(a).build()), hex(IP().over(b).build()));
  });
});

describe('Packet', () => {
  it('get / find / has / layers, typed by class', () => {
    const p = Ether()
      .over(IP({ dst: '10.0.0.1' }))
      .over(TCP({ dport: 80, flags: 'S' }));
    assert.equal(p.get(TCP).dport, 80);
    assert.equal(p.get(IP).dst, '10.0.0.1');
    assert.ok(p.has(Ether));
    assert.ok(!p.has(UDP));
    assert.equal(p.find(UDP), undefined);
    assert.throws(() => p.get(UDP), /no UDP layer/);
    assert.deepEqual(p.layerNames(), ['Ether', 'IP', 'TCP']);
    assert.ok(p.layers[2] instanceof TCP);
  });
  it('over() composes packets and copy() is deep', () => {
    const p = Ether().over(IP().over(UDP()));
    assert.deepEqual(p.layerNames(), ['Ether', 'IP', 'UDP']);
    const c = p.copy();
    c.get(IP).ttl = 1;
    assert.equal(p.get(IP).ttl, 64);
  });
  it('new works too', () => {
    const t = new TCP({ sport: 5 });
    assert.ok(t instanceof TCP);
    assert.equal(t.sport, 5);
  });
});
