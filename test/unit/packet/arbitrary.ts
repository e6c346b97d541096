// fast-check arbitraries: random but well-formed packets made with the layer classes.
import fc from 'fast-check';
import {
  ARP,
  DestOpts,
  Dot1Q,
  Ether,
  Fragment,
  HopByHop,
  ICMP,
  ICMPv6EchoReply,
  ICMPv6EchoRequest,
  ICMPv6ND_NA,
  ICMPv6ND_NS,
  ICMPv6ND_RA,
  ICMPv6ND_RS,
  ICMPv6Unknown,
  IP,
  IPv6,
  type Layer,
  Packet,
  Padding,
  Raw,
  TCP,
  UDP,
} from '../../../src/packet/index.js';
import type { TcpOption } from '../../../src/wire/tcp-options.js';

const u8 = fc.integer({ min: 0, max: 255 });
const u16 = fc.integer({ min: 0, max: 0xffff });
const u32 = fc.integer({ min: 0, max: 0xffffffff });
const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max });
const mac = fc
  .uint8Array({ minLength: 6, maxLength: 6 })
  .map((b) => [...b].map((x) => x.toString(16).padStart(2, '0')).join(':'));
const ipv4 = fc.ipV4();
const ipv6 = fc.ipV6();

const tcpOption: fc.Arbitrary<TcpOption> = fc.oneof(
  fc.constant<TcpOption>({ kind: 'nop' }),
  u16.map<TcpOption>((mss) => ({ kind: 'mss', mss })),
  u8.map<TcpOption>((shift) => ({ kind: 'window-scale', shift })),
  fc.constant<TcpOption>({ kind: 'sack-permitted' }),
  fc.tuple(u32, u32).map<TcpOption>(([tsVal, tsEcr]) => ({ kind: 'timestamps', tsVal, tsEcr })),
  fc
    .array(fc.record({ left: u32, right: u32 }), { minLength: 1, maxLength: 3 })
    .map<TcpOption>((blocks) => ({ kind: 'sack', blocks })),
  fc
    .tuple(fc.integer({ min: 9, max: 250 }), bytes(6))
    .map<TcpOption>(([type, data]) => ({ kind: 'unknown', type, data })),
);
/** Option lists that fit the 40 bytes of a TCP header (a trailing EOL when there is room). */
const tcpOptions = fc.array(tcpOption, { maxLength: 6 }).map((list) => {
  const out: TcpOption[] = [];
  let n = 0;
  for (const o of list) {
    const len =
      o.kind === 'nop'
        ? 1
        : o.kind === 'mss'
          ? 4
          : o.kind === 'window-scale'
            ? 3
            : o.kind === 'sack-permitted'
              ? 2
              : o.kind === 'timestamps'
                ? 10
                : o.kind === 'sack'
                  ? 2 + 8 * o.blocks.length
                  : o.kind === 'unknown'
                    ? 2 + o.data.length
                    : 0;
    if (n + len > 39) break;
    out.push(o);
    n += len;
  }
  return out;
});

const tcp = fc
  .record({
    sport: u16,
    dport: u16,
    seq: u32,
    ack: u32,
    flags: fc.integer({ min: 0, max: 0x1ff }),
    window: u16,
    urgptr: u16,
    reserved: fc.integer({ min: 0, max: 7 }),
    options: tcpOptions,
  })
  .map((f) => TCP(f));
const udp = fc.record({ sport: u16, dport: u16 }).map((f) => UDP(f));
const icmp = fc
  .record({ type: fc.constantFrom(0, 8, 13, 42), code: u8, id: u16, seq: u16 })
  .map((f) => ICMP(f));
const ndOption = fc.oneof(
  mac.map((address) => ({ kind: 'source-link-layer' as const, address })),
  mac.map((address) => ({ kind: 'target-link-layer' as const, address })),
  u32.map((mtu) => ({ kind: 'mtu' as const, mtu, reserved: 0 })),
);
const icmpv6: fc.Arbitrary<Layer> = fc.oneof(
  fc.record({ id: u16, seq: u16 }).map((f) => ICMPv6EchoRequest(f)),
  fc.record({ id: u16, seq: u16 }).map((f) => ICMPv6EchoReply(f)),
  fc.record({ tgt: ipv6, options: fc.array(ndOption, { maxLength: 2 }) }).map((f) => ICMPv6ND_NS(f)),
  fc
    .record({
      tgt: ipv6,
      R: fc.boolean(),
      S: fc.boolean(),
      O: fc.boolean(),
      options: fc.array(ndOption, { maxLength: 2 }),
    })
    .map((f) => ICMPv6ND_NA(f)),
  fc.record({ options: fc.array(ndOption, { maxLength: 2 }) }).map((f) => ICMPv6ND_RS(f)),
  fc
    .record({
      chlim: u8,
      M: fc.boolean(),
      O: fc.boolean(),
      routerlifetime: u16,
      reachabletime: u32,
      retranstimer: u32,
    })
    .map((f) => ICMPv6ND_RA(f)),
  fc
    .record({
      type: fc.constantFrom(130, 131, 200),
      body: bytes(20).map((b) => Uint8Array.from([0, 0, 0, 0, ...b])),
    })
    .map((f) => ICMPv6Unknown(f)),
);

/** IPv4 options areas that parse: NOP padding, router alert, record route with room. */
const ipOptions = fc.constantFrom(
  new Uint8Array(0),
  Uint8Array.of(148, 4, 0, 0),
  Uint8Array.of(1, 1, 1, 0),
  Uint8Array.of(7, 7, 4, 0, 0, 0, 0, 0),
);
const ip = fc
  .record({
    tos: u8,
    id: u16,
    flags: fc.integer({ min: 0, max: 7 }),
    ttl: u8,
    src: ipv4,
    dst: ipv4,
    options: ipOptions,
  })
  .map((f) => IP(f));
const ip6 = fc
  .record({ tc: u8, fl: fc.integer({ min: 0, max: 0xfffff }), hlim: u8, src: ipv6, dst: ipv6 })
  .map((f) => IPv6(f));
const ext: fc.Arbitrary<Layer> = fc.oneof(
  fc.constant(null).map(() => HopByHop()),
  fc.constant(null).map(() => DestOpts({ options: Uint8Array.of(1, 12, ...new Uint8Array(12)) })),
  fc.record({ id: u32, m: fc.boolean() }).map((f) => Fragment(f)),
);

const payload = bytes(64).map((load) => Raw({ load }));

/** [layers, linktype]: Ethernet frames (with VLAN tags, ARP, padding) and raw IP packets. */
export const arbitraryPacket: fc.Arbitrary<{ packet: Packet; linktype: 'ethernet' | 'ip' }> = fc
  .record({
    link: fc.constantFrom('ethernet', 'ip'),
    macs: fc.tuple(mac, mac),
    vlans: fc.array(
      fc.record({
        vlan: fc.integer({ min: 0, max: 4095 }),
        prio: fc.integer({ min: 0, max: 7 }),
        dei: fc.boolean(),
      }),
      { maxLength: 2 },
    ),
    net: fc.oneof(
      fc.tuple(ip, fc.oneof(tcp, udp, icmp)).map(([n, t]) => [n, t] as Layer[]),
      fc
        .tuple(ip6, fc.array(ext, { maxLength: 2 }), fc.oneof(tcp, udp, icmpv6))
        .map(([n, e, t]) => [n, ...e, t] as Layer[]),
      fc
        .record({ op: fc.constantFrom(1, 2), hwsrc: mac, psrc: ipv4, hwdst: mac, pdst: ipv4 })
        .map((f) => [ARP(f)] as Layer[]),
    ),
    data: fc.option(payload, { nil: undefined }),
    padding: fc.option(fc.uint8Array({ minLength: 1, maxLength: 20 }), { nil: undefined }),
  })
  .filter((r) => r.link === 'ethernet' || !(r.net[0] instanceof ARP))
  .map((r) => {
    const layers: Layer[] = [];
    if (r.link === 'ethernet') {
      layers.push(Ether({ src: r.macs[0], dst: r.macs[1] }));
      for (const v of r.vlans) layers.push(Dot1Q(v));
    }
    layers.push(...r.net);
    // ND messages and ARP end the packet: bytes after them would be read as ND options / padding.
    const last = r.net[r.net.length - 1];
    const closed =
      last instanceof ARP ||
      last instanceof ICMPv6ND_NS ||
      last instanceof ICMPv6ND_NA ||
      last instanceof ICMPv6ND_RS ||
      last instanceof ICMPv6ND_RA ||
      last instanceof ICMPv6Unknown;
    if (r.data && !closed) layers.push(r.data);
    if (r.link === 'ethernet' && r.padding) layers.push(Padding({ load: r.padding }));
    return { packet: new Packet(layers), linktype: r.link as 'ethernet' | 'ip' };
  });
