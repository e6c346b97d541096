// The time-sequence graph in the Stevens / tcptrace style, for one direction of data:
// each data segment a vertical bar from seq to seq+len at its time, the receiver's ACK line, the
// advertised window line (ack + window: how far the sender may go), SACK blocks, retransmissions.
import { type AnalyzedPacket, isRetransmission } from '../analysis/index.js';
import { chartAxes, chartSvg } from './chart-frame.js';
import { BarPath, StepPath } from './column-path.js';

const HEIGHT = 460;

/** The direction that carried more data: the graph follows its sequence numbers. */
export function busierDirectionIsClient(packets: readonly AnalyzedPacket[]): boolean {
  let client = 0;
  let server = 0;
  for (const p of packets) {
    if (p.fromClient) client += p.info.payloadLength;
    else server += p.info.payloadLength;
  }
  return client > server;
}

function yRange(packets: readonly AnalyzedPacket[], dataFromClient: boolean): number {
  let dataEnd = 1;
  let windowEnd = 1;
  for (const p of packets) {
    if (p.fromClient === dataFromClient) dataEnd = Math.max(dataEnd, p.seq + p.info.payloadLength);
    else if (p.info.flags & 0x10) windowEnd = Math.max(windowEnd, p.ack + p.window);
  }
  // Keep the data readable: a huge window would squash it; the window line is clipped at the top.
  return Math.max(dataEnd, Math.min(windowEnd, dataEnd * 1.5)) * 1.02;
}

export function renderTimeSequence(packets: readonly AnalyzedPacket[]): string {
  const dataFromClient = busierDirectionIsClient(packets);
  const start = packets[0]?.info.time ?? 0;
  const end = packets.length > 0 ? packets[packets.length - 1].info.time : 0;
  const yMax = yRange(packets, dataFromClient);
  const axes = chartAxes(end - start, 0, yMax, HEIGHT);
  const data = new BarPath();
  const retrans = new BarPath();
  const sack = new BarPath();
  const ackLine = new StepPath();
  const windowLine = new StepPath();
  for (const p of packets) {
    const x = axes.x(p.info.time - start);
    if (p.fromClient === dataFromClient) {
      if (p.info.payloadLength === 0) continue;
      const target = p.labels.some((l) => isRetransmission(l.kind)) ? retrans : data;
      target.add(x, axes.y(p.seq), axes.y(p.seq + p.info.payloadLength));
    } else if (p.info.flags & 0x10) {
      ackLine.add(x, axes.y(p.ack));
      windowLine.add(x, axes.y(Math.min(p.ack + p.window, yMax)));
      for (const [left, right] of p.sack ?? []) sack.add(x, axes.y(left), axes.y(right));
    }
  }
  const who = dataFromClient ? 'client' : 'server';
  const content =
    `<path class="tsg-window" d="${windowLine.toPathData()}"/>` +
    `<path class="tsg-ack" d="${ackLine.toPathData()}"/>` +
    `<path class="tsg-sack" d="${sack.toPathData()}"/>` +
    `<path class="tsg-data" d="${data.toPathData()}"/>` +
    `<path class="tsg-retrans" d="${retrans.toPathData()}"/>`;
  return chartSvg(
    axes,
    {
      id: 'time-sequence',
      title: `Time-sequence graph of the ${who}'s data`,
      xLabel: 'time since the first packet (ms)',
      yLabel: `${who}'s relative sequence number`,
      legend: [
        { label: `${who}'s data`, cssClass: 'tsg-data' },
        { label: 'retransmission', cssClass: 'tsg-retrans' },
        { label: 'ACK', cssClass: 'tsg-ack' },
        { label: 'ACK + window', cssClass: 'tsg-window' },
        { label: 'SACK', cssClass: 'tsg-sack' },
      ],
    },
    content,
  );
}
