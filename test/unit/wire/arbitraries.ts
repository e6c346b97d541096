// fast-check generators of valid reprs for every wire format (in the normal form parse produces).
import fc from 'fast-check';
import { formatIpv6Address, formatMac, numberToIpv4 } from '../../../src/wire/addr.js';
import type { ArpRepr } from '../../../src/wire/arp.js';
import type { EthernetRepr } from '../../../src/wire/ethernet.js';
import type { Icmpv4Repr } from '../../../src/wire/icmpv4.js';
import type { Icmpv6Repr } from '../../../src/wire/icmpv6.js';
import type { Ipv4Repr } from '../../../src/wire/ipv4.js';
import type { Ipv4Option } from '../../../src/wire/ipv4-options.js';
import type { Ipv6Repr } from '../../../src/wire/ipv6.js';
import type { Ipv6ExtensionHeader } from '../../../src/wire/ipv6-ext.js';
import type { NdpOption } from '../../../src/wire/ndp-options.js';
import type { TcpRepr } from '../../../src/wire/tcp.js';
import { type TcpOption, tcpOptionsLength } from '../../../src/wire/tcp-options.js';
import type { UdpRepr } from '../../../src/wire/udp.js';

export const u8 = fc.integer({ min: 0, max: 0xff });
export const u16 = fc.integer({ min: 0, max: 0xffff });
export const u32 = fc.integer({ min: 0, max: 0xffffffff });
export const mac = fc.uint8Array({ minLength: 6, maxLength: 6 }).map((b) => formatMac(b));
export const ipv4 = u32.map(numberToIpv4);
export const ipv6 = fc.uint8Array({ minLength: 16, maxLength: 16 }).map((b) => formatIpv6Address(b));
const bytes = (max: number) => fc.uint8Array({ maxLength: max });
const bytesOfLength = (n: number) => fc.uint8Array({ minLength: n, maxLength: n });
const notIn = (arb: fc.Arbitrary<number>, values: number[]) => arb.filter((v) => !values.includes(v));

const TAG_TPIDS = [0x8100, 0x88a8, 0x9100];

export const ethernetRepr: fc.Arbitrary<EthernetRepr> = fc.record({
  dst: mac,
  src: mac,
  vlans: fc.array(
    fc.record({
      tpid: fc.constantFrom(...TAG_TPIDS),
      pcp: fc.integer({ min: 0, max: 7 }),
      dei: fc.boolean(),
      vid: fc.integer({ min: 0, max: 4095 }),
    }),
    { maxLength: 3 },
  ),
  etherType: notIn(u16, TAG_TPIDS),
});

export const arpRepr: fc.Arbitrary<ArpRepr> = fc.oneof(
  fc.record({
    kind: fc.constant('ethernet-ipv4' as const),
    operation: u16,
    senderMac: mac,
    senderIp: ipv4,
    targetMac: mac,
    targetIp: ipv4,
  }),
  fc
    .record({ hl: fc.integer({ min: 0, max: 20 }), pl: fc.integer({ min: 0, max: 20 }) })
    .chain(({ hl, pl }) =>
      fc.record({
        kind: fc.constant('raw' as const),
        hardwareType: fc.integer({ min: 2, max: 0xffff }),
        protocolType: u16,
        operation: u16,
        senderHardware: bytesOfLength(hl),
        senderProtocol: bytesOfLength(pl),
        targetHardware: bytesOfLength(hl),
        targetProtocol: bytesOfLength(pl),
      }),
    ),
);

export const ipv4Repr: fc.Arbitrary<Ipv4Repr> = fc.record({
  dscp: fc.integer({ min: 0, max: 63 }),
  ecn: fc.integer({ min: 0, max: 3 }),
  identification: u16,
  reservedFlag: fc.boolean(),
  dontFragment: fc.boolean(),
  moreFragments: fc.boolean(),
  fragmentOffset: fc.integer({ min: 0, max: 0x1fff }),
  ttl: u8,
  protocol: u8,
  src: ipv4,
  dst: ipv4,
  options: fc.integer({ min: 0, max: 10 }).chain((n) => bytesOfLength(4 * n)),
  payloadLength: fc.integer({ min: 0, max: 1000 }),
});

const KNOWN_IPV4_OPTIONS = [0, 1, 7, 68, 131, 137, 148];
export const ipv4OptionList: fc.Arbitrary<Ipv4Option[]> = fc
  .tuple(
    fc.array(
      fc.oneof(
        fc.constant<Ipv4Option>({ kind: 'nop' }),
        fc.record({
          kind: fc.constantFrom(
            'record-route' as const,
            'loose-source-route' as const,
            'strict-source-route' as const,
          ),
          pointer: u8,
          addresses: fc.array(ipv4, { maxLength: 9 }),
        }),
        fc.record({
          kind: fc.constant('timestamp' as const),
          pointer: u8,
          overflow: fc.integer({ min: 0, max: 15 }),
          flag: fc.integer({ min: 0, max: 15 }),
          data: bytes(36),
        }),
        fc.record({ kind: fc.constant('router-alert' as const), value: u16 }),
        fc.record({
          kind: fc.constant('unknown' as const),
          type: notIn(u8, KNOWN_IPV4_OPTIONS),
          data: bytes(38),
        }),
      ),
      { maxLength: 5 },
    ),
    fc.option(bytes(8), { nil: undefined }),
  )
  .map(([list, tail]) => {
    if (tail === undefined) return list;
    const end: Ipv4Option[] = [{ kind: 'eol' }];
    if (tail.length) end.push({ kind: 'padding', data: tail });
    return [...list, ...end];
  });

const extensionHeader: fc.Arbitrary<Ipv6ExtensionHeader> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('hop-by-hop' as const, 'destination-options' as const),
    options: fc.integer({ min: 0, max: 4 }).chain((n) => bytesOfLength(6 + 8 * n)),
  }),
  fc.record({
    kind: fc.constant('routing' as const),
    routingType: u8,
    segmentsLeft: u8,
    data: fc.integer({ min: 0, max: 4 }).chain((n) => bytesOfLength(4 + 8 * n)),
  }),
  fc.record({
    kind: fc.constant('fragment' as const),
    fragmentOffset: fc.integer({ min: 0, max: 0x1fff }),
    moreFragments: fc.boolean(),
    identification: u32,
    reserved: fc.integer({ min: 0, max: 0x3ff }),
  }),
  fc.record({
    kind: fc.constant('ah' as const),
    data: fc.integer({ min: 1, max: 8 }).chain((n) => bytesOfLength(2 + 4 * n)),
  }),
);

export const ipv6Repr: fc.Arbitrary<Ipv6Repr> = fc.record({
  trafficClass: u8,
  flowLabel: fc.integer({ min: 0, max: 0xfffff }),
  hopLimit: u8,
  src: ipv6,
  dst: ipv6,
  extensions: fc.array(extensionHeader, { maxLength: 4 }),
  protocol: notIn(u8, [0, 43, 44, 51, 60]),
  upperLayerLength: fc.integer({ min: 0, max: 600 }),
});

const invoking = bytes(64);
export const icmpv4Repr: fc.Arbitrary<Icmpv4Repr> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('echo-request' as const, 'echo-reply' as const),
    code: u8,
    identifier: u16,
    sequence: u16,
    data: bytes(100),
  }),
  fc.record({ kind: fc.constant('destination-unreachable' as const), code: u8, nextHopMtu: u16, invoking }),
  fc.record({ kind: fc.constant('time-exceeded' as const), code: u8, invoking }),
  fc.record({ kind: fc.constant('redirect' as const), code: u8, gateway: ipv4, invoking }),
  fc.record({ kind: fc.constant('parameter-problem' as const), code: u8, pointer: u8, invoking }),
  fc.record({
    kind: fc.constant('other' as const),
    type: notIn(u8, [0, 3, 5, 8, 11, 12]),
    code: u8,
    rest: u32,
    data: bytes(40),
  }),
);

const ndpOption: fc.Arbitrary<NdpOption> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('source-link-layer' as const, 'target-link-layer' as const),
    address: mac,
  }),
  fc.record({
    kind: fc.constant('prefix-information' as const),
    prefixLength: u8,
    onLink: fc.boolean(),
    autonomous: fc.boolean(),
    reservedFlags: fc.integer({ min: 0, max: 63 }),
    validLifetime: u32,
    preferredLifetime: u32,
    reserved: u32,
    prefix: ipv6,
  }),
  fc.record({ kind: fc.constant('mtu' as const), mtu: u32, reserved: u16 }),
  fc.record({
    kind: fc.constant('unknown' as const),
    type: notIn(u8, [1, 2, 3, 5]),
    data: fc.integer({ min: 1, max: 3 }).chain((n) => bytesOfLength(8 * n - 2)),
  }),
);
const ndpOptions = fc.array(ndpOption, { maxLength: 4 });

export const icmpv6Repr: fc.Arbitrary<Icmpv6Repr> = fc.oneof(
  fc.record({
    kind: fc.constantFrom('echo-request' as const, 'echo-reply' as const),
    code: u8,
    identifier: u16,
    sequence: u16,
    data: bytes(100),
  }),
  fc.record({
    kind: fc.constantFrom('destination-unreachable' as const, 'time-exceeded' as const),
    code: u8,
    invoking,
  }),
  fc.record({ kind: fc.constant('packet-too-big' as const), code: u8, mtu: u32, invoking }),
  fc.record({ kind: fc.constant('parameter-problem' as const), code: u8, pointer: u32, invoking }),
  fc.record({ kind: fc.constant('router-solicitation' as const), code: u8, options: ndpOptions }),
  fc.record({
    kind: fc.constant('router-advertisement' as const),
    code: u8,
    curHopLimit: u8,
    managed: fc.boolean(),
    other: fc.boolean(),
    flags: fc.integer({ min: 0, max: 63 }),
    routerLifetime: u16,
    reachableTime: u32,
    retransTimer: u32,
    options: ndpOptions,
  }),
  fc.record({
    kind: fc.constant('neighbor-solicitation' as const),
    code: u8,
    target: ipv6,
    options: ndpOptions,
  }),
  fc.record({
    kind: fc.constant('neighbor-advertisement' as const),
    code: u8,
    router: fc.boolean(),
    solicited: fc.boolean(),
    override: fc.boolean(),
    target: ipv6,
    options: ndpOptions,
  }),
  fc.record({
    kind: fc.constant('other' as const),
    type: notIn(u8, [1, 2, 3, 4, 128, 129, 133, 134, 135, 136]),
    code: u8,
    body: fc.uint8Array({ minLength: 4, maxLength: 40 }),
  }),
);

export const udpRepr: fc.Arbitrary<UdpRepr> = fc.record({ srcPort: u16, dstPort: u16, payload: bytes(200) });

const KNOWN_TCP_OPTIONS = [0, 1, 2, 3, 4, 5, 8];
const tcpOption: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant<TcpOption>({ kind: 'nop' }),
  fc.record({ kind: fc.constant('mss' as const), mss: u16 }),
  fc.record({ kind: fc.constant('window-scale' as const), shift: u8 }),
  fc.constant<TcpOption>({ kind: 'sack-permitted' }),
  fc.record({
    kind: fc.constant('sack' as const),
    blocks: fc.array(fc.record({ left: u32, right: u32 }), { minLength: 1, maxLength: 4 }),
  }),
  fc.record({ kind: fc.constant('timestamps' as const), tsVal: u32, tsEcr: u32 }),
  fc.record({ kind: fc.constant('unknown' as const), type: notIn(u8, KNOWN_TCP_OPTIONS), data: bytes(10) }),
);

/** Options in normal form: at most 40 bytes, padded to 4 by EOL (+ zero padding) when needed. */
export const tcpOptionList: fc.Arbitrary<TcpOption[]> = fc.array(tcpOption, { maxLength: 6 }).map((list) => {
  const out: TcpOption[] = [];
  for (const o of list) if (tcpOptionsLength([...out, o]) <= 39) out.push(o);
  const rem = tcpOptionsLength(out) % 4;
  if (rem !== 0) {
    out.push({ kind: 'eol' });
    if (4 - rem - 1 > 0) out.push({ kind: 'padding', data: new Uint8Array(4 - rem - 1) });
  }
  return out;
});

export const tcpRepr: fc.Arbitrary<TcpRepr> = fc.record({
  srcPort: u16,
  dstPort: u16,
  seq: u32,
  ack: u32,
  flags: fc.integer({ min: 0, max: 0x1ff }),
  reserved: fc.integer({ min: 0, max: 7 }),
  window: u16,
  urgentPointer: u16,
  options: tcpOptionList,
  payload: bytes(100),
});
