// A Device wrapper at each endpoint, between the host and the network: it counts TCP segments each
// way, drops the frames a scripted rule picks (the simulator's own precise loss, apart from the fault
// injector's random one), times round trips, keeps the last frames for a diagnostic dump, and reports
// segments to an optional observer. It sees frames as tcpdump on that host would: sent ones before
// the network, received ones after it.
import type { Device, RxInfo } from '../link/device.js';
import { DeviceWrapper } from '../link/device-wrapper.js';
import { flagsToString, TcpFlags } from '../tcp/segment.js';
import { RttSampler } from './rtt-sampler.js';
import { SegmentReader, type SimSegmentEvent, type SimSide } from './segment-view.js';

/** Decides whether a frame this side is about to send is lost. Called for TCP segments only. */
export type DropRule = (ev: SimSegmentEvent) => boolean;

export interface ProbeCounters {
  framesSent: number;
  framesReceived: number;
  segmentsSent: number;
  segmentsReceived: number;
  dataSegmentsSent: number;
  dataSegmentsReceived: number;
  /** Frames this side sent that the scripted rule dropped. */
  scriptedDrops: number;
}

const LOG_SIZE = 48;
const LOG_FIELDS = 8;

export class Probe extends DeviceWrapper {
  readonly rtt = new RttSampler();
  readonly counters: ProbeCounters = {
    framesSent: 0,
    framesReceived: 0,
    segmentsSent: 0,
    segmentsReceived: 0,
    dataSegmentsSent: 0,
    dataSegmentsReceived: 0,
    scriptedDrops: 0,
  };
  private readonly reader = new SegmentReader();
  /** Last frames: time, direction (0 sent, 1 received, 2 dropped), flags, seq, ack, len, window, checksum ok
   * (received frames: checked only when an observer or an RTT sample needs it). */
  private readonly log = new Float64Array(LOG_SIZE * LOG_FIELDS);
  private logCount = 0;

  constructor(
    inner: Device,
    readonly side: SimSide,
    private readonly now: () => number,
    private readonly dropRule: DropRule | undefined,
    private readonly observer: ((ev: SimSegmentEvent) => void) | undefined,
  ) {
    super(inner);
  }

  /** The probe reads and may drop each segment: no super-frames through here. */
  override get segmentationOffload(): boolean {
    return false;
  }

  override transmit(frame: Uint8Array): void {
    const c = this.counters;
    c.framesSent++;
    if (!this.reader.read(frame)) {
      this.inner.transmit(frame);
      return;
    }
    const seg = this.reader.seg;
    const now = this.now();
    c.segmentsSent++;
    if (seg.payload.length > 0) c.dataSegmentsSent++;
    let dropped = false;
    if (this.dropRule !== undefined || this.observer !== undefined) {
      const ev = this.event(now, 'sent', frame);
      if (this.dropRule?.(ev)) {
        dropped = true;
        ev.dropped = true;
        c.scriptedDrops++;
      }
      this.observer?.(ev);
    }
    this.remember(now, dropped ? 2 : 0, true);
    this.rtt.onSent(now, seg.seq, this.reader.length);
    if (!dropped) this.inner.transmit(frame);
  }

  protected override receiveFrame(frame: Uint8Array, info: RxInfo): void {
    const c = this.counters;
    c.framesReceived++;
    if (this.reader.read(frame)) {
      const seg = this.reader.seg;
      const now = this.now();
      c.segmentsReceived++;
      if (seg.payload.length > 0) c.dataSegmentsReceived++;
      // The checksum only matters where it changes what we record (corrupted frames are dropped above us).
      const timed = (seg.flags & TcpFlags.ACK) !== 0 && this.rtt.wouldSample(seg.ack);
      const sum = timed || this.observer !== undefined ? this.reader.checksumOk(frame) : true;
      if (this.observer !== undefined) this.observer(this.event(now, 'received', frame, sum));
      this.remember(now, 1, sum);
      if (timed && sum) this.rtt.onAck(now, seg.ack);
    }
    this.deliver(frame, info);
  }

  private event(
    now: number,
    direction: 'sent' | 'received',
    frame: Uint8Array,
    sum?: boolean,
  ): SimSegmentEvent {
    const seg = this.reader.seg;
    const c = this.counters;
    const sent = direction === 'sent';
    const blocks = seg.options.sackBlocks ?? [];
    return {
      time: now,
      side: this.side,
      direction,
      index: sent ? c.segmentsSent : c.segmentsReceived,
      dataIndex: seg.payload.length === 0 ? 0 : sent ? c.dataSegmentsSent : c.dataSegmentsReceived,
      seq: seg.seq,
      ack: seg.ack,
      flags: seg.flags,
      window: seg.window,
      payloadLength: seg.payload.length,
      sackBlocks: blocks.map(([l, r]) => [l, r]),
      checksumOk: sum ?? this.reader.checksumOk(frame),
      dropped: false,
    };
  }

  private remember(now: number, direction: number, checksumOk: boolean): void {
    const seg = this.reader.seg;
    const at = (this.logCount++ % LOG_SIZE) * LOG_FIELDS;
    const log = this.log;
    log[at] = now;
    log[at + 1] = direction;
    log[at + 2] = seg.flags;
    log[at + 3] = seg.seq;
    log[at + 4] = seg.ack;
    log[at + 5] = seg.payload.length;
    log[at + 6] = seg.window;
    log[at + 7] = checksumOk ? 1 : 0;
  }

  /** The last frames seen here, oldest first, one line each (for stall and failure dumps). */
  recentLines(): string[] {
    const n = Math.min(this.logCount, LOG_SIZE);
    const lines: string[] = [];
    for (let i = this.logCount - n; i < this.logCount; i++) {
      const at = (i % LOG_SIZE) * LOG_FIELDS;
      const l = this.log;
      const dir = l[at + 1] === 0 ? 'sent' : l[at + 1] === 1 ? 'recv' : 'DROP';
      const bad = l[at + 7] === 1 ? '' : ' BAD-CHECKSUM';
      lines.push(
        `${l[at].toFixed(3)}ms ${this.side} ${dir} [${flagsToString(l[at + 2])}] seq ${l[at + 3]} ack ${l[at + 4]} ` +
          `win ${l[at + 6]} len ${l[at + 5]}${bad}`,
      );
    }
    return lines;
  }
}
