// A filter that does not parse: the message names the problem and points at the column.

export class FilterSyntaxError extends Error {
  override readonly name = 'FilterSyntaxError';
  constructor(
    /** What is wrong, without the position. */
    readonly reason: string,
    readonly expression: string,
    /** 0-based column of the offending token. */
    readonly position: number,
  ) {
    super(`${reason} at column ${position + 1}\n  ${expression}\n  ${' '.repeat(position)}^`);
  }
}
