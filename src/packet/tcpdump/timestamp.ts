// tcpdump's timestamp prefixes: default "HH:MM:SS.uuuuuu" in local time, -tt "seconds.uuuuuu", -t none.
// Microseconds as tcpdump prints them without --nano (nanosecond captures are truncated).

export type TimestampFormat = 'default' | 'epoch' | 'none';

export class TimestampPrinter {
  #lastSecond = Number.NaN;
  #lastClock = '';

  constructor(readonly format: TimestampFormat = 'default') {}

  /** The prefix including its trailing space ('' for 'none'). */
  prefix(seconds: number, nanoseconds: number): string {
    if (this.format === 'none') return '';
    const micros = pad6(Math.floor(nanoseconds / 1000));
    if (this.format === 'epoch') return `${seconds}.${micros} `;
    return `${this.clock(seconds)}.${micros} `;
  }

  /** HH:MM:SS of the local time zone, cached per second (captures are mostly in order). */
  private clock(seconds: number): string {
    if (seconds !== this.#lastSecond) {
      const d = new Date(seconds * 1000);
      this.#lastClock = `${pad2(d.getHours())}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}`;
      this.#lastSecond = seconds;
    }
    return this.#lastClock;
  }
}

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000'];

function pad6(n: number): string {
  const s = `${n}`;
  return s.length >= 6 ? s : ZEROS[6 - s.length] + s;
}
