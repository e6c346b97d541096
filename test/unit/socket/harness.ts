// Test harness for the socket layer: two Stacks joined by an in-memory segment pipe on a
// VirtualClock, and a driver loop that alternates virtual timers with the event loop (Node's
// streams, http and tls defer work with nextTick/microtasks), so runs are deterministic.
import { VirtualClock } from '../../../src/link/clock.js';
import { Prng } from '../../../src/link/prng.js';
import { createSegmentPipe, type SegmentPipeOptions } from '../../../src/socket/segment-pipe.js';
import { Stack, type StackOptions } from '../../../src/socket/stack.js';

export interface Pair {
  clock: VirtualClock;
  /** 10.0.0.1 */
  a: Stack;
  /** 10.0.0.2 */
  b: Stack;
  close(): void;
}

export function makePair(
  pipe: SegmentPipeOptions = {},
  stackOptions: Partial<Omit<StackOptions, 'iface' | 'clock'>> = {},
): Pair {
  const clock = new VirtualClock(1000);
  const { a: ta, b: tb } = createSegmentPipe(clock, pipe);
  const prngA = new Prng(1);
  const prngB = new Prng(2);
  const a = new Stack({
    iface: ta,
    clock,
    rng: () => prngA.nextUint32() / 2 ** 32,
    isnSecret: Array(16).fill(1),
    ...stackOptions,
  });
  const b = new Stack({
    iface: tb,
    clock,
    rng: () => prngB.nextUint32() / 2 ** 32,
    isnSecret: Array(16).fill(2),
    ...stackOptions,
  });
  return {
    clock,
    a,
    b,
    close() {
      a.close();
      b.close();
    },
  };
}

const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Run virtual time until `until()` holds. Between timers the event loop runs, so stream and http
 * callbacks happen "at" the virtual instant that caused them. Throws when nothing is left to run
 * or when `maxMs` of virtual time pass first.
 */
export async function drive(clock: VirtualClock, until: () => boolean, maxMs = 600_000): Promise<void> {
  const deadline = clock.now() + maxMs;
  for (;;) {
    await settle();
    if (until()) return;
    const next = clock.nextTimerAt();
    if (next === undefined) {
      for (let i = 0; i < 5; i++) await settle();
      if (until()) return;
      throw new Error(`drive: idle at t=${clock.now()} and the condition does not hold`);
    }
    if (next > deadline) throw new Error(`drive: condition not met within ${maxMs} ms of virtual time`);
    clock.fireNext();
  }
}

/** Deterministic pseudo-random bytes. */
export function randomBytes(length: number, seed: number): Buffer {
  const prng = new Prng(seed);
  const out = Buffer.alloc(length);
  let word = 0;
  for (let i = 0; i < length; i++) {
    if ((i & 3) === 0) word = prng.nextUint32();
    out[i] = (word >>> ((i & 3) * 8)) & 0xff;
  }
  return out;
}

/** Collect everything a readable yields until 'end'. */
export function collect(stream: NodeJS.ReadableStream): {
  chunks: Buffer[];
  ended: boolean;
  bytes(): Buffer;
} {
  const state = {
    chunks: [] as Buffer[],
    ended: false,
    bytes() {
      return Buffer.concat(state.chunks);
    },
  };
  stream.on('data', (c: Buffer) => state.chunks.push(c));
  stream.on('end', () => {
    state.ended = true;
  });
  return state;
}

/** Run virtual time for `ms`, whatever happens (the connections keep their timers running). */
export async function runFor(clock: VirtualClock, ms: number): Promise<void> {
  const end = clock.now() + ms;
  for (;;) {
    await settle();
    const next = clock.nextTimerAt();
    if (next === undefined || next > end) break;
    clock.fireNext();
  }
  clock.advanceTo(end);
  await settle();
}
