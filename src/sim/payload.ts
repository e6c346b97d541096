// The bytes a simulated application sends and what the other side checks them against: a seeded
// stream (xoshiro128**, src/link/prng.ts) produced chunk by chunk, never held whole in memory, and a
// running SHA-256 on each end so a 100 MB transfer is compared byte for byte without storing it.
import { createHash, type Hash } from 'node:crypto';
import { Prng } from '../link/prng.js';

const CHUNK = 64 * 1024;

/** A deterministic byte stream of a fixed length; `peek` hands out the next bytes without consuming them. */
export class PayloadSource {
  readonly total: number;
  private produced = 0;
  private consumed = 0;
  private readonly prng: Prng;
  private readonly words = new Uint32Array(CHUNK / 4);
  private readonly bytes = new Uint8Array(this.words.buffer);
  private start = 0;
  private end = 0;
  private readonly hash: Hash = createHash('sha256');

  constructor(total: number, seed: number) {
    this.total = total;
    this.prng = new Prng(seed);
  }

  /** Bytes not yet consumed. */
  get remaining(): number {
    return this.total - this.consumed;
  }

  /** The next unconsumed bytes (at most one chunk); empty when everything was consumed. */
  peek(): Uint8Array {
    if (this.start === this.end) this.refill();
    return this.bytes.subarray(this.start, this.end);
  }

  /** Mark n bytes of the last peek as sent. */
  consume(n: number): void {
    this.start += n;
    this.consumed += n;
  }

  /** SHA-256 of the whole stream (hex); valid once everything was consumed. */
  digest(): string {
    return this.hash.digest('hex');
  }

  private refill(): void {
    const n = Math.min(CHUNK, this.total - this.produced);
    if (n <= 0) return;
    const words = this.words;
    const count = (n + 3) >>> 2;
    for (let i = 0; i < count; i++) words[i] = this.prng.nextUint32();
    this.start = 0;
    this.end = n;
    this.produced += n;
    this.hash.update(this.bytes.subarray(0, n));
  }
}

/** Counts and hashes what an application read. */
export class PayloadSink {
  received = 0;
  /** Virtual time of the last byte read (NaN before any). */
  lastAt = Number.NaN;
  private readonly hash: Hash = createHash('sha256');

  add(bytes: Uint8Array, now: number): void {
    if (bytes.length === 0) return;
    this.hash.update(bytes);
    this.received += bytes.length;
    this.lastAt = now;
  }

  digest(): string {
    return this.hash.digest('hex');
  }
}
