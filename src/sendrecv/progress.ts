// Scapy's progress output for sr()/send(): "Begin emission:", "Finished sending 1 packets.", a dot
// per received packet that answers nothing and a star per answer, then the totals.

export type VerboseOption = boolean | ((text: string) => void);

export class Progress {
  private readonly write: ((text: string) => void) | undefined;
  private marks = 0;

  constructor(verbose: VerboseOption | undefined, fallback: boolean) {
    const on = verbose ?? fallback;
    if (typeof on === 'function') this.write = on;
    else this.write = on ? (text) => void process.stdout.write(text) : undefined;
  }

  beginEmission(): void {
    this.write?.('Begin emission:\n');
  }
  finishedSending(n: number): void {
    this.write?.(`Finished sending ${n} packets.\n`);
  }
  /** One received packet: '*' when it answered a probe, '.' when not. */
  received(answered: boolean): void {
    if (!this.write) return;
    this.marks++;
    this.write(answered ? '*' : '.');
  }
  totals(received: number, answers: number, remaining: number): void {
    if (!this.write) return;
    if (this.marks > 0) this.write('\n');
    this.marks = 0;
    this.write(`Received ${received} packets, got ${answers} answers, remaining ${remaining} packets\n`);
  }
  /** send()/sendp(): a dot per packet, then the count. */
  sent(n: number): void {
    if (!this.write) return;
    this.write(`${'.'.repeat(n)}\nSent ${n} packets.\n`);
  }
}
