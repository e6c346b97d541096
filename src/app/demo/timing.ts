// Times for the demo's comparison: ours from the trace (first SYN to the last data byte from the
// server, the span curl's time_total covers), curl's from its own -w '%{time_total}'.
import { execFileSync } from 'node:child_process';
import type { AnalyzedPacket } from '../../analysis/index.js';

/** Milliseconds from our first SYN to the last data segment the server sent; null if not seen. */
export function transferSpanMs(packets: readonly AnalyzedPacket[]): number | null {
  let start: number | undefined;
  let end: number | undefined;
  for (const p of packets) {
    if (start === undefined && p.labels.some((l) => l.kind === 'handshake' && l.step === 1))
      start = p.info.time;
    if (!p.fromClient && p.labels.some((l) => l.kind === 'data')) end = p.info.time;
  }
  return start === undefined || end === undefined ? null : end - start;
}

export function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** curl's total time for a URL, in ms (median of `runs`), or null when curl is missing or fails. */
export function curlTimeMs(url: string, runs = 3): number | null {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    try {
      const out = execFileSync('curl', ['-s', '-o', '/dev/null', '-w', '%{time_total}', url], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      times.push(Number(out.trim()) * 1000);
    } catch {
      return null;
    }
  }
  return median(times);
}

export function formatMs(ms: number): string {
  return ms >= 100 ? `${ms.toFixed(0)} ms` : `${ms.toFixed(1)} ms`;
}
