// The ladder diagram: client and server lanes, every segment an arrow in time order with its flags,
// relative seq/ack and length; trouble in color. Long transfers show the first and last N segments
// with a fold in the middle, so the page stays usable (and bounded) for any number of segments.
import { type AnalyzedPacket, explainPacket } from '../analysis/index.js';
import { escapeHtml } from './html-escape.js';
import { formatMs } from './scale.js';
import { arrowCaption, segmentClasses } from './segment-text.js';

const WIDTH = 1000;
const CLIENT_X = 170;
const SERVER_X = 500;
const ROW = 26;
const SLANT = 14;
const TOP = 46;
const IDLE_MS = 50;
const MAX_EXPLANATION_CHARS = 64;

/** What the page's script shows when a segment is hovered or clicked. */
export interface SegmentDetail {
  n: number;
  t: string;
  line: string;
  explain: string;
}

export interface LadderResult {
  svg: string;
  details: SegmentDetail[];
  shown: number;
  folded: number;
}

interface Row {
  kind: 'segment' | 'idle' | 'fold';
  packet?: AnalyzedPacket;
  text?: string;
}

function planRows(packets: readonly AnalyzedPacket[], edge: number): { rows: Row[]; folded: number } {
  const fold = packets.length > 2 * edge;
  const shown = fold ? [...packets.slice(0, edge), ...packets.slice(-edge)] : packets;
  const rows: Row[] = [];
  let previous: AnalyzedPacket | undefined;
  for (const p of shown) {
    if (fold && previous && p === packets[packets.length - edge]) {
      const hidden = packets.slice(edge, packets.length - edge);
      rows.push({ kind: 'fold', text: foldText(hidden) });
    } else if (previous && p.info.time - previous.info.time >= IDLE_MS) {
      rows.push({ kind: 'idle', text: `${formatMs(p.info.time - previous.info.time)} pass` });
    }
    rows.push({ kind: 'segment', packet: p });
    previous = p;
  }
  return { rows, folded: packets.length - shown.length };
}

function foldText(hidden: readonly AnalyzedPacket[]): string {
  let trouble = 0;
  for (const p of hidden) if (/retrans|gap|dupack|ooo|dropped/.test(segmentClasses(p))) trouble++;
  const span = hidden.length > 0 ? formatMs(hidden[hidden.length - 1].info.time - hidden[0].info.time) : '';
  return `${hidden.length.toLocaleString('en-US')} segments folded (${span}; ${trouble} with trouble, listed under Events)`;
}

function truncate(text: string): string {
  return text.length > MAX_EXPLANATION_CHARS ? `${text.slice(0, MAX_EXPLANATION_CHARS - 1)}…` : text;
}

function segmentRow(p: AnalyzedPacket, y: number, start: number, detailIndex: number): string {
  const x1 = p.fromClient ? CLIENT_X : SERVER_X;
  const x2 = p.fromClient ? SERVER_X : CLIENT_X;
  const dropped = p.labels.some((l) => l.kind === 'dropped');
  const xEnd = dropped ? (x1 + x2) / 2 : x2;
  const yEnd = dropped ? y + SLANT / 2 : y + SLANT;
  const explanation = explainPacket(p);
  const time = formatMs(p.info.time - start);
  const cross = dropped
    ? `<text class="cross" x="${xEnd}" y="${yEnd + 5}" text-anchor="middle">✕</text>`
    : '';
  return (
    `<g class="${segmentClasses(p)}" data-i="${detailIndex}">` +
    `<rect class="hit" x="0" y="${y - ROW / 2 + 4}" width="${WIDTH}" height="${ROW}"/>` +
    `<text class="num" x="8" y="${y + 10}">${p.index}</text>` +
    `<text class="time" x="${CLIENT_X - 24}" y="${y + 10}" text-anchor="end">${time}</text>` +
    `<line x1="${x1}" y1="${y}" x2="${xEnd}" y2="${yEnd}"${dropped ? '' : ' marker-end="url(#arrow)"'}/>` +
    cross +
    `<text class="caption" x="${(CLIENT_X + SERVER_X) / 2}" y="${y + 2}" text-anchor="middle">${escapeHtml(arrowCaption(p))}</text>` +
    `<text class="explain" x="${SERVER_X + 18}" y="${y + 10}">${escapeHtml(truncate(explanation))}</text>` +
    '</g>'
  );
}

function header(packets: readonly AnalyzedPacket[], height: number): string {
  const { client, server } = packets[0].connection;
  return (
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">` +
    `<path d="M0 0L10 5L0 10z" fill="context-stroke"/></marker></defs>` +
    `<text class="lane-title" x="${CLIENT_X}" y="18" text-anchor="middle">client ${escapeHtml(`${client.address}:${client.port}`)}</text>` +
    `<text class="lane-title" x="${SERVER_X}" y="18" text-anchor="middle">server ${escapeHtml(`${server.address}:${server.port}`)}</text>` +
    `<text class="col-title" x="8" y="36">#</text><text class="col-title" x="${CLIENT_X - 24}" y="36" text-anchor="end">time</text>` +
    `<text class="col-title" x="${SERVER_X + 18}" y="36">what happens</text>` +
    `<line class="lane" x1="${CLIENT_X}" y1="26" x2="${CLIENT_X}" y2="${height}"/>` +
    `<line class="lane" x1="${SERVER_X}" y1="26" x2="${SERVER_X}" y2="${height}"/>`
  );
}

export function renderLadder(packets: readonly AnalyzedPacket[], edge: number): LadderResult {
  if (packets.length === 0) return { svg: '', details: [], shown: 0, folded: 0 };
  const { rows, folded } = planRows(packets, edge);
  const start = packets[0].info.time;
  const details: SegmentDetail[] = [];
  const body: string[] = [];
  let y = TOP;
  for (const row of rows) {
    if (row.kind === 'segment' && row.packet) {
      const p = row.packet;
      body.push(segmentRow(p, y, start, details.length));
      details.push({
        n: p.index,
        t: formatMs(p.info.time - start),
        line: p.info.line ?? arrowCaption(p),
        explain: explainPacket(p),
      });
      y += ROW;
    } else {
      const cls = row.kind === 'fold' ? 'fold' : 'idle';
      body.push(
        `<text class="${cls}" x="${(CLIENT_X + SERVER_X) / 2}" y="${y + 2}" text-anchor="middle">${escapeHtml(row.text ?? '')}</text>`,
      );
      y += row.kind === 'fold' ? ROW * 1.5 : ROW * 0.8;
    }
  }
  const height = y + 10;
  const svg = `<svg id="ladder" class="ladder" viewBox="0 0 ${WIDTH} ${height}" width="${WIDTH}" height="${height}">${header(packets, height)}${body.join('')}</svg>`;
  return { svg, details, shown: details.length, folded };
}
