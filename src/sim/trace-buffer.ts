// Keeps a bounded trace: the first N and the last N lines, and how many were left out between.

export class TraceBuffer {
  total = 0;
  private readonly head: string[] = [];
  private readonly tail: string[];
  private tailNext = 0;

  /** @param keep lines kept at each end (Infinity keeps everything). */
  constructor(private readonly keep: number) {
    this.tail = [];
  }

  readonly add = (line: string): void => {
    this.total++;
    if (this.head.length < this.keep) {
      this.head.push(line);
      return;
    }
    if (this.tail.length < this.keep) this.tail.push(line);
    else {
      this.tail[this.tailNext] = line;
      this.tailNext = (this.tailNext + 1) % this.keep;
    }
  };

  /** The kept lines in order, with one marker line where lines were left out. */
  lines(): string[] {
    const tail = [...this.tail.slice(this.tailNext), ...this.tail.slice(0, this.tailNext)];
    const omitted = this.total - this.head.length - tail.length;
    if (omitted <= 0) return [...this.head, ...tail];
    return [...this.head, `... ${omitted} lines not shown (use --trace-all) ...`, ...tail];
  }
}
