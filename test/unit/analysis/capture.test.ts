// The analyzer on a real capture file (test/fixtures/packet/lab.pcap: curl against python's
// http.server over IPv4 and IPv6), through src/wire's parsers and src/packet's tcpdump lines.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import {
  analyzeCaptureFile,
  CaptureExplainer,
  explainingFormatter,
  explainPacket,
  TcpAnalyzer,
  type TcpPacketInfo,
} from '../../../src/analysis/index.js';
import { TcpdumpFormatter } from '../../../src/packet/index.js';
import { readCaptureFile } from '../../../src/wire/index.js';

const LAB = fileURLToPath(new URL('../../fixtures/packet/lab.pcap', import.meta.url));

describe('analyzeCaptureFile', () => {
  it('explains both HTTP fetches of the lab capture', () => {
    const { packets, frames, malformed } = analyzeCaptureFile(LAB);
    assert.equal(frames, 62);
    assert.equal(malformed, 0);
    assert.equal(packets.length, 24);
    const v4 = packets.filter((p) => p.connection.stream === 0).map(explainPacket);
    assert.deepEqual(v4, [
      'handshake 1/3 (SYN)',
      'handshake 2/3 (SYN-ACK)',
      'handshake 3/3 (ACK)',
      'request (GET /), data 1:79',
      'ACK: the server has everything up to 79',
      'response (200 OK), data 1:157',
      'ACK: the client has everything up to 157',
      'data 157:1381',
      'ACK: the client has everything up to 1381',
      "close 1/4 (FIN): the server is done sending, the server's FIN after an HTTP/1.0 body: the end of the response",
      'close 2/4 + 3/4 (FIN-ACK): the client got the FIN and closes too',
      'close 4/4: last ACK, connection closed',
    ]);
    const v6 = packets.filter((p) => p.connection.stream === 1);
    assert.equal(v6[0].connection.client.address, 'fd77::1');
    assert.equal(explainPacket(v6[9]), 'close 1/4 (FIN): the client is done sending');
    assert.match(
      packets[0].info.line ?? '',
      /^IP 10\.77\.0\.1\.58354 > 10\.77\.0\.2\.8000: Flags \[S\], seq 3206440221/,
    );
    assert.equal(packets[2].window, 63 * 1024, 'wscale 10 from the handshake');
  });

  it('counts malformed frames and skips them', () => {
    const explainer = new CaptureExplainer();
    const frame = new Uint8Array(40);
    frame[12] = 0x08; // EtherType IPv4, then a truncated IPv4 header
    frame[14] = 0x45;
    frame[16] = 0xff; // total length 0xff.. longer than the frame
    assert.equal(explainer.analyzeFrame(frame, 1, 0), undefined);
    assert.equal(explainer.malformed, 1);
  });
});

describe('TcpAnalyzer robustness', () => {
  it('never throws on arbitrary segments and always labels them with known kinds', () => {
    const flags = fc.integer({ min: 0, max: 0xff });
    const segment = fc.record({
      fromA: fc.boolean(),
      seq: fc.integer({ min: 0, max: 0xffffffff }),
      ack: fc.integer({ min: 0, max: 0xffffffff }),
      flags,
      window: fc.integer({ min: 0, max: 0xffff }),
      len: fc.integer({ min: 0, max: 1500 }),
      dt: fc.double({ min: 0, max: 1000, noNaN: true }),
    });
    fc.assert(
      fc.property(fc.array(segment, { maxLength: 60 }), (segments) => {
        const analyzer = new TcpAnalyzer({ maxConnections: 2, maxRanges: 4, maxSegments: 8 });
        let time = 0;
        for (const sg of segments) {
          time += sg.dt;
          const info: TcpPacketInfo = {
            time,
            src: sg.fromA ? '10.0.0.1' : '10.0.0.2',
            dst: sg.fromA ? '10.0.0.2' : '10.0.0.1',
            sport: sg.fromA ? 5555 : 80,
            dport: sg.fromA ? 80 : 5555,
            seq: sg.seq,
            ack: sg.ack,
            flags: sg.flags,
            window: sg.window,
            payloadLength: sg.len,
          };
          const packet = analyzer.feed(info);
          assert.equal(typeof explainPacket(packet), 'string');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('numbers an in-order stream exactly, however it is cut into segments', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.array(fc.integer({ min: 1, max: 9000 }), { minLength: 1, maxLength: 50 }),
        (isn, sizes) => {
          const analyzer = new TcpAnalyzer();
          const base = { src: '10.0.0.2', dst: '10.0.0.1', sport: 80, dport: 5555, ack: 1, window: 100 };
          analyzer.feed({ ...base, time: 0, seq: isn, flags: 0x12, payloadLength: 0 });
          let offset = 1;
          for (const [i, size] of sizes.entries()) {
            const p = analyzer.feed({
              ...base,
              time: i + 1,
              seq: (isn + offset) >>> 0,
              flags: 0x10,
              payloadLength: size,
            });
            assert.deepEqual(p.labels, [{ kind: 'data', start: offset, end: offset + size }]);
            offset += size;
          }
        },
      ),
    );
  });
});

describe('explainingFormatter', () => {
  it('appends explanations to tracer lines, speaking as "we" for outgoing frames', () => {
    const tcpdump = new TcpdumpFormatter({ timestamps: 'none' });
    const format = explainingFormatter((frame) => tcpdump.format(frame, 1));
    const lines: string[] = [];
    for (const record of readCaptureFile(LAB)) {
      // In the lab capture 10.77.0.1 is the client: call its frames ours.
      const out = record.data[26] === 10 && record.data[29] === 1;
      lines.push(format(record.data, 'ethernet', out ? 'out' : 'in', record.seconds * 1000));
    }
    const tcp = lines.filter((l) => l.includes('.8000'));
    assert.match(tcp[6], /Flags \[\.\], ack 157, .*<- ACK: we have everything up to 157$/);
    assert.match(tcp[4], /<- ACK: the server has everything up to 79$/);
    assert.ok(!lines[0].includes('<-'), 'ARP lines stay as they are');
  });
});
