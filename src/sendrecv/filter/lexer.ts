// Tokens of a filter expression, each with its column so errors can point at it.
import { FilterSyntaxError } from './errors.js';

export type TokenKind = 'word' | 'punct' | 'end';

export interface Token {
  kind: TokenKind;
  text: string;
  /** 0-based column in the expression. */
  pos: number;
}

const PUNCT = [
  '&&',
  '||',
  '<<',
  '>>',
  '<=',
  '>=',
  '==',
  '!=',
  '(',
  ')',
  '[',
  ']',
  ':',
  '!',
  '&',
  '|',
  '^',
  '+',
  '-',
  '*',
  '/',
  '%',
  '=',
  '<',
  '>',
];

/** Inside brackets (`tcp[13:1]`) words are plain identifiers and numbers; '-' and ':' are operators. */
const WORD_OUTSIDE = /[A-Za-z0-9_\\][A-Za-z0-9_.:\-/\\]*/y;
const WORD_INSIDE = /[A-Za-z0-9_][A-Za-z0-9_-]*/y;

export function tokenize(expr: string): Token[] {
  const out: Token[] = [];
  let depth = 0;
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
      continue;
    }
    const re = depth > 0 ? WORD_INSIDE : WORD_OUTSIDE;
    re.lastIndex = i;
    const m = re.exec(expr);
    if (m) {
      out.push({ kind: 'word', text: m[0], pos: i });
      i += m[0].length;
      continue;
    }
    const p = PUNCT.find((s) => expr.startsWith(s, i));
    if (p === undefined) throw new FilterSyntaxError(`unexpected character ${JSON.stringify(c)}`, expr, i);
    if (p === '[') depth++;
    if (p === ']') depth = Math.max(0, depth - 1);
    out.push({ kind: 'punct', text: p, pos: i });
    i += p.length;
  }
  out.push({ kind: 'end', text: '', pos: expr.length });
  return out;
}
