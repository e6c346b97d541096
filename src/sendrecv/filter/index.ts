// tcpdump-style filters: parse once, then test raw frames without dissecting them.
import type { FilterNode } from './ast.js';
import { compileAst, type FilterLinkType, type FramePredicate } from './compile.js';
import { parseFilter } from './parser.js';

export type { Arith, Dir, FilterNode } from './ast.js';
export type { FilterLinkType, FramePredicate } from './compile.js';
export { FilterSyntaxError } from './errors.js';
export { parseFilter } from './parser.js';

/** Compiles a filter expression for frames of this link type; throws FilterSyntaxError. */
export function compileFilter(
  expr: string | FilterNode,
  linkType: FilterLinkType = 'ethernet',
): FramePredicate {
  return compileAst(typeof expr === 'string' ? parseFilter(expr) : expr, linkType);
}
