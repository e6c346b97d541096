// The frame around every chart: plot area, axes with ticks and labels, a legend. Inline SVG only.
import { escapeHtml } from './html-escape.js';
import { type LinearScale, linearScale, px, shortNumber } from './scale.js';

export const CHART_WIDTH = 1000;
export const MARGIN = { left: 70, right: 20, top: 30, bottom: 40 };

export interface ChartAxes {
  x: LinearScale;
  y: LinearScale;
  width: number;
  height: number;
}

export function chartAxes(xMax: number, yMin: number, yMax: number, height: number): ChartAxes {
  const x = linearScale(0, Math.max(xMax, 1e-6), MARGIN.left, CHART_WIDTH - MARGIN.right);
  const y = linearScale(yMin, yMax > yMin ? yMax : yMin + 1, height - MARGIN.bottom, MARGIN.top);
  return { x, y, width: CHART_WIDTH, height };
}

export interface LegendEntry {
  label: string;
  cssClass: string;
}

function axisLines(axes: ChartAxes, xLabel: string, yLabel: string): string {
  const { x, y, height } = axes;
  const parts: string[] = [];
  for (const t of x.ticks(10)) {
    parts.push(
      `<line class="grid" x1="${px(x(t))}" x2="${px(x(t))}" y1="${MARGIN.top}" y2="${height - MARGIN.bottom}"/>`,
    );
    parts.push(
      `<text class="tick" x="${px(x(t))}" y="${height - MARGIN.bottom + 16}" text-anchor="middle">${shortNumber(t)}</text>`,
    );
  }
  for (const t of y.ticks(6)) {
    parts.push(
      `<line class="grid" x1="${MARGIN.left}" x2="${CHART_WIDTH - MARGIN.right}" y1="${px(y(t))}" y2="${px(y(t))}"/>`,
    );
    parts.push(
      `<text class="tick" x="${MARGIN.left - 6}" y="${px(y(t) + 4)}" text-anchor="end">${shortNumber(t)}</text>`,
    );
  }
  parts.push(
    `<text class="axis-label" x="${CHART_WIDTH / 2}" y="${height - 6}" text-anchor="middle">${escapeHtml(xLabel)}</text>`,
  );
  parts.push(
    `<text class="axis-label" transform="translate(14 ${height / 2}) rotate(-90)" text-anchor="middle">${escapeHtml(yLabel)}</text>`,
  );
  return parts.join('');
}

function legend(entries: readonly LegendEntry[]): string {
  let xPos = MARGIN.left;
  return entries
    .map((e) => {
      const item = `<g class="legend ${e.cssClass}"><rect x="${xPos}" y="8" width="14" height="4"/><text x="${xPos + 18}" y="14">${escapeHtml(e.label)}</text></g>`;
      xPos += 30 + e.label.length * 7;
      return item;
    })
    .join('');
}

/** A complete <svg> element: axes, legend, then the chart's own content. */
export function chartSvg(
  axes: ChartAxes,
  opts: { id: string; title: string; xLabel: string; yLabel: string; legend: readonly LegendEntry[] },
  content: string,
): string {
  return (
    `<svg id="${opts.id}" class="chart" viewBox="0 0 ${axes.width} ${axes.height}" role="img" aria-label="${escapeHtml(opts.title)}">` +
    `<rect class="plot-bg" x="${MARGIN.left}" y="${MARGIN.top}" width="${CHART_WIDTH - MARGIN.left - MARGIN.right}" height="${axes.height - MARGIN.top - MARGIN.bottom}"/>` +
    axisLines(axes, opts.xLabel, opts.yLabel) +
    legend(opts.legend) +
    content +
    '</svg>'
  );
}
