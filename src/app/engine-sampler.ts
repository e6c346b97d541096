// Samples a connection's TCP engine over time (RFC 6298 smoothed RTT, congestion window,
// ssthresh) for the report's RTT/cwnd charts and the --stats line. The samples are kept only when
// something changed, so a long transfer costs a few thousand entries at most.
import type { EngineSample } from '../report/input.js';
import type { TcpStats } from '../tcp/stats.js';

export interface StatsSource {
  tcpStats(): TcpStats | undefined;
}

/** Bound on kept samples: beyond it every other sample is thinned out. */
const MAX_SAMPLES = 4096;

export class EngineSampler {
  readonly samples: EngineSample[] = [];
  /** The last stats read (they survive the socket's release of its connection). */
  last: TcpStats | undefined;
  private rtt = { count: 0, sum: 0, min: Number.POSITIVE_INFINITY, max: 0 };
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly source: StatsSource,
    /** Epoch milliseconds now (same clock as the trace's packet times). */
    private readonly now: () => number = () => performance.timeOrigin + performance.now(),
  ) {}

  /** Start sampling every `intervalMs` (the timer does not keep the process alive). */
  start(intervalMs = 10): void {
    if (this.timer) return;
    this.timer = setInterval(() => this.sample(), intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.sample();
  }

  /** Reads the engine once; records a sample when RTT, cwnd or ssthresh changed. */
  sample(): void {
    const stats = this.source.tcpStats();
    if (stats === undefined) return;
    this.last = stats;
    const prev = this.samples[this.samples.length - 1];
    const rtt = stats.srtt > 0 ? stats.srtt : undefined;
    if (prev && prev.rtt === rtt && prev.cwnd === stats.cwnd && prev.ssthresh === stats.ssthresh) return;
    if (rtt !== undefined && rtt !== prev?.rtt) this.addRtt(rtt);
    this.samples.push({ time: this.now(), rtt, cwnd: stats.cwnd, ssthresh: stats.ssthresh });
    if (this.samples.length > MAX_SAMPLES) thinOut(this.samples);
  }

  /** min / avg / max of the smoothed RTT seen, with the engine's minimum measured RTT as the min. */
  rttSummary(): { min: number; avg: number; max: number } | null {
    const r = this.rtt;
    if (r.count === 0) return null;
    const min = Math.min(this.last?.minRtt ?? Number.POSITIVE_INFINITY, r.min);
    return { min: round3(min), avg: round3(r.sum / r.count), max: round3(r.max) };
  }

  private addRtt(rtt: number): void {
    const r = this.rtt;
    r.count++;
    r.sum += rtt;
    if (rtt < r.min) r.min = rtt;
    if (rtt > r.max) r.max = rtt;
  }
}

function thinOut(samples: EngineSample[]): void {
  let w = 0;
  for (let r = 0; r < samples.length; r += 2) samples[w++] = samples[r];
  samples.length = w;
}

export function round3(n: number): number {
  return Math.round(n * 1000) / 1000;
}
