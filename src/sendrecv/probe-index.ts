// The sent packets of one sr() call, bucketed by match key so that each received packet is
// compared with a handful of candidates, not with every probe (Scapy's hashret buckets).
import type { Packet } from '../packet/packet.js';
import { answers } from './answers.js';
import { matchKey } from './match-key.js';

export interface Probe {
  /** The packet as sent (source address/MAC filled in). */
  readonly pkt: Packet;
  readonly bytes: Uint8Array;
  readonly key: string | undefined;
  /** Answers received so far. */
  answers: number;
}

export function makeProbe(pkt: Packet): Probe {
  return { pkt, bytes: pkt.build(), key: matchKey(pkt), answers: 0 };
}

export class ProbeIndex {
  private readonly buckets = new Map<string, Probe[]>();
  /** Probes that any packet may answer (sent to a group address, or of an unknown kind). */
  private wildcards: Probe[] = [];

  constructor(probes: readonly Probe[]) {
    for (const p of probes) {
      if (p.key === undefined) {
        this.wildcards.push(p);
        continue;
      }
      const bucket = this.buckets.get(p.key);
      if (bucket) bucket.push(p);
      else this.buckets.set(p.key, [p]);
    }
  }

  /** The first probe (in sending order) that `received` answers. */
  match(received: Packet): Probe | undefined {
    const key = matchKey(received);
    const bucket = key === undefined ? undefined : this.buckets.get(key);
    if (bucket) for (const p of bucket) if (answers(p.pkt, received)) return p;
    for (const p of this.wildcards) if (answers(p.pkt, received)) return p;
    return undefined;
  }

  remove(probe: Probe): void {
    if (probe.key === undefined) {
      this.wildcards = this.wildcards.filter((p) => p !== probe);
      return;
    }
    const bucket = this.buckets.get(probe.key);
    if (!bucket) return;
    const rest = bucket.filter((p) => p !== probe);
    if (rest.length === 0) this.buckets.delete(probe.key);
    else this.buckets.set(probe.key, rest);
  }
}
