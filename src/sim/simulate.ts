// simulate(): one TCP transfer between two production stacks over an in-memory wire with the fault
// injector, in virtual time. Every source of randomness comes from the seed, so the same options
// give the same frames, the same trace, the same pcap and the same result.
//
// The loop fires one clock event at a time (a frame arriving, a driver flush, a timer) and after
// each one checks the engines' invariants (src/tcp/invariants.ts; also after every arriving
// segment), watches for progress, and stops once every byte was read and both ends are CLOSED or in
// TIME-WAIT. The stall detector fails the run with a dump when, for longer than stallRtos x the
// largest current RTO, nothing was acknowledged, delivered or changed state AND neither end sent a
// frame: a stack that has gone silent. (One that keeps retransmitting without progress is bounded
// by the engine's own retry limit, which fails the connection, and by maxVirtualTime. Counting
// retransmissions as activity matters: at 30% loss, RTOs capped at 120 s fail several times in a
// row often enough that "no progress for 4 RTOs" would blame healthy runs.)
import { VirtualClock } from '../link/clock.js';
import { parseIpAddr } from '../socket/address.js';
import type { ConnectionEntry } from '../socket/entry.js';
import type { TcpConnection } from '../tcp/connection.js';
import { assertInvariants } from '../tcp/invariants.js';
import type { Receiver } from '../tcp/receiver.js';
import type { Sender } from '../tcp/sender.js';
import { diagnosticDump } from './diagnostic.js';
import { SimEndpoint } from './endpoint.js';
import { impairmentFor } from './impairments.js';
import { SimListener } from './listener.js';
import { type ResolvedSimOptions, resolveSimOptions, type SimOptions } from './options.js';
import { PayloadSink } from './payload.js';
import type { SimConnectionReport, SimDirectionReport, SimResult } from './result.js';
import { RttSampler } from './rtt-sampler.js';
import { buildNetwork, type Network, SERVER_IP, SERVER_PORT } from './topology.js';
import { TraceBuffer } from './trace-buffer.js';

const DEFAULT_TRACE_LINES = 20;

export function simulate(options: SimOptions = {}): SimResult {
  const o = resolveSimOptions(options);
  const impairment = impairmentFor(options.impair, options.loss, o.seed);
  const clock = new VirtualClock(0);
  const trace = traceSetup(options.trace);
  const net = buildNetwork(clock, o, impairment, {
    dropRule: options.dropRule,
    onSegment: options.onSegment,
    traceLine: trace.write,
    pcapPath: options.pcap,
  });
  try {
    const run = new SimRun(clock, net, o, options.onStep);
    run.run();
    return run.result(trace.buffer);
  } finally {
    net.close();
  }
}

function traceSetup(t: SimOptions['trace']): { buffer: TraceBuffer | null; write?: (l: string) => void } {
  if (t === undefined || t === false) return { buffer: null };
  const opts = t === true ? {} : t;
  if (opts.write !== undefined) return { buffer: null, write: opts.write };
  const buffer = new TraceBuffer(opts.all ? Number.POSITIVE_INFINITY : (opts.lines ?? DEFAULT_TRACE_LINES));
  return { buffer, write: buffer.add };
}

/** The engine parts the loop watches, taken once per connection (internals() allocates). */
interface Watched {
  conn: TcpConnection;
  sender: Sender;
  receiver: Receiver;
  lastState: string;
}

class SimRun {
  readonly client: SimEndpoint;
  readonly server: SimEndpoint;
  private readonly watched: { client: Watched | null; server: Watched | null } = {
    client: null,
    server: null,
  };
  private failure: string | null = null;
  private readonly violations: string[] = [];
  private steps = 0;
  private progressMark = -1;
  private stateChanges = 0;
  private lastProgressAt = 0;
  private largestCwnd = 0;

  constructor(
    private readonly clock: VirtualClock,
    private readonly net: Network,
    private readonly o: ResolvedSimOptions,
    private readonly onStep: SimOptions['onStep'],
  ) {
    const now = () => clock.now();
    const seed = o.seed;
    this.client = new SimEndpoint(
      'client',
      {
        sendBytes: o.clientBytes,
        sendAfterReceiving: 0,
        closeAfterPeerFin: o.request > 0 || o.clientBytes === 0,
        seed: mix(seed, 1),
      },
      new PayloadSink(),
      net.client.stack.driver,
      now,
    );
    this.server = new SimEndpoint(
      'server',
      {
        sendBytes: o.serverBytes,
        sendAfterReceiving: o.request,
        closeAfterPeerFin: o.serverBytes === 0,
        seed: mix(seed, 2),
      },
      new PayloadSink(),
      net.server.stack.driver,
      now,
    );
    new SimListener(
      net.server.stack,
      SERVER_PORT,
      (entry) => this.watch('server', entry),
      (entry) => this.server.attach(entry),
    );
    if (o.checkInvariants) {
      net.client.iface.onTcp(() => this.checkInvariants('client'));
      net.server.iface.onTcp(() => this.checkInvariants('server'));
    }
  }

  run(): void {
    const remote = parseIpAddr(SERVER_IP);
    if (remote === null) throw new Error('bad server address');
    const entry = this.net.client.stack.openConnection(remote, SERVER_PORT);
    this.watch('client', entry);
    this.client.attach(entry);
    const clock = this.clock;
    while (this.failure === null && !this.done()) {
      const next = clock.nextTimerAt();
      if (next === undefined) {
        this.fail('stuck: no event left to run, but the transfer is not finished');
        break;
      }
      const limit = this.stallLimit(next - this.lastProgressAt);
      if (next - this.lastProgressAt > limit) {
        this.fail(
          `stalled: no progress and no frame sent for ${(next - this.lastProgressAt).toFixed(1)} ms ` +
            `(limit ${this.o.stallRtos} x RTO = ${limit.toFixed(1)} ms) since ${this.lastProgressAt.toFixed(3)} ms`,
        );
        break;
      }
      if (next > this.o.maxVirtualTime) {
        this.fail(`virtual time limit ${this.o.maxVirtualTime} ms reached`);
        break;
      }
      try {
        clock.fireNext();
      } catch (err) {
        this.fail(`the stack threw: ${describe(err)}`);
        break;
      }
      this.steps++;
      this.afterStep();
      this.onStep?.(clock.now(), this.watched.client?.conn ?? null, this.watched.server?.conn ?? null);
    }
  }

  private afterStep(): void {
    if (this.o.checkInvariants) {
      this.checkInvariants('client');
      this.checkInvariants('server');
    }
    for (const host of [this.net.client, this.net.server]) {
      if (host.handlerErrors.length > 0) {
        this.fail(`the ${host.side} stack threw on receive: ${describe(host.handlerErrors[0])}`);
        return;
      }
    }
    for (const side of ['client', 'server'] as const) {
      const w = this.watched[side];
      if (w === null) continue;
      if (w.conn.error !== null) {
        this.fail(`${side} connection failed: ${w.conn.error.code}: ${w.conn.error.message}`);
        return;
      }
      if (w.conn.state !== w.lastState) {
        w.lastState = w.conn.state;
        this.stateChanges++;
      }
      if (w.sender.cc.cwnd > this.largestCwnd) this.largestCwnd = w.sender.cc.cwnd;
    }
    const mark = this.progress();
    if (mark !== this.progressMark) {
      this.progressMark = mark;
      this.lastProgressAt = this.clock.now();
    }
  }

  private watch(side: 'client' | 'server', entry: ConnectionEntry): void {
    const { sender, receiver } = entry.conn.internals();
    this.watched[side] = { conn: entry.conn, sender, receiver, lastState: entry.conn.state };
  }

  private checkInvariants(side: 'client' | 'server'): void {
    const w = this.watched[side];
    if (w === null || this.failure !== null) return;
    try {
      assertInvariants(w.conn);
    } catch (err) {
      const message = `${side} at ${this.clock.now().toFixed(3)} ms: ${describe(err)}`;
      this.violations.push(message);
      this.fail(`invariant broken: ${message}`);
    }
  }

  /** A number that changes whenever anything is acknowledged, delivered, read, changes state or is sent. */
  private progress(): number {
    let mark = this.stateChanges + this.client.sink.received + this.server.sink.received;
    mark += this.net.client.probe.counters.framesSent + this.net.server.probe.counters.framesSent;
    for (const w of [this.watched.client, this.watched.server]) {
      if (w !== null) mark += w.sender.una + w.receiver.deliveredEnd;
    }
    return mark;
  }

  /**
   * stallRtos x the longest silence an engine may keep on purpose: its current RTO, or the time until
   * its armed retransmission or persist timer (zero-window probes back off beyond the RTO, RFC 9293
   * §3.8.6.1) as long as that stays within maxRto (RFC 6298 §2.5). A timer beyond that, or none, is a stall.
   */
  private stallLimit(silence: number): number {
    let quiet = this.o.tcpConfig.minRto ?? 200;
    const maxRto = this.o.tcpConfig.maxRto ?? 120_000;
    for (const w of [this.watched.client, this.watched.server]) {
      if (w === null) continue;
      if (w.sender.rtt.rto > quiet) quiet = w.sender.rtt.rto;
      if (silence <= this.o.stallRtos * quiet) continue; // timerList() allocates: only when it matters
      for (const t of w.conn.timerList()) {
        if (t.kind !== 'retransmit' && t.kind !== 'persist') continue;
        const wait = t.expiresAt - this.lastProgressAt;
        if (wait <= maxRto && wait > quiet) quiet = wait;
      }
    }
    return this.o.stallRtos * quiet;
  }

  private done(): boolean {
    const c = this.watched.client;
    const s = this.watched.server;
    if (c === null || s === null) return false;
    return (
      this.client.sink.received === this.o.serverBytes &&
      this.server.sink.received === this.o.clientBytes &&
      this.client.source.remaining === 0 &&
      this.server.source.remaining === 0 &&
      isFinished(c.conn.state) &&
      isFinished(s.conn.state)
    );
  }

  private fail(reason: string): void {
    if (this.failure !== null) return;
    this.failure = reason;
    this.diagnostic = diagnosticDump(this.clock, this.net, { client: this.client, server: this.server });
  }

  private diagnostic: string | null = null;

  result(trace: TraceBuffer | null): SimResult {
    const clientDigestOk = this.client.source.digest() === this.server.sink.digest();
    const serverDigestOk = this.server.source.digest() === this.client.sink.digest();
    const c2s = this.direction('client', clientDigestOk);
    const s2c = this.direction('server', serverDigestOk);
    const client = report(this.watched.client);
    const server = report(this.watched.server);
    const firstWrite = minDefined(this.client.firstWriteAt, this.server.firstWriteAt);
    const lastRead = maxDefined(this.client.sink.lastAt, this.server.sink.lastAt);
    const delivered = c2s.bytesDelivered + s2c.bytesDelivered;
    const transfer = Number.isNaN(firstWrite) || Number.isNaN(lastRead) ? 0 : (lastRead - firstWrite) / 1000;
    const sum = (pick: (s: NonNullable<SimConnectionReport['stats']>) => number) =>
      (client.stats ? pick(client.stats) : 0) + (server.stats ? pick(server.stats) : 0);
    const complete = this.failure === null && c2s.sha256Match && s2c.sha256Match;
    return {
      ok: complete,
      failure: this.failure ?? (complete ? null : 'delivered bytes differ from the bytes sent'),
      diagnostic: this.diagnostic,
      virtualSeconds: this.clock.now() / 1000,
      transferSeconds: transfer,
      goodputBitsPerSecond: transfer > 0 ? (delivered * 8) / transfer : 0,
      bytesSent: c2s.bytesSent + s2c.bytesSent,
      bytesDelivered: delivered,
      sha256Match: c2s.sha256Match && s2c.sha256Match,
      retransmissions: sum((s) => s.retransmits),
      fastRetransmits: sum((s) => s.fastRetransmits),
      rtoCount: sum((s) => s.rtoCount),
      rtt: RttSampler.merge(this.net.client.probe.rtt, this.net.server.probe.rtt),
      largestCwnd: this.largestCwnd,
      clientToServer: c2s,
      serverToClient: s2c,
      client,
      server,
      invariantViolations: this.violations,
      steps: this.steps,
      trace: trace?.lines() ?? [],
      traceLines: trace?.total ?? this.net.tracer?.count ?? 0,
    };
  }

  private direction(from: 'client' | 'server', digestOk: boolean): SimDirectionReport {
    const sender = from === 'client' ? this.client : this.server;
    const receiver = from === 'client' ? this.server : this.client;
    const out = from === 'client' ? this.net.client.probe : this.net.server.probe;
    const into = from === 'client' ? this.net.server.probe : this.net.client.probe;
    const wire = from === 'client' ? this.net.wire.a : this.net.wire.b;
    const inj = this.net.injector;
    const sent = sender.source.total - sender.source.remaining;
    return {
      segmentsSent: out.counters.segmentsSent,
      segmentsDelivered: into.counters.segmentsReceived,
      dataSegmentsSent: out.counters.dataSegmentsSent,
      bytesSent: sent,
      bytesDelivered: receiver.sink.received,
      sha256Match: digestOk && receiver.sink.received === sender.source.total && sent === sender.source.total,
      scriptedDrops: out.counters.scriptedDrops,
      impairments: inj === null ? null : { ...(from === 'client' ? inj.stats.out : inj.stats.in) },
      queueDrops: wire.stats.queueDrops,
    };
  }
}

function report(w: Watched | null): SimConnectionReport {
  if (w === null) return { state: null, error: null, stats: null };
  return { state: w.conn.state, error: w.conn.error?.message ?? null, stats: w.conn.stats() };
}

function isFinished(state: string): boolean {
  return state === 'CLOSED' || state === 'TIME-WAIT';
}

function minDefined(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.min(a, b);
}

function maxDefined(a: number, b: number): number {
  if (Number.isNaN(a)) return b;
  if (Number.isNaN(b)) return a;
  return Math.max(a, b);
}

function describe(err: unknown): string {
  return err instanceof Error
    ? `${err.message}${err.stack ? `\n${err.stack.split('\n').slice(1, 6).join('\n')}` : ''}`
    : String(err);
}

/** A 32-bit seed derived from the simulation seed and a stream number (splitmix-style). */
function mix(seed: number, stream: number): number {
  let z = (seed + Math.imul(stream, 0x9e3779b9)) | 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}
