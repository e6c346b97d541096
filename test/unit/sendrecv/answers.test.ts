// answers(): Scapy's matching rules per protocol, on packets built in code and dissected back from
// their bytes (as they come off the wire); matchKey() puts every answer in its probe's bucket.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  ARP,
  dissect,
  Ether,
  EtherLayer,
  ICMP,
  ICMPv6EchoReply,
  ICMPv6EchoRequest,
  ICMPv6ND_NA,
  ICMPv6ND_NS,
  IP,
  IPv6,
  type Packet,
  Raw,
  TCP,
  UDP,
} from '../../../src/packet/index.js';
import { answers, matchKey } from '../../../src/sendrecv/index.js';

const wire = (p: Packet) => dissect(p.build(), p.layers[0] instanceof EtherLayer ? 'ethernet' : 'ip');
const A = '10.0.0.1';
const B = '10.0.0.2';

function check(sent: Packet, reply: Packet, expected: boolean): void {
  const received = wire(reply);
  assert.equal(answers(sent, received), expected, `${sent.summary()} <- ${received.summary()}`);
  if (expected) assert.equal(matchKey(received), matchKey(sent), 'an answer lands in its probe’s bucket');
}

test('ARP: an is-at from the address asked for answers the who-has', () => {
  const req = Ether().over(ARP({ op: 'who-has', psrc: A, pdst: B, hwsrc: '02:00:00:00:00:01' }));
  const reply = (psrc: string, op: 1 | 2) =>
    Ether({ src: '02:00:00:00:00:02' }).over(ARP({ op, psrc, pdst: A, hwsrc: '02:00:00:00:00:02' }));
  check(req, reply(B, 2), true);
  check(req, reply('10.0.0.3', 2), false);
  check(req, reply(B, 1), false);
});

test('ICMP echo: a reply with the same id and seq, from the pinged host', () => {
  const ping = IP({ src: A, dst: B }).over(ICMP({ type: 8, id: 7, seq: 1 }));
  check(ping, IP({ src: B, dst: A }).over(ICMP({ type: 0, id: 7, seq: 1 })), true);
  check(ping, IP({ src: B, dst: A }).over(ICMP({ type: 0, id: 7, seq: 2 })), false);
  check(ping, IP({ src: B, dst: A }).over(ICMP({ type: 0, id: 8, seq: 1 })), false);
  check(ping, IP({ src: B, dst: A }).over(ICMP({ type: 8, id: 7, seq: 1 })), false);
  check(ping, IP({ src: '10.0.0.9', dst: A }).over(ICMP({ type: 0, id: 7, seq: 1 })), false);
  check(ping, IP({ src: B, dst: '10.0.0.9' }).over(ICMP({ type: 0, id: 7, seq: 1 })), false);
});

test('ICMP echo to a broadcast address: any member may answer', () => {
  const ping = IP({ src: A, dst: '255.255.255.255' }).over(ICMP({ id: 1, seq: 1 }));
  assert.equal(
    answers(ping, wire(IP({ src: '10.0.0.7', dst: A }).over(ICMP({ type: 0, id: 1, seq: 1 })))),
    true,
  );
});

test('TCP: ports swapped and ack = seq + length (+1 for SYN and FIN), or a reset', () => {
  const syn = IP({ src: A, dst: B }).over(TCP({ sport: 40000, dport: 80, flags: 'S', seq: 1000 }));
  const from = (f: Parameters<typeof TCP>[0]) =>
    IP({ src: B, dst: A }).over(TCP({ sport: 80, dport: 40000, ...f }));
  check(syn, from({ flags: 'SA', seq: 5, ack: 1001 }), true);
  check(syn, from({ flags: 'SA', seq: 5, ack: 1000 }), false);
  check(syn, from({ flags: 'S', seq: 5, ack: 1001 }), false);
  check(syn, from({ flags: 'RA', ack: 1001 }), true);
  check(syn, from({ flags: 'R', seq: 0 }), true);
  check(syn, IP({ src: B, dst: A }).over(TCP({ sport: 81, dport: 40000, flags: 'SA', ack: 1001 })), false);
  const get = IP({ src: A, dst: B })
    .over(TCP({ sport: 40000, dport: 80, flags: 'PA', seq: 1001, ack: 6 }))
    .over(Raw({ load: 'GET / HTTP/1.0\r\n\r\n' }));
  check(get, from({ flags: 'A', seq: 6, ack: 1001 + 18 }), true);
  check(get, from({ flags: 'A', seq: 6, ack: 1001 }), false);
  const fin = IP({ src: A, dst: B }).over(
    TCP({ sport: 40000, dport: 80, flags: 'FA', seq: 0xffffffff, ack: 6 }),
  );
  check(fin, from({ flags: 'FA', seq: 6, ack: 0 }), true);
});

test('UDP: ports swapped', () => {
  const q = IP({ src: A, dst: B })
    .over(UDP({ sport: 5353, dport: 53 }))
    .over(Raw({ load: 'q' }));
  check(q, IP({ src: B, dst: A }).over(UDP({ sport: 53, dport: 5353 })), true);
  check(q, IP({ src: B, dst: A }).over(UDP({ sport: 53, dport: 5354 })), false);
});

test('ICMP errors quoting the probe answer it, from any router', () => {
  const probe = IP({ src: A, dst: B, ttl: 1 })
    .over(UDP({ sport: 33434, dport: 33435 }))
    .over(Raw({ load: 'xxxx' }));
  const quote = (p: Packet) => Raw({ load: p.build().subarray(0, 28) });
  const err = (type: number, quoted: Packet) =>
    IP({ src: '10.9.9.9', dst: A })
      .over(ICMP({ type, code: 0 }))
      .over(quote(quoted));
  check(probe, err(11, probe), true);
  check(probe, err(3, probe), true);
  const other = IP({ src: A, dst: B }).over(UDP({ sport: 33434, dport: 9 }));
  check(probe, err(11, other), false);
  const syn = IP({ src: A, dst: B }).over(TCP({ sport: 40000, dport: 80, flags: 'S' }));
  check(syn, err(3, syn), true);
  const ping = IP({ src: A, dst: B }).over(ICMP({ id: 3, seq: 4 }));
  check(ping, err(11, ping), true);
  check(ping, err(11, IP({ src: A, dst: B }).over(ICMP({ id: 3, seq: 5 }))), false);
});

test('ICMPv6 echo and neighbor discovery', () => {
  const a6 = 'fd00::1';
  const b6 = 'fd00::2';
  const ping = IPv6({ src: a6, dst: b6 }).over(ICMPv6EchoRequest({ id: 1, seq: 2 }));
  check(ping, IPv6({ src: b6, dst: a6 }).over(ICMPv6EchoReply({ id: 1, seq: 2 })), true);
  check(ping, IPv6({ src: b6, dst: a6 }).over(ICMPv6EchoReply({ id: 1, seq: 3 })), false);
  check(ping, IPv6({ src: b6, dst: a6 }).over(ICMPv6EchoRequest({ id: 1, seq: 2 })), false);
  const ns = IPv6({ src: a6, dst: 'ff02::1:ff00:2' }).over(ICMPv6ND_NS({ tgt: b6 }));
  check(ns, IPv6({ src: b6, dst: a6 }).over(ICMPv6ND_NA({ tgt: b6, S: true })), true);
  check(ns, IPv6({ src: b6, dst: a6 }).over(ICMPv6ND_NA({ tgt: 'fd00::3' })), false);
});

test('Ethernet frames: the link layer does not decide, the payload does', () => {
  const ping = Ether({ dst: '02:00:00:00:00:02' })
    .over(IP({ src: A, dst: B }))
    .over(ICMP({ id: 9 }));
  const reply = Ether({ src: '02:00:00:00:00:02' })
    .over(IP({ src: B, dst: A }))
    .over(ICMP({ type: 0, id: 9 }));
  check(ping, reply, true);
  assert.equal(answers(ping, wire(Ether().over(ARP({ op: 2, psrc: B })))), false);
});

test('addresses are compared by value, not by spelling', () => {
  const ping = IPv6({ src: 'fd00:0:0::1', dst: 'FD00::2' }).over(ICMPv6EchoRequest({ id: 1 }));
  check(ping, IPv6({ src: 'fd00::2', dst: 'fd00::1' }).over(ICMPv6EchoReply({ id: 1 })), true);
});
