// Linear scales and "nice" tick values for the SVG charts.

export interface LinearScale {
  (value: number): number;
  domain: [number, number];
  ticks(count: number): number[];
}

/** Maps [d0, d1] onto [r0, r1]; a zero-width domain maps to the middle. */
export function linearScale(d0: number, d1: number, r0: number, r1: number): LinearScale {
  const span = d1 - d0;
  const scale = ((value: number) =>
    span === 0 ? (r0 + r1) / 2 : r0 + ((value - d0) / span) * (r1 - r0)) as LinearScale;
  scale.domain = [d0, d1];
  scale.ticks = (count: number) => niceTicks(d0, d1, count);
  return scale;
}

/** Round tick values (1, 2, 5 x 10^n steps) covering [lo, hi]. */
export function niceTicks(lo: number, hi: number, count: number): number[] {
  if (!(hi > lo)) return [lo];
  const raw = (hi - lo) / Math.max(1, count);
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step)
    ticks.push(Number(v.toPrecision(12)));
  return ticks;
}

/** Short human numbers for axes: 1.5k, 2M. */
export function shortNumber(n: number): string {
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${+(n / 1e9).toFixed(2)}G`;
  if (abs >= 1e6) return `${+(n / 1e6).toFixed(2)}M`;
  if (abs >= 1e4) return `${+(n / 1e3).toFixed(1)}k`;
  return `${+n.toFixed(3)}`;
}

/** Milliseconds as text with a sensible unit. */
export function formatMs(ms: number): string {
  if (ms >= 10_000) return `${+(ms / 1000).toFixed(1)} s`;
  if (ms >= 1000) return `${+(ms / 1000).toFixed(3)} s`;
  if (ms >= 10) return `${+ms.toFixed(1)} ms`;
  return `${+ms.toFixed(3)} ms`;
}

/** A coordinate rounded for compact SVG. */
export function px(n: number): string {
  return String(Math.round(n * 10) / 10);
}
