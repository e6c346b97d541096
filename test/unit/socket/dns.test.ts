import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { VirtualClock } from '../../../src/link/clock.js';
import { parseIpAddr } from '../../../src/socket/address.js';
import {
  addressesFor,
  buildDnsQuery,
  DnsFormatError,
  DnsType,
  parseDnsResponse,
} from '../../../src/socket/dns.js';
import { createSegmentPipe } from '../../../src/socket/segment-pipe.js';
import { Stack } from '../../../src/socket/stack.js';
import type { TcpSocket } from '../../../src/socket/tcp-socket.js';
import { drive } from './harness.js';

test('query bytes (RFC 1035 §4.1): header with RD, one question, class IN', () => {
  const q = buildDnsQuery(0x1234, 'example.com', DnsType.A);
  assert.equal(
    Buffer.from(q).toString('hex'),
    `123401000001000000000000${'07'}${Buffer.from('example').toString('hex')}03${Buffer.from('com').toString('hex')}0000010001`,
  );
  const q6 = buildDnsQuery(1, 'a.b.', DnsType.AAAA);
  assert.equal(Buffer.from(q6).toString('hex'), '0001010000010000000000000161016200001c0001');
  assert.throws(() => buildDnsQuery(1, 'a..b', DnsType.A), DnsFormatError);
  assert.throws(() => buildDnsQuery(1, `${'x'.repeat(64)}.com`, DnsType.A), DnsFormatError);
});

/** A response to `query` with the given records (names compressed to the question at offset 12). */
function response(
  query: Uint8Array,
  records: Array<{ type: number; data: Buffer; name?: Buffer }>,
  rcode = 0,
): Uint8Array {
  const head = Buffer.from(query);
  head.writeUInt16BE(0x8180 | rcode, 2);
  head.writeUInt16BE(records.length, 6);
  const parts: Buffer[] = [head];
  for (const r of records) {
    const rr = Buffer.alloc(10);
    rr.writeUInt16BE(r.type, 0);
    rr.writeUInt16BE(1, 2);
    rr.writeUInt32BE(300, 4);
    rr.writeUInt16BE(r.data.length, 8);
    parts.push(r.name ?? Buffer.from([0xc0, 12]), rr, r.data);
  }
  return new Uint8Array(Buffer.concat(parts));
}

test('answers: A and AAAA records, compressed names, CNAME chain followed', () => {
  const q = buildDnsQuery(7, 'www.lab.test', DnsType.A);
  // www.lab.test CNAME srv.lab.test (written as "srv" + pointer to "lab.test" at offset 16)
  const cnameData = Buffer.concat([Buffer.from([3]), Buffer.from('srv'), Buffer.from([0xc0, 16])]);
  // the A record's name points at the CNAME's data (offset 12 + question length + 2 + 10)
  const qLen = q.length;
  const cnameDataAt = qLen + 2 + 10;
  const msg = response(q, [
    { type: DnsType.CNAME, data: cnameData },
    { type: DnsType.A, data: Buffer.from([10, 77, 2, 2]), name: Buffer.from([0xc0, cnameDataAt]) },
  ]);
  const parsed = parseDnsResponse(msg);
  assert.equal(parsed.id, 7);
  assert.equal(parsed.rcode, 0);
  assert.deepEqual(parsed.question, { name: 'www.lab.test', type: DnsType.A });
  assert.deepEqual(
    parsed.answers.map((a) => [a.name, a.type, a.ttl, a.data]),
    [
      ['www.lab.test', DnsType.CNAME, 300, 'srv.lab.test'],
      ['srv.lab.test', DnsType.A, 300, '10.77.2.2'],
    ],
  );
  assert.deepEqual(addressesFor(parsed, 'www.lab.test', DnsType.A), ['10.77.2.2']);
  const q6 = buildDnsQuery(8, 'v6.test', DnsType.AAAA);
  const v6 = parseDnsResponse(
    response(q6, [{ type: DnsType.AAAA, data: Buffer.from(parseIpAddr('fd00:77:2::2') as Uint8Array) }]),
  );
  assert.deepEqual(addressesFor(v6, 'v6.test', DnsType.AAAA), ['fd00:77:2::2']);
});

test('malformed responses raise DnsFormatError only (fuzzed)', () => {
  const q = buildDnsQuery(9, 'x.test', DnsType.A);
  const good = response(q, [{ type: DnsType.A, data: Buffer.from([1, 2, 3, 4]) }]);
  assert.throws(() => parseDnsResponse(q), DnsFormatError, 'a query is not a response');
  const loop = Buffer.from(good);
  loop[12] = 0xc0;
  loop[13] = 12; // a pointer to itself
  assert.throws(() => parseDnsResponse(loop), DnsFormatError);
  fc.assert(
    fc.property(
      fc.array(fc.tuple(fc.nat(good.length - 1), fc.nat(255)), { maxLength: 8 }),
      fc.nat(good.length),
      (edits, cut) => {
        const m = Buffer.from(good).subarray(0, cut);
        for (const [at, v] of edits) if (at < m.length) m[at] = v;
        try {
          parseDnsResponse(m);
        } catch (e) {
          assert.ok(e instanceof DnsFormatError, String(e));
        }
      },
    ),
  );
});

test('stack.lookup with dns: queries go out as UDP from the stack and connect() uses the answer', async (t) => {
  const clock = new VirtualClock(0);
  const pipe = createSegmentPipe(clock);
  const server = new Stack({ iface: pipe.a, clock, isnSecret: Array(16).fill(1) });
  const client = new Stack({ iface: pipe.b, clock, isnSecret: Array(16).fill(2), dns: '10.0.0.1' });
  t.after(() => {
    server.close();
    client.close();
  });
  const questions: string[] = [];
  let dropFirst = true;
  const udpA = pipe.a.udp;
  assert.ok(udpA);
  udpA.bind(53, (src, srcPort, payload) => {
    const q = parseQuestion(payload);
    questions.push(`${q.name}/${q.type}`);
    if (dropFirst) {
      dropFirst = false; // lost: the resolver must retry after its timeout
      return;
    }
    const records =
      q.name === 'srv.test' && q.type === DnsType.A
        ? [{ type: DnsType.A, data: Buffer.from([10, 0, 0, 1]) }]
        : [];
    udpA.send(pipe.a.address, 53, src, srcPort, response(payload, records, records.length ? 0 : 3));
  });
  let accepted: TcpSocket | undefined;
  server.listen({ port: 80 }, (s) => {
    accepted = s;
  });
  const socket = client.connect({ host: 'srv.test', port: 80, family: 4 });
  const lookups: unknown[] = [];
  socket.on('lookup', (err, address, family, host) => lookups.push([err, address, family, host]));
  await drive(clock, () => accepted !== undefined && !socket.connecting);
  assert.deepEqual(lookups, [[null, '10.0.0.1', 4, 'srv.test']]);
  assert.deepEqual(questions, ['srv.test/1', 'srv.test/1'], 'one retry after the lost query');
  let failure: (Error & { code?: string }) | undefined;
  client.lookup('nothing.test', { family: 4 }).catch((e) => {
    failure = e;
  });
  await drive(clock, () => failure !== undefined);
  assert.equal(failure?.code, 'ENOTFOUND');
});

function parseQuestion(msg: Uint8Array): { name: string; type: number } {
  const labels: string[] = [];
  let at = 12;
  while (msg[at] !== 0) {
    labels.push(Buffer.from(msg.subarray(at + 1, at + 1 + msg[at])).toString());
    at += 1 + msg[at];
  }
  return { name: labels.join('.'), type: (msg[at + 1] << 8) | msg[at + 2] };
}
