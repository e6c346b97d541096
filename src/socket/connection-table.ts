// The demux table: established (and half-open) connections by 4-tuple (RFC 9293 §3.10.7: a segment
// belongs to the connection whose local/remote address and port match). The key is a 32-bit number
// computed from the remote address and both ports with no allocation; the rare collisions share a
// small bucket that is compared field by field.
import { type IpAddr, ipAddrEquals, ipAddrHash } from './address.js';

export interface FourTuple {
  readonly local: IpAddr;
  readonly localPort: number;
  readonly remote: IpAddr;
  readonly remotePort: number;
}

export function tupleKey(remote: IpAddr, remotePort: number, localPort: number): number {
  return (ipAddrHash(remote) ^ Math.imul((remotePort << 16) | localPort, 0x9e3779b1)) >>> 0;
}

function matches(
  t: FourTuple,
  local: IpAddr,
  localPort: number,
  remote: IpAddr,
  remotePort: number,
): boolean {
  return (
    t.localPort === localPort &&
    t.remotePort === remotePort &&
    ipAddrEquals(t.remote, remote) &&
    ipAddrEquals(t.local, local)
  );
}

export class ConnectionTable<T extends FourTuple> {
  private readonly buckets = new Map<number, T[]>();
  private count = 0;

  get size(): number {
    return this.count;
  }

  find(local: IpAddr, localPort: number, remote: IpAddr, remotePort: number): T | undefined {
    const bucket = this.buckets.get(tupleKey(remote, remotePort, localPort));
    if (bucket === undefined) return undefined;
    for (let i = 0; i < bucket.length; i++) {
      if (matches(bucket[i], local, localPort, remote, remotePort)) return bucket[i];
    }
    return undefined;
  }

  /** Insert; returns false if the 4-tuple is already taken. */
  add(entry: T): boolean {
    if (this.find(entry.local, entry.localPort, entry.remote, entry.remotePort)) return false;
    const key = tupleKey(entry.remote, entry.remotePort, entry.localPort);
    const bucket = this.buckets.get(key);
    if (bucket === undefined) this.buckets.set(key, [entry]);
    else bucket.push(entry);
    this.count++;
    return true;
  }

  delete(entry: T): boolean {
    const key = tupleKey(entry.remote, entry.remotePort, entry.localPort);
    const bucket = this.buckets.get(key);
    if (bucket === undefined) return false;
    const i = bucket.indexOf(entry);
    if (i < 0) return false;
    bucket.splice(i, 1);
    if (bucket.length === 0) this.buckets.delete(key);
    this.count--;
    return true;
  }

  *values(): IterableIterator<T> {
    for (const bucket of this.buckets.values()) yield* bucket;
  }
}
