// Wakes the main thread when a non-blocking fd has frames to read, without blocking the event loop
// and without the libuv thread pool (a round trip per read: 70%+ loss measured, PLATFORM.md).
// The caller's drain(budget) reads frames with synchronous non-blocking calls until EAGAIN or the
// budget runs out; the pump calls it again (after a setImmediate) while frames remain.
//
// Two ways to wait, both measured with bench/devices.ts:
//  - 'uv' (default): koffi's uv_poll binding (koffi.node.poll, shipped prebuilt in the koffi
//    package): libuv's epoll calls us back on the main thread when the fd is readable; no extra
//    thread, no build step. This is the "N-API addon with uv_poll" of PLATFORM.md, already built.
//    Measured here: ~3.1 us CPU per received frame on a TAP and no loss at ~100k frames/s offered
//    with a 4096-frame kernel queue in 4 of 4 runs.
//  - 'worker': a worker thread blocks in poll() on [fd, eventfd] and wakes the main thread through
//    Atomics.notify / Atomics.waitAsync; the main thread re-arms it after draining. ~4.3 us CPU per
//    frame, and its wake-up latency spikes lost frames in 1 of 3 runs in the same test.

import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import koffi from 'koffi';
import { close as closeFd, EFD_CLOEXEC, EFD_NONBLOCK, eventfd, eventfdSignal } from './libc.js';

export type RxPumpKind = 'worker' | 'uv';

export interface RxPump {
  readonly kind: RxPumpKind;
  /** Stop waiting. The fd itself stays open (its owner closes it). Idempotent. */
  close(): void;
  /**
   * Settles once everything the pump held is released. The worker pump's thread (and the event
   * loop descriptors Node gives each worker) goes away only after its 'exit' event, after close().
   */
  readonly stopped: Promise<void>;
  /** Whether a waiting pump keeps the process alive (default: yes, like an open socket). */
  ref(): void;
  unref(): void;
}

/** Reads up to `budget` frames; returns true if it stopped on the budget (more may be waiting). */
export type Drain = (budget: number) => boolean;

export interface RxPumpOptions {
  kind?: RxPumpKind;
  /** Frames per drain before yielding to the event loop (default 64). */
  batch?: number;
}

export function defaultPumpKind(): RxPumpKind {
  const fromEnv = process.env.SYNACK_RX_PUMP;
  return fromEnv === 'uv' || fromEnv === 'worker' ? fromEnv : 'uv';
}

export function startRxPump(fd: number, drain: Drain, options: RxPumpOptions = {}): RxPump {
  const batch = options.batch ?? 64;
  const kind = options.kind ?? defaultPumpKind();
  return kind === 'uv' ? new UvPollPump(fd, drain, batch) : new WorkerPollPump(fd, drain, batch);
}

/** Level-triggered: libuv calls back again on the next loop turn while the fd stays readable. */
class UvPollPump implements RxPump {
  readonly kind = 'uv';
  /** uv_poll holds no descriptor of its own: nothing outlives close(). */
  readonly stopped: Promise<void> = Promise.resolve();
  private readonly handle: ReturnType<typeof koffi.node.poll>;
  private closed = false;

  constructor(fd: number, drain: Drain, batch: number) {
    this.handle = koffi.node.poll(fd, { readable: true }, () => {
      if (!this.closed) drain(batch);
    });
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.handle.close();
  }

  ref(): void {
    this.handle.ref();
  }

  unref(): void {
    this.handle.unref();
  }
}

// Shared control words between the main thread and the poll worker.
const ARMED = 0; // main sets 1: "poll the fd"; the worker sets 0 when it reports readiness
const READY = 1; // the worker sets 1 + notify: "the fd is readable"
const STOP = 2; // main sets 1: "exit"
const EXITED = 3; // the worker sets 1 + notify once it no longer touches the fd

/** The poll worker, as plain JavaScript so it runs the same from source (tsx) and from dist. */
const WORKER_SOURCE = `
const { workerData } = require('node:worker_threads');
const koffi = require(workerData.koffiPath);
const poll = koffi.load('libc.so.6').func('int poll(void *fds, unsigned long nfds, int timeout)');
const ctrl = new Int32Array(workerData.control);
const fds = new Uint8Array(16);
const view = new DataView(fds.buffer);
view.setInt32(0, workerData.fd, true);
view.setInt16(4, 1, true); // POLLIN
view.setInt32(8, workerData.wakeFd, true);
view.setInt16(12, 1, true);
try {
  for (;;) {
    Atomics.wait(ctrl, ${ARMED}, 0);
    if (Atomics.load(ctrl, ${STOP}) !== 0) break;
    view.setInt16(6, 0, true);
    view.setInt16(14, 0, true);
    const n = poll(fds, 2, -1);
    if (Atomics.load(ctrl, ${STOP}) !== 0 || view.getInt16(14, true) !== 0) break;
    if (n > 0 && view.getInt16(6, true) !== 0) {
      Atomics.store(ctrl, ${ARMED}, 0);
      Atomics.store(ctrl, ${READY}, 1);
      Atomics.notify(ctrl, ${READY});
    }
  }
} finally {
  Atomics.store(ctrl, ${EXITED}, 1);
  Atomics.notify(ctrl, ${EXITED});
}
`;

/** Atomics.waitAsync (ES2024; in Node since 16) is not in the ES2022 lib typings. */
const waitAsync = (
  Atomics as unknown as {
    waitAsync(
      array: Int32Array,
      index: number,
      value: number,
    ): { async: false; value: string } | { async: true; value: Promise<string> };
  }
).waitAsync;

const KOFFI_PATH = createRequire(import.meta.url).resolve('koffi');

/** How long close() waits for the worker to leave poll() before closing the fds anyway. */
const EXIT_WAIT_MS = 2000;

class WorkerPollPump implements RxPump {
  readonly kind = 'worker';
  readonly stopped: Promise<void>;
  private readonly control = new Int32Array(new SharedArrayBuffer(16));
  private readonly wakeFd: number;
  private readonly worker: Worker;
  private closed = false;

  constructor(
    fd: number,
    private readonly drain: Drain,
    private readonly batch: number,
  ) {
    this.wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { fd, wakeFd: this.wakeFd, control: this.control.buffer, koffiPath: KOFFI_PATH },
      // The worker only polls; keep its heap small.
      resourceLimits: { maxOldGenerationSizeMb: 16, maxYoungGenerationSizeMb: 4 },
      // WORKER_SOURCE is CommonJS: the parent's flags (e.g. --input-type=module) must not apply.
      execArgv: [],
    });
    this.stopped = new Promise((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.on('error', (err) => {
      if (!this.closed) throw err;
    });
    this.arm();
  }

  private arm(): void {
    if (this.closed) return;
    Atomics.store(this.control, READY, 0);
    Atomics.store(this.control, ARMED, 1);
    Atomics.notify(this.control, ARMED);
    const wait = waitAsync(this.control, READY, 0);
    if (wait.async) wait.value.then(this.onReady);
    else setImmediate(this.onReady);
  }

  private readonly onReady = (): void => {
    if (this.closed) return;
    if (this.drain(this.batch)) setImmediate(this.onReady);
    else this.arm();
  };

  close(): void {
    if (this.closed) return;
    this.closed = true;
    Atomics.store(this.control, STOP, 1);
    Atomics.store(this.control, ARMED, 1);
    Atomics.notify(this.control, ARMED);
    eventfdSignal(this.wakeFd);
    // Wait (briefly, synchronously) until the worker is out of poll(), so the caller may close the fd.
    Atomics.wait(this.control, EXITED, 0, EXIT_WAIT_MS);
    closeFd(this.wakeFd);
    this.worker.unref();
    void this.worker.terminate();
  }

  ref(): void {
    this.worker.ref();
  }

  unref(): void {
    this.worker.unref();
  }
}
