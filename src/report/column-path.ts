// Builds SVG path data whose size is bounded by the chart width, however many points go in:
// vertical bars are merged per pixel column, step lines keep one point per column.
import { px } from './scale.js';

/** Collects vertical bars [x, y1..y2]; past `limit` bars, merges them per pixel column. */
export class BarPath {
  private readonly bars: number[] = []; // x, yTop, yBottom triples
  private readonly columns = new Map<number, [number, number]>();
  private merged = false;

  constructor(private readonly limit = 4000) {}

  add(x: number, yA: number, yB: number): void {
    const top = Math.min(yA, yB);
    const bottom = Math.max(yA, yB, top + 1); // at least 1 px tall so single bytes show
    if (!this.merged && this.bars.length / 3 < this.limit) {
      this.bars.push(x, top, bottom);
      return;
    }
    if (!this.merged) this.mergeExisting();
    this.addToColumn(x, top, bottom);
  }

  toPathData(): string {
    const out: string[] = [];
    if (this.merged) {
      for (const [column, [top, bottom]] of this.columns) out.push(`M${column} ${px(top)}V${px(bottom)}`);
    } else {
      for (let i = 0; i < this.bars.length; i += 3) {
        out.push(`M${px(this.bars[i])} ${px(this.bars[i + 1])}V${px(this.bars[i + 2])}`);
      }
    }
    return out.join('');
  }

  get empty(): boolean {
    return this.bars.length === 0 && this.columns.size === 0;
  }

  private mergeExisting(): void {
    this.merged = true;
    for (let i = 0; i < this.bars.length; i += 3)
      this.addToColumn(this.bars[i], this.bars[i + 1], this.bars[i + 2]);
    this.bars.length = 0;
  }

  private addToColumn(x: number, top: number, bottom: number): void {
    const column = Math.round(x);
    const range = this.columns.get(column);
    if (range) {
      range[0] = Math.min(range[0], top);
      range[1] = Math.max(range[1], bottom);
    } else {
      this.columns.set(column, [top, bottom]);
    }
  }
}

/** A step line (value holds until the next point), one point kept per pixel column. */
export class StepPath {
  private readonly points = new Map<number, number>(); // column -> last y in it

  add(x: number, y: number): void {
    const column = Math.round(x);
    this.points.delete(column); // keep insertion order = time order
    this.points.set(column, y);
  }

  toPathData(): string {
    let d = '';
    let first = true;
    for (const [x, y] of this.points) {
      d += first ? `M${x} ${px(y)}` : `H${x}V${px(y)}`;
      first = false;
    }
    return d;
  }

  get empty(): boolean {
    return this.points.size === 0;
  }
}

/** Dots, one per pixel column and value band. */
export class DotPath {
  private readonly seen = new Set<string>();
  private d = '';

  add(x: number, y: number): void {
    const key = `${Math.round(x)},${Math.round(y / 2)}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.d += `M${px(x)} ${px(y)}h0.01`;
  }

  toPathData(): string {
    return this.d;
  }

  get empty(): boolean {
    return this.d.length === 0;
  }
}
