// A Device that wraps a Device and impairs its traffic: loss, Gilbert-Elliott burst loss, delay and
// jitter, reordering, duplication, corruption, a token-bucket rate limit and blackout windows, each
// direction configured on its own. Seeded: the same seed and the same traffic give the same run.
// The kernel here has no netem; this is how the lab gets a bad network. Grammar: impair-spec.ts.

import type { Clock } from './clock.js';
import { type Device, type RxInfo, rxInfo } from './device.js';
import { DeviceWrapper } from './device-wrapper.js';
import { type ImpairmentConfig, parseImpairSpec } from './impair-spec.js';
import { ImpairedPath, type ImpairmentStats } from './impaired-path.js';
import { Prng } from './prng.js';

export type { ImpairmentStats } from './impaired-path.js';

/** Different streams per direction: traffic in one direction never shifts the other's draws. */
const IN_STREAM_SALT = 0x5bd1e995;

export class FaultInjector extends DeviceWrapper {
  readonly config: ImpairmentConfig;
  private readonly outPath: ImpairedPath;
  private readonly inPath: ImpairedPath;
  private closed = false;

  /** @param config an ImpairmentConfig or an `--impair` spec string (throws ImpairSpecError). */
  constructor(inner: Device, clock: Clock, config: ImpairmentConfig | string) {
    super(inner);
    this.config = typeof config === 'string' ? parseImpairSpec(config) : config;
    const linkHeader = inner.linkType === 'ethernet' ? 14 : 0;
    const seed = this.config.seed >>> 0;
    this.outPath = new ImpairedPath(
      clock,
      this.config.out,
      new Prng(seed),
      (frame) => inner.transmit(frame),
      () => inner.flush(),
      linkHeader,
    );
    this.inPath = new ImpairedPath(
      clock,
      this.config.in,
      new Prng(seed ^ IN_STREAM_SALT),
      (frame, info) => this.deliver(frame, info),
      undefined,
      linkHeader,
    );
  }

  /** Per-direction counters: `out` for frames we transmit, `in` for frames we receive. */
  get stats(): { in: ImpairmentStats; out: ImpairmentStats } {
    return { in: this.inPath.stats, out: this.outPath.stats };
  }

  /** Frames wait in the impaired path and are counted one by one: no super-frames through here. */
  override get segmentationOffload(): boolean {
    return false;
  }

  override transmit(frame: Uint8Array): void {
    if (this.closed) return;
    this.outPath.push(frame, NO_INFO);
  }

  protected override receiveFrame(frame: Uint8Array, info: RxInfo): void {
    this.inPath.push(frame, info);
  }

  override close(): void {
    if (this.closed) return;
    this.closed = true;
    this.outPath.close();
    this.inPath.close();
    this.inner.close();
  }
}

const NO_INFO = rxInfo(0);
