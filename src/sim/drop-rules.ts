// Ready-made scripted losses for simulate({ dropRule }).
import type { DropRule } from './probe.js';
import type { SimSide } from './segment-view.js';

export type { DropRule };

/**
 * Drop the nth segment (1-based) that `side` sends; with `dataOnly`, count only segments that carry
 * payload (e.g. "the server's first data segment"). Each listed n is dropped once, its first time.
 */
export function dropNth(
  side: SimSide,
  nth: number | number[],
  options: { dataOnly?: boolean } = {},
): DropRule {
  const targets = new Set(Array.isArray(nth) ? nth : [nth]);
  return (ev) => {
    if (ev.side !== side || ev.direction !== 'sent') return false;
    const n = options.dataOnly ? ev.dataIndex : ev.index;
    return n > 0 && targets.has(n);
  };
}
