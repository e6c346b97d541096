// The events table: every packet with trouble (retransmission, loss, duplicate ACK, reset, ...),
// capped so that a pathological capture still gives a bounded page.
import { type AnalyzedPacket, explainPacket, TROUBLE_KINDS } from '../analysis/index.js';
import { escapeHtml } from './html-escape.js';
import { formatMs } from './scale.js';

export const MAX_EVENTS = 500;

export function renderEvents(packets: readonly AnalyzedPacket[]): string {
  const start = packets[0]?.info.time ?? 0;
  const rows: string[] = [];
  let total = 0;
  for (const p of packets) {
    if (!p.labels.some((l) => TROUBLE_KINDS.has(l.kind))) continue;
    total++;
    if (rows.length >= MAX_EVENTS) continue;
    rows.push(
      `<tr><td class="n">${p.index}</td><td class="n">${formatMs(p.info.time - start)}</td>` +
        `<td>${p.fromClient ? 'client → server' : 'server → client'}</td><td>${escapeHtml(explainPacket(p))}</td></tr>`,
    );
  }
  if (total === 0)
    return '<p class="quiet">No retransmissions, losses, duplicate ACKs, window stalls or resets.</p>';
  const more = total > MAX_EVENTS ? `<p class="quiet">… and ${total - MAX_EVENTS} more.</p>` : '';
  return (
    `<div class="scroll events-box"><table class="events"><thead><tr><th>#</th><th>time</th><th>direction</th><th>what happened</th></tr></thead>` +
    `<tbody>${rows.join('')}</tbody></table></div>${more}`
  );
}
