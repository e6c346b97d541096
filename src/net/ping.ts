// Ping from the userspace stack: ICMP / ICMPv6 echo requests at an interval, replies matched by
// identifier and sequence, round-trip times and the statistics iputils ping prints.
import type { Clock, TimerId } from '../link/clock.js';
import { get16 } from '../wire/bytes.js';
import type { IcmpMessage, SendResult } from './handlers.js';
import {
  ICMP_DEST_UNREACHABLE,
  ICMP_ECHO_REPLY,
  ICMP_TIME_EXCEEDED,
  ICMPV6_DEST_UNREACHABLE,
  ICMPV6_ECHO_REPLY,
  ICMPV6_TIME_EXCEEDED,
} from './handlers.js';
import type { NetInterface } from './interface.js';
import { formatIp, type IpAddr, ipEquals } from './ip-addr.js';

export interface PingOptions {
  /** Requests to send; 0 = until stop() (default 0). */
  count?: number;
  /** Between requests, ms (default 1000). */
  intervalMs?: number;
  /** Echo data bytes (default 56, as iputils). */
  size?: number;
  /** After the last request, how long to wait for its reply, ms (default 2000). */
  waitMs?: number;
  ttl?: number;
  /** Echo identifier (default: random). */
  id?: number;
}

export interface PingReply {
  seq: number;
  /** ICMP bytes received (header + data), as iputils prints. */
  bytes: number;
  ttl: number;
  rttMs: number;
  from: string;
  duplicate: boolean;
}

export interface PingError {
  seq: number;
  from: string;
  message: string;
}

export interface PingSummary {
  transmitted: number;
  received: number;
  duplicates: number;
  errors: number;
  /** ms from the first request to the end. */
  elapsedMs: number;
  rtt?: { min: number; avg: number; max: number; mdev: number };
}

export interface PingEvents {
  reply?(r: PingReply): void;
  error?(e: PingError): void;
  /** A request could not be sent (no route, no source address, ...). */
  sendFailed?(seq: number, result: SendResult): void;
}

export class Pinger {
  private readonly sentAt = new Map<number, number>();
  private readonly answered = new Set<number>();
  private readonly rtts: number[] = [];
  private seq = 0;
  private transmitted = 0;
  private duplicates = 0;
  private errors = 0;
  private startedAt = 0;
  private timer: TimerId = 0;
  private unsubscribe: (() => void) | null = null;
  private finish: ((s: PingSummary) => void) | null = null;
  private readonly id: number;
  private readonly data: Uint8Array;

  constructor(
    private readonly iface: NetInterface,
    private readonly clock: Clock,
    readonly destination: IpAddr,
    private readonly opts: PingOptions = {},
    private readonly events: PingEvents = {},
  ) {
    this.id = opts.id ?? Math.floor(Math.random() * 0xffff);
    this.data = new Uint8Array(opts.size ?? 56);
    for (let i = 8; i < this.data.length; i++) this.data[i] = i & 0xff; // iputils' pattern after the time
  }

  /** Sends requests until `count` is reached (plus the wait) or stop(); resolves with the statistics. */
  run(): Promise<PingSummary> {
    this.unsubscribe = this.iface.onIcmp((m) => this.onIcmp(m));
    this.startedAt = this.clock.now();
    return new Promise((resolve) => {
      this.finish = resolve;
      this.sendNext();
    });
  }

  /** Ends the run now (Ctrl-C). */
  stop(): void {
    if (this.finish === null) return;
    if (this.timer !== 0) this.clock.clearTimer(this.timer);
    this.timer = 0;
    this.unsubscribe?.();
    const done = this.finish;
    this.finish = null;
    done(this.summary());
  }

  private sendNext(): void {
    const count = this.opts.count ?? 0;
    this.seq = (this.seq + 1) & 0xffff;
    const seq = this.seq;
    const now = this.clock.now();
    new DataView(this.data.buffer, this.data.byteOffset).setFloat64(0, now);
    this.sentAt.set(seq, now);
    this.transmitted++;
    const result = this.iface.sendIcmpEcho(this.destination, this.id, seq, this.data, { ttl: this.opts.ttl });
    this.iface.flush();
    if (result !== 'sent' && result !== 'queued') this.events.sendFailed?.(seq, result);
    const last = count > 0 && this.transmitted >= count;
    const delay = last ? (this.opts.waitMs ?? 2000) : (this.opts.intervalMs ?? 1000);
    this.timer = this.clock.setTimer(now + delay, () => {
      this.timer = 0;
      if (last) this.stop();
      else this.sendNext();
    });
  }

  private onIcmp(m: IcmpMessage): void {
    const replyType = m.family === 4 ? ICMP_ECHO_REPLY : ICMPV6_ECHO_REPLY;
    if (m.type === replyType) this.onReply(m);
    else this.onError(m);
  }

  private onReply(m: IcmpMessage): void {
    if (m.id !== this.id || !ipEquals(m.ip.src, this.destination)) return;
    const sent = this.sentAt.get(m.seq);
    if (sent === undefined) return;
    const rttMs = this.clock.now() - sent;
    const duplicate = this.answered.has(m.seq);
    if (duplicate) this.duplicates++;
    else {
      this.answered.add(m.seq);
      this.rtts.push(rttMs);
      if (this.opts.count && this.answered.size >= this.opts.count && this.transmitted >= this.opts.count) {
        queueMicrotask(() => this.stop());
      }
    }
    this.events.reply?.({
      seq: m.seq,
      bytes: m.message.length,
      ttl: m.ip.hopLimit,
      rttMs,
      from: formatIp(m.ip.src),
      duplicate,
    });
  }

  /** An ICMP error quoting one of our echo requests (RFC 792: the IP header + 8 bytes). */
  private onError(m: IcmpMessage): void {
    const quoted = m.body;
    const v4 = m.family === 4;
    const ipLen = v4 ? (quoted[0] & 0x0f) * 4 : 40;
    if (quoted.length < ipLen + 8) return;
    if (get16(quoted, ipLen + 4) !== this.id) return;
    const seq = get16(quoted, ipLen + 6);
    this.errors++;
    this.events.error?.({ seq, from: formatIp(m.ip.src), message: describeIcmpError(m) });
  }

  summary(): PingSummary {
    const received = this.answered.size;
    const s: PingSummary = {
      transmitted: this.transmitted,
      received,
      duplicates: this.duplicates,
      errors: this.errors,
      elapsedMs: this.clock.now() - this.startedAt,
    };
    if (this.rtts.length > 0) {
      const min = Math.min(...this.rtts);
      const max = Math.max(...this.rtts);
      const avg = this.rtts.reduce((a, b) => a + b, 0) / this.rtts.length;
      const sq = this.rtts.reduce((a, b) => a + b * b, 0) / this.rtts.length;
      s.rtt = { min, avg, max, mdev: Math.sqrt(Math.max(0, sq - avg * avg)) };
    }
    return s;
  }
}

/** iputils' wording for the common ICMP errors. */
export function describeIcmpError(m: IcmpMessage): string {
  if (m.family === 4) {
    if (m.type === ICMP_DEST_UNREACHABLE) {
      const names = [
        'Net Unreachable',
        'Host Unreachable',
        'Protocol Unreachable',
        'Port Unreachable',
        'Frag needed',
      ];
      return `Destination ${names[m.code] ?? `Unreachable (code ${m.code})`}`;
    }
    if (m.type === ICMP_TIME_EXCEEDED)
      return m.code === 0 ? 'Time to live exceeded' : 'Frag reassembly time exceeded';
  } else {
    if (m.type === ICMPV6_DEST_UNREACHABLE) {
      const names = [
        'No route',
        'Administratively prohibited',
        'Beyond scope',
        'Address unreachable',
        'Port unreachable',
      ];
      return `Destination unreachable: ${names[m.code] ?? `code ${m.code}`}`;
    }
    if (m.type === ICMPV6_TIME_EXCEEDED)
      return m.code === 0 ? 'Time exceeded: Hop limit' : 'Time exceeded: Fragment reassembly';
  }
  return `ICMP type ${m.type} code ${m.code}`;
}

/** The statistics block as iputils prints it. */
export function formatPingSummary(host: string, s: PingSummary): string[] {
  const loss = s.transmitted === 0 ? 0 : Math.round(((s.transmitted - s.received) / s.transmitted) * 100);
  const parts = [`${s.transmitted} packets transmitted`, `${s.received} received`];
  if (s.duplicates > 0) parts.push(`+${s.duplicates} duplicates`);
  if (s.errors > 0) parts.push(`+${s.errors} errors`);
  parts.push(`${loss}% packet loss`, `time ${Math.round(s.elapsedMs)}ms`);
  const lines = [`--- ${host} ping statistics ---`, parts.join(', ')];
  if (s.rtt) {
    const r = s.rtt;
    lines.push(
      `rtt min/avg/max/mdev = ${[r.min, r.avg, r.max, r.mdev].map((x) => x.toFixed(3)).join('/')} ms`,
    );
  }
  return lines;
}
