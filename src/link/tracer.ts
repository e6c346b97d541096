// A Device wrapper that prints one numbered line per frame, in and out, like the traces in the
// seed article (` 1: IP 192.168.1.180.52907 > example.com.http: Flags [S], ...`). The line text
// comes from an injected formatter (the tcpdump-style one lives in src/packet); the default is a
// short hex summary.

import type { Device, LinkType, RxInfo } from './device.js';
import { DeviceWrapper } from './device-wrapper.js';
import { WallTime, type WallTimeOptions } from './wall-time.js';

export type Direction = 'in' | 'out';

/** Formats one frame as the text after the number and timestamp. `timestamp` is epoch ms. */
export type FrameFormatter = (
  frame: Uint8Array,
  linkType: LinkType,
  direction: Direction,
  timestamp: number,
) => string;

export interface TracerOptions extends WallTimeOptions {
  format?: FrameFormatter;
  /** Where lines go (default: stdout, one line each). */
  write?: (line: string) => void;
  /**
   * 'none' (default), 'absolute' (local time of day, HH:MM:SS.mmmuuu, as tcpdump prints),
   * or 'relative' (seconds since the first frame traced, as tcpdump -ttttt).
   */
  timestamps?: 'none' | 'absolute' | 'relative';
  /** Minimum width of the frame number (default 2, as in the seed's traces). */
  numberWidth?: number;
  /** Which directions to trace (default both). */
  directions?: 'in' | 'out' | 'both';
}

const HEX_BYTES = 32;

/** The default formatter: direction, link type, length and the first bytes in hex. */
export function hexSummary(frame: Uint8Array, linkType: LinkType, direction: Direction): string {
  let hex = '';
  const n = Math.min(frame.length, HEX_BYTES);
  for (let i = 0; i < n; i++) hex += (i > 0 && i % 2 === 0 ? ' ' : '') + hexByte(frame[i]);
  const more = frame.length > HEX_BYTES ? ' ...' : '';
  return `${direction === 'in' ? '<' : '>'} ${linkType} ${frame.length} bytes: ${hex}${more}`;
}

function hexByte(b: number): string {
  return (b < 16 ? '0' : '') + b.toString(16);
}

/** Local time of day with microseconds, e.g. 14:03:07.123456. */
export function timeOfDay(epochMs: number): string {
  const totalMicros = Math.round(epochMs * 1000);
  const d = new Date(Math.floor(totalMicros / 1000));
  const pad = (v: number, w = 2) => String(v).padStart(w, '0');
  const micros = totalMicros % 1_000_000;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(micros, 6)}`;
}

/** Seconds since the first frame, tcpdump -ttttt style: 00:00:01.234567. */
export function elapsed(ms: number): string {
  const totalMicros = Math.max(0, Math.round(ms * 1000));
  const micros = totalMicros % 1_000_000;
  const s = Math.floor(totalMicros / 1_000_000);
  const pad = (v: number, w = 2) => String(v).padStart(w, '0');
  return `${pad(Math.floor(s / 3600))}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}.${pad(micros, 6)}`;
}

export class Tracer extends DeviceWrapper {
  /** Frames traced so far (the number of the last line). */
  count = 0;
  private readonly format: FrameFormatter;
  private readonly write: (line: string) => void;
  private readonly wallTime: WallTime;
  private readonly timestamps: 'none' | 'absolute' | 'relative';
  private readonly numberWidth: number;
  private readonly traceIn: boolean;
  private readonly traceOut: boolean;
  private firstAt = Number.NaN;

  constructor(inner: Device, options: TracerOptions = {}) {
    super(inner);
    this.format = options.format ?? hexSummary;
    this.write = options.write ?? ((line) => process.stdout.write(`${line}\n`));
    this.wallTime = new WallTime(options);
    this.timestamps = options.timestamps ?? 'none';
    this.numberWidth = options.numberWidth ?? 2;
    const dirs = options.directions ?? 'both';
    this.traceIn = dirs !== 'out';
    this.traceOut = dirs !== 'in';
  }

  override transmit(frame: Uint8Array, gsoSize = 0): void {
    if (this.traceOut) this.trace(frame, 'out', this.wallTime.epochMs());
    this.inner.transmit(frame, gsoSize);
  }

  protected override receiveFrame(frame: Uint8Array, info: RxInfo): void {
    if (this.traceIn) this.trace(frame, 'in', this.wallTime.epochMs(info.timestamp));
    this.deliver(frame, info);
  }

  private trace(frame: Uint8Array, direction: Direction, epochMs: number): void {
    this.count++;
    let text: string;
    try {
      text = this.format(frame, this.linkType, direction, epochMs);
    } catch (err) {
      // A formatter bug must not take the link down: show the frame in hex instead.
      text = `${hexSummary(frame, this.linkType, direction)} [format error: ${(err as Error).message}]`;
    }
    this.write(`${String(this.count).padStart(this.numberWidth)}: ${this.stamp(epochMs)}${text}`);
  }

  private stamp(epochMs: number): string {
    if (this.timestamps === 'none') return '';
    if (this.timestamps === 'absolute') return `${timeOfDay(epochMs)} `;
    if (Number.isNaN(this.firstAt)) this.firstAt = epochMs;
    return `${elapsed(epochMs - this.firstAt)} `;
  }
}
