// RTT over time (analyzer samples: data-to-ACK matching with Karn's rule, or the engine's samples)
// and the congestion window over time (engine samples only: a capture cannot see cwnd).
import type { AnalyzedPacket } from '../analysis/index.js';
import { chartAxes, chartSvg } from './chart-frame.js';
import { DotPath, StepPath } from './column-path.js';
import type { EngineSample } from './input.js';

const HEIGHT = 260;

interface Point {
  time: number;
  value: number;
  series: 0 | 1;
}

/** Largest value (a loop: spreading 100k arguments into Math.max can overflow the stack). */
function maxOf(values: readonly number[]): number {
  let max = 0;
  for (const v of values) if (v > max) max = v;
  return max;
}

function analyzerRtts(packets: readonly AnalyzedPacket[]): Point[] {
  // p.rtt measures the other side's data: an ACK from the client times the server's data.
  return packets
    .filter((p) => p.rtt >= 0)
    .map((p) => ({ time: p.info.time, value: p.rtt, series: p.fromClient ? 1 : 0 }));
}

export function renderRttChart(packets: readonly AnalyzedPacket[], engine?: readonly EngineSample[]): string {
  const start = packets[0]?.info.time ?? 0;
  const end = packets.length > 0 ? packets[packets.length - 1].info.time : 0;
  const fromEngine = (engine ?? []).filter((s) => s.rtt !== undefined);
  const points: Point[] =
    fromEngine.length > 0
      ? fromEngine.map((s) => ({ time: s.time, value: s.rtt as number, series: 0 }))
      : analyzerRtts(packets);
  if (points.length === 0) return '';
  const yMax = maxOf(points.map((p) => p.value)) * 1.1;
  const axes = chartAxes(end - start, 0, yMax, HEIGHT);
  const series = [new DotPath(), new DotPath()];
  for (const p of points) series[p.series].add(axes.x(p.time - start), axes.y(p.value));
  const legend =
    fromEngine.length > 0
      ? [{ label: 'RTT (engine)', cssClass: 'rtt-a' }]
      : [
          { label: "client's data -> server's ACK", cssClass: 'rtt-a' },
          { label: "server's data -> client's ACK", cssClass: 'rtt-b' },
        ];
  const content = `<path class="rtt-a" d="${series[0].toPathData()}"/><path class="rtt-b" d="${series[1].toPathData()}"/>`;
  return chartSvg(
    axes,
    { id: 'rtt', title: 'RTT over time', xLabel: 'time (ms)', yLabel: 'RTT (ms)', legend },
    content,
  );
}

export function renderCwndChart(
  packets: readonly AnalyzedPacket[],
  engine?: readonly EngineSample[],
): string {
  const samples = (engine ?? []).filter((s) => s.cwnd !== undefined);
  if (samples.length === 0) return '';
  const start = Math.min(packets[0]?.info.time ?? samples[0].time, samples[0].time);
  const end = Math.max(
    packets.length > 0 ? packets[packets.length - 1].info.time : 0,
    samples[samples.length - 1].time,
  );
  const finite = (v: number | undefined): v is number => v !== undefined && Number.isFinite(v);
  const yMax = maxOf(samples.map((s) => s.cwnd as number)) * 1.1;
  const axes = chartAxes(end - start, 0, yMax, HEIGHT);
  const cwnd = new StepPath();
  const ssthresh = new StepPath();
  for (const s of samples) {
    cwnd.add(axes.x(s.time - start), axes.y(s.cwnd as number));
    if (finite(s.ssthresh)) ssthresh.add(axes.x(s.time - start), axes.y(Math.min(s.ssthresh, yMax)));
  }
  const content = `<path class="cwnd" d="${cwnd.toPathData()}"/><path class="ssthresh" d="${ssthresh.toPathData()}"/>`;
  return chartSvg(
    axes,
    {
      id: 'cwnd',
      title: 'Congestion window over time',
      xLabel: 'time (ms)',
      yLabel: 'bytes',
      legend: [
        { label: 'cwnd', cssClass: 'cwnd' },
        { label: 'ssthresh', cssClass: 'ssthresh' },
      ],
    },
    content,
  );
}
