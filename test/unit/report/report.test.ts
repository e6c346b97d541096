// The HTML report: structure, bounded size for huge transfers, self-containment, escaping.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type AnalyzedPacket, TcpAnalyzer, type TcpPacketInfo } from '../../../src/analysis/index.js';
import { renderReport } from '../../../src/report/index.js';
import { c, handshake, s } from '../analysis/conversation.js';

const MSS = 1448;

/** A download of `segments` full segments; every `lossEvery`-th is lost and fast-retransmitted. */
function bulkTransfer(segments: number, lossEvery: number): TcpPacketInfo[] {
  const out = handshake();
  out.push(c({ t: 11, flags: 'PA', seq: 1, ack: 1, len: 18, text: 'GET /big HTTP/1.1\r\n' }));
  let t = 20;
  let acked = 1;
  let lost = -1;
  for (let i = 0; i < segments; i++) {
    const seq = 1 + i * MSS;
    t += 0.05;
    if (i > 0 && i % lossEvery === 0) {
      lost = seq; // never captured: lost upstream
      continue;
    }
    out.push(s({ t, flags: 'A', seq, ack: 19, len: MSS }));
    if (lost >= 0) {
      out.push(c({ t: t + 0.01, flags: 'A', seq: 19, ack: acked, sack: [[lost + MSS, seq + MSS]] }));
      if (seq - lost === 3 * MSS) {
        out.push(s({ t: t + 0.5, flags: 'A', seq: lost, ack: 19, len: MSS }));
        acked = seq + MSS;
        out.push(c({ t: t + 0.51, flags: 'A', seq: 19, ack: acked }));
        lost = -1;
      }
    } else if (i % 2 === 1) {
      acked = seq + MSS;
      out.push(c({ t: t + 0.01, flags: 'A', seq: 19, ack: acked }));
    }
  }
  return out;
}

function analyze(packets: TcpPacketInfo[]): AnalyzedPacket[] {
  const analyzer = new TcpAnalyzer();
  return packets.map((p) => analyzer.feed(p));
}

function count(html: string, needle: RegExp): number {
  return html.match(needle)?.length ?? 0;
}

const SEGMENT_ELEMENT = /<g class="seg /g;

describe('renderReport', () => {
  it('draws one arrow per segment, the charts and the summary for a short connection', () => {
    const packets = analyze(bulkTransfer(40, 10));
    const html = renderReport({ packets, source: 'unit test' });
    assert.equal(count(html, SEGMENT_ELEMENT), packets.length);
    assert.match(html, /<svg id="time-sequence"/);
    assert.match(html, /<svg id="rtt"/);
    assert.doesNotMatch(html, /<svg id="cwnd"/, 'no cwnd chart without engine samples');
    assert.match(html, /10\.77\.1\.2:40000/);
    assert.equal(count(html, /<g class="seg[^"]* retrans/g), 3, 'three fast retransmissions drawn in color');
    assert.match(html, /fast retransmission of 14481:15929/);
  });

  it('adds the cwnd chart when the engine gives samples', () => {
    const packets = analyze(bulkTransfer(10, 100));
    const engine = [
      { time: 0, cwnd: 14480, ssthresh: Number.POSITIVE_INFINITY, rtt: 10 },
      { time: 20, cwnd: 28960, ssthresh: 20000, rtt: 11 },
    ];
    const html = renderReport({ packets, engine });
    assert.match(html, /<svg id="cwnd"/);
    assert.match(html, /RTT \(engine\)/);
  });

  it('stays bounded for 100k segments: the ladder folds, the graphs aggregate', () => {
    const packets = analyze(bulkTransfer(100_000, 997));
    assert.ok(packets.length > 100_000);
    const html = renderReport({ packets, ladderEdge: 300 });
    assert.equal(count(html, SEGMENT_ELEMENT), 600);
    assert.match(html, /segments folded/);
    assert.ok(html.length < 1_500_000, `report is ${html.length} bytes`);
    const small = renderReport({ packets: packets.slice(0, 20_000), ladderEdge: 300 });
    assert.ok(html.length < small.length * 1.5, 'five times the packets, about the same size');
  });

  it('is self-contained and escapes capture text', () => {
    const packets = analyze([
      ...handshake(),
      c({
        t: 11,
        flags: 'PA',
        seq: 1,
        ack: 1,
        text: 'GET /</script><img src=x onerror=alert(1)> HTTP/1.0\r\n',
      }),
    ]);
    const html = renderReport({ packets });
    assert.doesNotMatch(html, /<img/);
    assert.equal(count(html, /<\/script>/g), 2, 'only the two script elements close');
    assert.doesNotMatch(html, /\bsrc="|<link |@import|url\(http/);
  });

  it('picks the busiest connection, or the one asked for', () => {
    const other = handshake().map((p) => ({
      ...p,
      sport: p.sport === 40000 ? 40001 : p.sport,
      dport: p.dport === 40000 ? 40001 : p.dport,
    }));
    const packets = analyze([...bulkTransfer(10, 100), ...other]);
    const busiest = renderReport({ packets });
    assert.equal(count(busiest, SEGMENT_ELEMENT), packets.filter((p) => p.connection.stream === 0).length);
    const chosen = renderReport({ packets, stream: 1 });
    assert.equal(count(chosen, SEGMENT_ELEMENT), 3);
  });
});
