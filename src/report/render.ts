// renderReport: one self-contained HTML page about one TCP connection
// (summary, ladder diagram, time-sequence graph, RTT and cwnd over time, events).

import { renderEvents } from './events.js';
import { escapeHtml, inlineJson } from './html-escape.js';
import { DEFAULT_LADDER_EDGE, type ReportInput } from './input.js';
import { renderLadder } from './ladder.js';
import { PAGE_CSS, PAGE_SCRIPT } from './page-style.js';
import { renderCwndChart, renderRttChart } from './rtt-cwnd.js';
import { formatMs } from './scale.js';
import { chooseStream, type StreamChoice } from './select.js';
import { type DirectionSummary, type ReportSummary, summarize } from './summary.js';
import { renderTimeSequence } from './time-sequence.js';

function card(key: string, value: string, bad = false): string {
  return `<div class="card${bad ? ' bad' : ''}"><div class="k">${escapeHtml(key)}</div><div class="v">${escapeHtml(value)}</div></div>`;
}

function bytes(n: number): string {
  return `${n.toLocaleString('en-US')} B`;
}

function directionCards(name: string, d: DirectionSummary): string {
  return (
    card(`${name}: data`, `${bytes(d.uniqueBytes)} in ${d.segments.toLocaleString('en-US')} segments`) +
    card(`${name}: retransmissions`, d.retransmissions.toLocaleString('en-US'), d.retransmissions > 0)
  );
}

function summaryCards(s: ReportSummary): string {
  const count = (kind: string) => (s.labelCounts[kind] ?? 0).toLocaleString('en-US');
  const rtt = s.rtt
    ? `${formatMs(s.rtt.min)} / ${formatMs(s.rtt.avg)} / ${formatMs(s.rtt.max)}`
    : 'no samples';
  return (
    '<div class="cards">' +
    card('client', s.client) +
    card('server', s.server) +
    card('duration', formatMs(s.duration)) +
    card('RTT min / avg / max', rtt) +
    directionCards('client → server', s.clientToServer) +
    directionCards('server → client', s.serverToClient) +
    card('duplicate ACKs', count('dup-ack'), (s.labelCounts['dup-ack'] ?? 0) > 0) +
    card('gaps (lost before capture)', count('lost-segment'), (s.labelCounts['lost-segment'] ?? 0) > 0) +
    card('out-of-order', count('out-of-order'), (s.labelCounts['out-of-order'] ?? 0) > 0) +
    card('zero window / window full', `${count('zero-window')} / ${count('window-full')}`) +
    card('dropped by fault injector', count('dropped'), (s.labelCounts.dropped ?? 0) > 0) +
    card('resets', count('rst'), (s.labelCounts.rst ?? 0) > 0) +
    '</div>'
  );
}

function otherStreams(choice: StreamChoice, shown: number | undefined): string {
  if (choice.streams.length <= 1) return '';
  const items = choice.streams
    .slice(0, 50)
    .map(
      (s) =>
        `<li>${s.stream === shown ? '<b>' : ''}stream ${s.stream}: ${escapeHtml(s.label)} (${s.packets} packets)${s.stream === shown ? ' (shown)</b>' : ''}</li>`,
    )
    .join('');
  return `<h2>Connections in this capture</h2><ul>${items}</ul><p class="quiet">Pick another with <code>synack report FILE --stream N</code>.</p>`;
}

const KEY =
  '<div class="key"><span style="--c:var(--client)">client → server</span><span style="--c:var(--server)">server → client</span>' +
  '<span style="--c:var(--retrans)">retransmission / dropped (dashed)</span><span style="--c:var(--gap)">gap before it</span>' +
  '<span style="--c:var(--dup)">duplicate ACK</span><span style="--c:var(--ooo)">out-of-order</span>' +
  '<span style="--c:var(--window)">window trouble</span><span style="--c:var(--rst)">reset</span></div>';

export function renderReport(input: ReportInput): string {
  const choice = chooseStream(input.packets, input.stream);
  const packets = choice.packets;
  const summary = summarize(packets, input.engine);
  const title =
    input.title ?? (packets.length > 0 ? `TCP ${summary.client} → ${summary.server}` : 'TCP report');
  const ladder = renderLadder(packets, input.ladderEdge ?? DEFAULT_LADDER_EDGE);
  const foldNote =
    ladder.folded > 0 ? ` The middle ${ladder.folded.toLocaleString('en-US')} segments are folded.` : '';
  const rtt = renderRttChart(packets, input.engine);
  const cwnd = renderCwndChart(packets, input.engine);
  const body =
    packets.length === 0
      ? '<p>No TCP packets in the input.</p>'
      : `${summaryCards(summary)}${otherStreams(choice, packets[0]?.connection.stream)}` +
        `<h2>Ladder diagram</h2><p class="quiet">${packets.length.toLocaleString('en-US')} segments. Hover or click an arrow for the full line.${foldNote}</p>${KEY}` +
        `<div class="scroll">${ladder.svg}</div>` +
        `<h2>Time-sequence graph</h2>${renderTimeSequence(packets)}` +
        (rtt ? `<h2>Round-trip time</h2>${rtt}` : '') +
        (cwnd ? `<h2>Congestion window</h2>${cwnd}` : '') +
        `<h2>Events</h2>${renderEvents(packets)}`;
  return (
    `<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">` +
    `<title>${escapeHtml(title)}</title><style>${PAGE_CSS}</style></head><body>` +
    `<header><h1>${escapeHtml(title)}</h1>${input.source ? `<div class="source">${escapeHtml(input.source)}</div>` : ''}</header>` +
    `<main>${body}</main><div id="detail" hidden></div>` +
    `<script type="application/json" id="segment-data">${inlineJson(ladder.details)}</script>` +
    `<script>${PAGE_SCRIPT}</script></body></html>`
  );
}
