// send (L3: routed through an interface) and sendp (L2: the frame as built, on a device).
import type { Packet } from '../packet/packet.js';
import { conf } from './conf.js';
import { Progress, type VerboseOption } from './progress.js';
import { captureTimeNow } from './receive.js';
import { type Endpoint, l2Endpoint, l3Endpoint, type TargetOptions } from './target.js';
import { sleep } from './timers.js';

export interface SendOptions extends TargetOptions {
  /** Send the whole list this many times (default 1). */
  count?: number;
  /** Seconds between two packets. */
  inter?: number;
  /** Print Scapy's ".\nSent 1 packets." (default conf.verbose). */
  verbose?: VerboseOption;
}

/** Sends IP packets through an interface; resolves with the number of packets sent. */
export function send(pkts: Packet | readonly Packet[], opts: SendOptions = {}): Promise<number> {
  return emit(pkts, l3Endpoint(opts), opts);
}

/** Sends frames as built on a device; resolves with the number of frames sent. */
export function sendp(pkts: Packet | readonly Packet[], opts: SendOptions = {}): Promise<number> {
  return emit(pkts, l2Endpoint(opts), opts);
}

async function emit(pkts: Packet | readonly Packet[], ep: Endpoint, opts: SendOptions): Promise<number> {
  const list = (Array.isArray(pkts) ? pkts : [pkts]) as readonly Packet[];
  const prepared = list.map((p) => {
    const pkt = ep.prepare(p);
    return { pkt, bytes: pkt.build() };
  });
  const rounds = opts.count ?? 1;
  let n = 0;
  for (let r = 0; r < rounds; r++) {
    for (const { pkt, bytes } of prepared) {
      if (n > 0 && opts.inter) await sleep(ep.clock, opts.inter * 1000);
      pkt.time = captureTimeNow();
      await ep.transmit(bytes);
      n++;
    }
  }
  new Progress(opts.verbose, conf.verbose).sent(n);
  return n;
}
