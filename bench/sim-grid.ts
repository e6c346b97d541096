// Goodput grid of the userspace TCP stack in the deterministic simulator, like smoltcp's netsim:
// loss x RTT x congestion control over a 100 Mbit/s link, median of three seeds per cell.
// Regenerate: node --import tsx bench/sim-grid.ts   (writes bench/results/sim-grid.md and prints it)
//
// Sizes are scaled per cell from a rough goodput estimate (Mathis et al.: MSS/RTT x 1.22/sqrt(p)) so
// that each run lasts a few virtual seconds; the result is virtual-time goodput, identical on every
// machine. Only the real run time printed at the end varies.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type SimResult, simulate } from '../src/sim/index.js';
import type { CongestionControlName } from '../src/tcp/config.js';

const LOSSES = [0, 0.001, 0.01, 0.05, 0.1, 0.2, 0.3];
const RTTS = [1, 20, 100];
const CCS: CongestionControlName[] = ['cubic', 'newreno'];
const SEEDS = [1, 2, 3];
const BANDWIDTH = 100e6;
const MSS = 1448;
const VIRTUAL_SECONDS = 4;
const MIN_SIZE = 32 * 1024;
const MAX_SIZE = 32 * 1024 * 1024;

interface Cell {
  goodput: number;
  size: number;
  failures: number;
  retransmissions: number;
}

function sizeFor(loss: number, rttMs: number): number {
  const rtt = Math.max(rttMs, 1) / 1000;
  const mathis = loss === 0 ? BANDWIDTH : ((MSS * 8) / rtt) * (1.22 / Math.sqrt(loss));
  // Heavy loss means RTO backoff, far below Mathis: scale down further.
  const estimate = Math.min(BANDWIDTH, mathis) * (loss >= 0.1 ? 0.1 : 1);
  const bytes = (estimate / 8) * VIRTUAL_SECONDS;
  return Math.round(Math.min(MAX_SIZE, Math.max(MIN_SIZE, bytes)));
}

function runCell(loss: number, rtt: number, cc: CongestionControlName): Cell {
  const size = sizeFor(loss, rtt);
  const results: SimResult[] = SEEDS.map((seed) =>
    simulate({
      size,
      rtt,
      bandwidth: BANDWIDTH,
      loss: loss > 0 ? loss : undefined,
      congestionControl: cc,
      seed,
      checkInvariants: false,
      // At 20-30% loss each way a retransmission fails about half the time; let TCP keep trying.
      tcp: { synRetries: 30, synAckRetries: 30, maxRetries: 40 },
      maxVirtualTime: 24 * 3_600_000,
    }),
  );
  const ok = results.filter((r) => r.ok);
  const goodputs = ok.map((r) => r.goodputBitsPerSecond).sort((a, b) => a - b);
  return {
    goodput: goodputs.length === 0 ? Number.NaN : goodputs[Math.floor(goodputs.length / 2)],
    size,
    failures: results.length - ok.length,
    retransmissions: Math.round(ok.reduce((s, r) => s + r.retransmissions, 0) / Math.max(1, ok.length)),
  };
}

function mbit(bps: number): string {
  if (Number.isNaN(bps)) return 'failed';
  if (bps >= 10e6) return (bps / 1e6).toFixed(1);
  if (bps >= 0.1e6) return (bps / 1e6).toFixed(2);
  return (bps / 1e6).toFixed(4);
}

function table(cells: Map<string, Cell>, cc: CongestionControlName): string[] {
  const head = `| loss \\ RTT | ${RTTS.map((r) => `${r} ms`).join(' | ')} |`;
  const rule = `|---|${RTTS.map(() => '---:').join('|')}|`;
  const rows = LOSSES.map((loss) => {
    const values = RTTS.map((rtt) => {
      const c = cells.get(`${cc}/${loss}/${rtt}`) as Cell;
      return `${mbit(c.goodput)}${c.failures > 0 ? ` (${c.failures} failed)` : ''}`;
    });
    return `| ${(loss * 100).toFixed(1)}% | ${values.join(' | ')} |`;
  });
  return [`### ${cc}`, '', head, rule, ...rows, ''];
}

function main(): void {
  const started = performance.now();
  const cells = new Map<string, Cell>();
  for (const cc of CCS) {
    for (const loss of LOSSES) {
      for (const rtt of RTTS) cells.set(`${cc}/${loss}/${rtt}`, runCell(loss, rtt, cc));
    }
  }
  const lines = [
    '# Simulated goodput grid',
    '',
    'Goodput in Mbit/s of one download between two synack stacks in the deterministic simulator',
    `(\`src/sim\`): ${BANDWIDTH / 1e6} Mbit/s link each way with a 1000-frame drop-tail queue, MTU 1500,`,
    'random loss applied independently to both directions (data and ACKs), default TCP settings',
    '(SACK, timestamps, window scaling, delayed ACKs) except more retries before giving up. Median of',
    `seeds ${SEEDS.join(', ')}; each cell transfers the size below, chosen to last about ${VIRTUAL_SECONDS}`,
    'virtual seconds. Regenerate with `node --import tsx bench/sim-grid.ts`.',
    '',
    ...CCS.flatMap((cc) => table(cells, cc)),
    '### Transfer size per cell',
    '',
    `| loss \\ RTT | ${RTTS.map((r) => `${r} ms`).join(' | ')} |`,
    `|---|${RTTS.map(() => '---:').join('|')}|`,
    ...LOSSES.map(
      (loss) =>
        `| ${(loss * 100).toFixed(1)}% | ${RTTS.map((rtt) => `${(sizeFor(loss, rtt) / 1024).toFixed(0)} KiB`).join(' | ')} |`,
    ),
    '',
  ];
  const text = lines.join('\n');
  const out = fileURLToPath(new URL('./results/sim-grid.md', import.meta.url));
  writeFileSync(out, text);
  console.log(text);
  console.log(`wrote ${out} in ${((performance.now() - started) / 1000).toFixed(1)} s of real time`);
}

main();
