// sr / sr1 (L3, through an interface) and srp / srp1 (L2, on a device): send probes, collect the
// packets that answer them (answers()), with Scapy's timeout, retry, inter and multi semantics.
import type { Packet } from '../packet/packet.js';
import type { Backlog } from './backlog.js';
import { conf } from './conf.js';
import { makeProbe, type Probe, ProbeIndex } from './probe-index.js';
import { Progress, type VerboseOption } from './progress.js';
import { captureTimeNow, frameDecoder, type PacketFilter } from './receive.js';
import { listenFrames } from './rx-hub.js';
import { type Endpoint, l2Endpoint, l3Endpoint, type TargetOptions } from './target.js';
import { after, sleep } from './timers.js';

export interface SrOptions extends TargetOptions {
  /**
   * Seconds to wait after the last probe is sent (like Scapy). Unset: wait until every probe is
   * answered (forever with `multi`).
   */
  timeout?: number;
  /**
   * Re-send unanswered probes this many more times. Negative (Scapy): keep re-sending while
   * rounds bring new answers, and stop after -retry rounds in a row bring none.
   */
  retry?: number;
  /** Seconds between two sends. */
  inter?: number;
  /** Keep collecting answers for a probe after its first (e.g. a broadcast ping); needs `timeout`. */
  multi?: boolean;
  /** Print Scapy's progress lines (default conf.verbose); or a function that gets the text. */
  verbose?: VerboseOption;
  /** Only received packets that pass this filter are considered. */
  filter?: PacketFilter;
  /** Take packets from this backlog (packets that arrived before the call count too). */
  backlog?: Backlog;
}

/** Scapy's (ans, unans): answered pairs in arrival order, and the probes nobody answered. */
export class SrResult {
  constructor(
    readonly answered: Array<[sent: Packet, received: Packet]>,
    readonly unanswered: Packet[],
  ) {}

  /** One line per answered pair: "sent summary ==> received summary". */
  summary(): string {
    return this.answered.map(([s, r]) => `${s.summary()} ==> ${r.summary()}`).join('\n');
  }
}

type Probes = Packet | readonly Packet[];

function list(pkts: Probes): readonly Packet[] {
  return Array.isArray(pkts) ? pkts : [pkts as Packet];
}

/** Sends IP packets through an interface and matches the answers. */
export function sr(pkts: Probes, opts: SrOptions = {}): Promise<SrResult> {
  return sendAndReceive(list(pkts), l3Endpoint(opts), opts);
}

/** sr() of one packet: its first answer, or null on timeout. */
export async function sr1(pkt: Packet, opts: SrOptions = {}): Promise<Packet | null> {
  const res = await sr([pkt], opts);
  return res.answered[0]?.[1] ?? null;
}

/** Sends frames as built on a device and matches the answers. */
export function srp(pkts: Probes, opts: SrOptions = {}): Promise<SrResult> {
  return sendAndReceive(list(pkts), l2Endpoint(opts), opts);
}

export async function srp1(pkt: Packet, opts: SrOptions = {}): Promise<Packet | null> {
  const res = await srp([pkt], opts);
  return res.answered[0]?.[1] ?? null;
}

async function sendAndReceive(pkts: readonly Packet[], ep: Endpoint, opts: SrOptions): Promise<SrResult> {
  const progress = new Progress(opts.verbose, conf.verbose);
  const probes = pkts.map((p) => makeProbe(ep.prepare(p)));
  const answered: Array<[Packet, Packet]> = [];
  let received = 0;
  let retry = opts.retry ?? 0;
  const autostop = retry < 0 ? -retry : 0;
  if (retry < 0) retry = -retry;
  let toSend: Probe[] = probes;
  while (retry >= 0) {
    received += await round(toSend, ep, opts, progress, answered);
    const remain = toSend.filter((p) => p.answers === 0);
    if (autostop > 0 && remain.length > 0 && remain.length !== toSend.length) retry = autostop;
    toSend = remain;
    if (toSend.length === 0) break;
    retry--;
  }
  progress.totals(received, answered.length, toSend.length);
  return new SrResult(
    answered,
    probes.filter((p) => p.answers === 0).map((p) => p.pkt),
  );
}

/** One emission of `probes` and the wait for their answers; resolves with the packets received. */
function round(
  probes: Probe[],
  ep: Endpoint,
  opts: SrOptions,
  progress: Progress,
  answered: Array<[Packet, Packet]>,
): Promise<number> {
  const multi = opts.multi ?? false;
  const index = new ProbeIndex(probes);
  let outstanding = probes.length;
  let received = 0;
  let sending = true;
  let cancelTimer = () => {};
  let settle: (() => void) | undefined;
  const done = new Promise<void>((resolve) => {
    settle = resolve;
  });
  const finish = () => settle?.();

  const consume = (pkt: Packet): boolean => {
    received++;
    const probe = index.match(pkt);
    progress.received(probe !== undefined);
    if (probe === undefined) return false;
    if (probe.answers++ === 0) outstanding--;
    answered.push([probe.pkt, pkt]);
    if (!multi) index.remove(probe);
    if (!multi && outstanding === 0 && !sending) finish();
    return true;
  };
  progress.beginEmission();
  const stop = subscribe(ep, opts, consume);
  const run = async () => {
    for (let i = 0; i < probes.length; i++) {
      if (i > 0 && opts.inter) await sleep(ep.clock, opts.inter * 1000);
      probes[i].pkt.time = captureTimeNow();
      await ep.transmit(probes[i].bytes);
    }
    sending = false;
    progress.finishedSending(probes.length);
    if (!multi && outstanding === 0) finish();
    else if (opts.timeout !== undefined) cancelTimer = after(ep.clock, opts.timeout * 1000, finish);
    await done;
  };
  return run().then(
    () => {
      cancelTimer();
      stop();
      return received;
    },
    (err: unknown) => {
      cancelTimer();
      stop();
      throw err;
    },
  );
}

function subscribe(ep: Endpoint, opts: SrOptions, consume: (pkt: Packet) => boolean): () => void {
  const backlog = opts.backlog;
  if (backlog !== undefined) {
    backlog.attach(consume);
    return () => backlog.detach(consume);
  }
  const decode = frameDecoder(ep.device, opts.filter);
  return listenFrames(
    ep.device,
    (frame, info) => {
      const pkt = decode(frame, info);
      if (pkt !== undefined) consume(pkt);
    },
    ep.forward,
  );
}
