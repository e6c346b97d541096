// Explains frames one at a time, for `synack read FILE --explain` and the live tracer:
// parse the frame, feed the analyzer, return the analyzed packet (or undefined for non-TCP frames).
import { WireError } from '../wire/errors.js';
import type { AnalyzedPacket } from './analyzed-packet.js';
import { TcpAnalyzer } from './analyzer.js';
import type { AnalyzerLimits } from './connection.js';
import { explainPacket } from './explain.js';
import { tcpInfoFromFrame } from './frame.js';

export interface FrameExtras {
  /** 'out' = sent by us, 'in' = received (live tracing); omit for captures of others. */
  direction?: 'in' | 'out';
  /** The fault injector dropped this frame. */
  dropped?: boolean;
  /** The tcpdump-style text of the frame, kept on the packet for reports. */
  line?: string;
}

export class CaptureExplainer {
  readonly analyzer: TcpAnalyzer;
  /** Frames whose headers were malformed (counted and skipped). */
  malformed = 0;

  constructor(limits: Partial<AnalyzerLimits> = {}) {
    this.analyzer = new TcpAnalyzer(limits);
  }

  /** Analyzes one frame; undefined when it is not TCP or is malformed. `timeMs`: capture time in ms. */
  analyzeFrame(
    data: Uint8Array,
    linkType: number,
    timeMs: number,
    extras: FrameExtras = {},
  ): AnalyzedPacket | undefined {
    let info: ReturnType<typeof tcpInfoFromFrame>;
    try {
      info = tcpInfoFromFrame(data, linkType, timeMs);
    } catch (err) {
      if (!(err instanceof WireError)) throw err;
      this.malformed++;
      return undefined;
    }
    if (!info) return undefined;
    if (extras.direction) info.direction = extras.direction;
    if (extras.dropped) info.dropped = true;
    if (extras.line !== undefined) info.line = extras.line;
    return this.analyzer.feed(info);
  }

  /** The plain-word explanation of a frame ('' when there is nothing to say). */
  explainFrame(data: Uint8Array, linkType: number, timeMs: number, extras: FrameExtras = {}): string {
    const packet = this.analyzeFrame(data, linkType, timeMs, extras);
    return packet ? explainPacket(packet) : '';
  }
}
