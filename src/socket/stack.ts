// The Stack joins a network interface (anything that moves TCP segments: TcpTransport) to the
// sans-IO TCP engine: it owns the demux table, the listeners, local ports, ISNs, and the driver that
// polls connections on a clock. Users get net.Socket-like sockets from connect() and servers from
// listen().
import { randomBytes, randomInt } from 'node:crypto';
import { type Clock, RealClock } from '../link/clock.js';
import type { NetInterface } from '../net/interface.js';
import { type CoalescerStats, SegmentCoalescer } from '../tcp/coalescer.js';
import type { TcpConfig } from '../tcp/config.js';
import { TcpConnection, TcpEvent } from '../tcp/connection.js';
import { createIsnGenerator, type IsnGenerator } from '../tcp/isn.js';
import { rstForUnmatched } from '../tcp/rst.js';
import { TcpFlags, type TcpSegment } from '../tcp/segment.js';
import { cloneIpAddr, formatIpAddr, type IpAddr, ipAddrEquals, parseIpAddr } from './address.js';
import { ConnectionTable } from './connection-table.js';
import { type DriverStats, StackDriver } from './driver.js';
import { ConnectionEntry } from './entry.js';
import { socketError } from './errors.js';
import { isNetInterface, netTransport } from './net-transport.js';
import { DEFAULT_EPHEMERAL_RANGE, type PortRange, PortTable } from './ports.js';
import { type LookupOptions, type ResolvedAddress, Resolver } from './resolver.js';
import { type ListenOptions, TcpServer } from './tcp-server.js';
import { type ConnectOptions, TcpSocket } from './tcp-socket.js';
import type { TcpTransport } from './transport.js';

export interface StackOptions {
  /** The interface below the stack: a NetInterface (src/net), or any TcpTransport (a segment pipe). */
  iface: NetInterface | TcpTransport;
  /** Time source; default: real time with unref'd timers (sockets decide what keeps the process up). */
  clock?: Clock;
  /** TCP engine settings for every connection (src/tcp/config.ts). */
  tcpConfig?: Partial<TcpConfig>;
  /** Uniform random float in [0, 1) like Math.random (ports, timestamp offsets); inject for replay. */
  rng?: () => number;
  /** 16-byte secret keying the RFC 6528 ISN hash (SipHash-2-4, src/tcp/isn.ts); random by default. */
  isnSecret?: Uint8Array | readonly number[];
  /** Local port range for active opens (default Linux's 32768-60999). */
  ephemeralPorts?: PortRange;
  /** Upper bound on connections of all kinds, TIME-WAIT included (default 65536). */
  maxConnections?: number;
  /** DNS server address: resolve names by sending queries from this stack instead of dns.lookup. */
  dns?: string;
  /**
   * Merge consecutive in-order segments of a connection within one receive batch before the
   * engine sees them (software GRO, src/tcp/coalescer.ts; default true).
   */
  coalesce?: boolean;
}

export interface StackStats {
  connections: number;
  listeners: number;
  segmentsIn: number;
  /** RSTs sent for segments that matched no connection (RFC 9293 §3.10.7.1). */
  rstsSent: number;
  /** SYNs dropped because a listener's SYN backlog was full. */
  synBacklogDrops: number;
  /** Segments dropped because the connection limit was reached. */
  connectionLimitDrops: number;
  driver: DriverStats;
  /** Software GRO: segments held to be merged, and the merged segments the engines received. */
  coalescer: CoalescerStats;
}

export interface StackConnectionInfo {
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  state: string;
  owned: boolean;
}

export class Stack {
  readonly clock: Clock;
  readonly transport: TcpTransport;
  readonly tcpConfig: Partial<TcpConfig>;
  /** @internal */
  readonly driver: StackDriver;
  private readonly table = new ConnectionTable<ConnectionEntry>();
  private readonly listeners = new Map<number, TcpServer[]>();
  private readonly ports: PortTable;
  private readonly isn: IsnGenerator;
  private readonly random: () => number;
  private readonly maxConnections: number;
  private readonly resolver: Resolver;
  private readonly v4Scratch = [new Uint8Array(4), new Uint8Array(4)];
  private counters = { segmentsIn: 0, rstsSent: 0, synBacklogDrops: 0, connectionLimitDrops: 0 };
  private refCount = 0;
  private keepAlive: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly detach: () => void;
  private readonly coalescer: SegmentCoalescer<ConnectionEntry> | null;

  constructor(options: StackOptions) {
    this.transport = isNetInterface(options.iface) ? netTransport(options.iface) : options.iface;
    this.clock = options.clock ?? new RealClock(true);
    // Segmentation offload where the device takes super-frames (a TAP with a vnet header), unless
    // the caller's config says otherwise.
    const tso = this.transport.segmentationLimit?.() ?? 0;
    this.tcpConfig = { ...(tso > 0 ? { maxSegmentBytes: tso } : {}), ...(options.tcpConfig ?? {}) };
    const rng = options.rng ?? (() => randomInt(0x1_0000_0000) / 0x1_0000_0000);
    this.random = () => Math.floor(rng() * 0x1_0000_0000) >>> 0;
    this.ports = new PortTable(options.ephemeralPorts ?? DEFAULT_EPHEMERAL_RANGE, this.random);
    this.isn = createIsnGenerator(secretBytes(options.isnSecret));
    this.maxConnections = options.maxConnections ?? 65536;
    this.coalescer =
      options.coalesce === false
        ? null
        : new SegmentCoalescer<ConnectionEntry>(
            (e) => (e.retired ? -1 : e.conn.nextInOrderSeq),
            this.deliver,
          );
    const coalescer = this.coalescer;
    this.driver = new StackDriver(this.clock, this.transport, this.afterPoll, () => coalescer?.flush());
    this.resolver = new Resolver(this, options.dns);
    this.detach = this.transport.onTcp(this.onSegment);
  }

  /** Open a connection (RFC 9293 §3.10.1 OPEN, active); like net.connect(). */
  connect(options: ConnectOptions, onConnect?: () => void): TcpSocket {
    const socket = new TcpSocket(this, options);
    if (onConnect) socket.once('connect', onConnect);
    socket.startConnect(options);
    return socket;
  }

  /** Listen on a port (RFC 9293 §3.10.1 OPEN, passive); like net.createServer().listen(). */
  listen(options: ListenOptions, onConnection?: (socket: TcpSocket) => void): TcpServer {
    const server = new TcpServer(this, options);
    if (onConnection) server.on('connection', onConnection);
    server.startListening();
    return server;
  }

  /** Resolve a name (literal addresses pass through): dns.lookup, or our own DNS queries with `dns`. */
  lookup(host: string, options: LookupOptions = {}): Promise<ResolvedAddress[]> {
    return this.resolver.lookup(host, options);
  }

  stats(): StackStats {
    let listeners = 0;
    for (const list of this.listeners.values()) listeners += list.length;
    return {
      connections: this.table.size,
      listeners,
      ...this.counters,
      driver: { ...this.driver.stats },
      coalescer: { ...(this.coalescer?.stats ?? { held: 0, delivered: 0 }) },
    };
  }

  connections(): StackConnectionInfo[] {
    const out: StackConnectionInfo[] = [];
    for (const e of this.table.values()) {
      out.push({
        localAddress: formatIpAddr(e.local),
        localPort: e.localPort,
        remoteAddress: formatIpAddr(e.remote),
        remotePort: e.remotePort,
        state: e.conn.state,
        owned: e.owner !== null,
      });
    }
    return out;
  }

  /** Reset every connection, stop every listener and timer. The interface stays open (caller's). */
  close(): void {
    if (this.closed) return;
    for (const list of [...this.listeners.values()]) for (const s of list) s.close();
    const now = this.driver.now();
    for (const e of [...this.table.values()]) {
      if (e.conn.state !== 'CLOSED') {
        e.conn.abort();
        e.conn.poll(now, e.emit);
      }
      (e.owner as TcpSocket | null)?.destroy();
      this.retire(e);
    }
    this.coalescer?.drop();
    this.transport.flush();
    this.driver.close();
    this.resolver.close();
    this.closed = true;
    this.detach();
    if (this.keepAlive) clearInterval(this.keepAlive);
    this.keepAlive = null;
  }

  // ---- used by sockets and servers (@internal) ----

  /** @internal a handle that keeps the process alive while referenced (like a libuv handle). */
  ref(): void {
    if (++this.refCount === 1 && !isVirtualClock(this.clock)) {
      this.keepAlive = setInterval(() => {}, 1 << 30);
    }
  }

  /** @internal */
  unref(): void {
    if (this.refCount === 0) return;
    if (--this.refCount === 0 && this.keepAlive) {
      clearInterval(this.keepAlive);
      this.keepAlive = null;
    }
  }

  /** @internal create the engine for an active open and register it. */
  openConnection(
    remote: IpAddr,
    remotePort: number,
    localPort?: number,
    localAddress?: IpAddr,
  ): ConnectionEntry {
    if (this.closed) throw socketError('EINVAL', 'connect', formatIpAddr(remote), remotePort);
    const local = localAddress ?? this.transport.sourceFor(remote);
    if (local === null) throw socketError('ENETUNREACH', 'connect', formatIpAddr(remote), remotePort);
    if (this.table.size >= this.maxConnections) {
      throw socketError('EADDRNOTAVAIL', 'connect', formatIpAddr(remote), remotePort);
    }
    let port = localPort ?? 0;
    if (port === 0) port = this.ports.allocate();
    else this.ports.acquire(port);
    if (port === 0) throw socketError('EADDRNOTAVAIL', 'connect', formatIpAddr(remote), remotePort);
    if (this.table.find(local, port, remote, remotePort)) {
      this.ports.release(port);
      throw socketError('EADDRINUSE', 'connect', formatIpAddr(local), port);
    }
    const now = this.driver.now();
    const conn = TcpConnection.connect({
      localPort: port,
      remotePort,
      isn: this.isnFor(local, port, remote, remotePort, now),
      now,
      mss: this.transport.mssFor(remote),
      config: this.tcpConfig,
      tsOffset: this.random(),
    });
    const entry = new ConnectionEntry(
      conn,
      cloneIpAddr(local),
      port,
      cloneIpAddr(remote),
      remotePort,
      this.send,
    );
    this.table.add(entry);
    this.driver.markDirty(entry);
    return entry;
  }

  /** @internal */
  addListener(server: TcpServer, port: number): number {
    let p = port;
    if (p === 0) p = this.ports.allocate();
    if (p === 0) throw socketError('EADDRINUSE', 'listen', '0.0.0.0', 0);
    const list = this.listeners.get(p) ?? [];
    if (list.some((s) => s.conflictsWith(server))) {
      if (port === 0) this.ports.release(p);
      throw socketError('EADDRINUSE', 'listen', server.boundAddressText, p);
    }
    if (port !== 0) this.ports.acquire(p);
    list.push(server);
    this.listeners.set(p, list);
    return p;
  }

  /** @internal */
  removeListener(server: TcpServer, port: number): void {
    const list = this.listeners.get(port);
    if (!list) return;
    const i = list.indexOf(server);
    if (i < 0) return;
    list.splice(i, 1);
    if (list.length === 0) this.listeners.delete(port);
    this.ports.release(port);
  }

  /** @internal the interface addresses, to validate listen({ host }). */
  ownsAddress(addr: IpAddr): boolean {
    return this.transport.addresses().some((a) => ipAddrEquals(a, addr));
  }

  /** @internal */
  parseLiteral(host: string): IpAddr | null {
    return parseIpAddr(host);
  }

  // ---- the receive path ----

  private readonly send = (src: IpAddr, dst: IpAddr, seg: TcpSegment): void => {
    this.transport.sendTcp(src, dst, seg);
  };

  private readonly onSegment = (src: IpAddr, dst: IpAddr, seg: TcpSegment): void => {
    if (this.closed) return;
    this.counters.segmentsIn++;
    const entry = this.table.find(dst, seg.dstPort, src, seg.srcPort);
    if (entry !== undefined) {
      // Held by the coalescer: the batch's flush delivers it (markDirty schedules that flush).
      if (this.coalescer?.offer(entry, seg)) this.driver.markDirty(entry);
      else this.deliver(entry, seg);
      return;
    }
    const isSyn = (seg.flags & (TcpFlags.SYN | TcpFlags.ACK | TcpFlags.RST)) === TcpFlags.SYN;
    const server = isSyn ? this.findListener(dst, seg.dstPort) : undefined;
    if (server !== undefined) {
      this.acceptSyn(server, src, dst, seg);
      return;
    }
    this.answerWithRst(src, dst, seg);
  };

  private readonly deliver = (entry: ConnectionEntry, seg: TcpSegment): void => {
    if (entry.retired) return;
    entry.conn.onSegment(this.driver.now(), seg);
    if (entry.conn.ackDue()) this.driver.pollOutputNow(entry);
    this.driver.markDirty(entry);
  };

  private findListener(dst: IpAddr, port: number): TcpServer | undefined {
    const list = this.listeners.get(port);
    if (!list) return undefined;
    let wildcard: TcpServer | undefined;
    for (const s of list) {
      if (s.matchesExactly(dst)) return s;
      if (wildcard === undefined && s.matchesWildcard(dst)) wildcard = s;
    }
    return wildcard;
  }

  /** RFC 9293 §3.10.7.2: a SYN in LISTEN creates a connection in SYN-RECEIVED (bounded backlog). */
  private acceptSyn(server: TcpServer, src: IpAddr, dst: IpAddr, syn: TcpSegment): void {
    if (!server.hasBacklogRoom()) {
      this.counters.synBacklogDrops++;
      return;
    }
    if (this.table.size >= this.maxConnections) {
      this.counters.connectionLimitDrops++;
      return;
    }
    const now = this.driver.now();
    const conn = TcpConnection.accept(
      {
        localPort: syn.dstPort,
        remotePort: syn.srcPort,
        isn: this.isnFor(dst, syn.dstPort, src, syn.srcPort, now),
        now,
        mss: this.transport.mssFor(src),
        config: this.tcpConfig,
        tsOffset: this.random(),
      },
      syn,
    );
    const entry = new ConnectionEntry(
      conn,
      cloneIpAddr(dst),
      syn.dstPort,
      cloneIpAddr(src),
      syn.srcPort,
      this.send,
    );
    this.ports.acquire(entry.localPort);
    this.table.add(entry);
    server.trackPending(entry);
    this.driver.markDirty(entry);
  }

  private answerWithRst(src: IpAddr, dst: IpAddr, seg: TcpSegment): void {
    const rst = rstForUnmatched(seg);
    if (rst === null) return;
    this.counters.rstsSent++;
    this.transport.sendTcp(dst, src, rst);
    this.driver.scheduleFlush();
  }

  /** RFC 6528 ISN for a 4-tuple (the hash takes raw address bytes). */
  private isnFor(local: IpAddr, localPort: number, remote: IpAddr, remotePort: number, now: number): number {
    return this.isn(now, this.addrBytes(local, 0), localPort, this.addrBytes(remote, 1), remotePort);
  }

  private addrBytes(addr: IpAddr, slot: 0 | 1): Uint8Array {
    if (typeof addr !== 'number') return addr;
    const b = this.v4Scratch[slot];
    b[0] = addr >>> 24;
    b[1] = (addr >>> 16) & 255;
    b[2] = (addr >>> 8) & 255;
    b[3] = addr & 255;
    return b;
  }

  /** After every poll: deliver events to the owner, finish handshakes for listeners, retire. */
  private readonly afterPoll = (entry: ConnectionEntry, events: number): void => {
    const pending = entry.pendingAccept;
    if (pending !== null && entry.owner === null) {
      if (events & TcpEvent.CONNECTED || isSynchronized(entry.conn.state)) {
        entry.pendingAccept = null;
        pending.onEstablished(entry); // creates the socket and sets entry.owner
      } else if (entry.conn.state === 'CLOSED') {
        entry.pendingAccept = null;
        pending.onAbandoned(entry);
      }
    }
    if (entry.owner !== null) {
      if (events !== 0) entry.owner.onTcpEvents(events);
    } else if (events & TcpEvent.READABLE && entry.conn.state !== 'CLOSED') {
      // Data for a connection whose socket is gone: Linux answers with RST (tcp_rcv_state_process,
      // RFC 9293 §3.10.7.4 "if the user has closed the connection, the segment data is dropped").
      entry.conn.abort();
      this.driver.markDirty(entry);
    }
    // Retire only after a poll that followed the close (a re-dirtied entry may still owe a RST).
    if (
      entry.conn.state === 'CLOSED' &&
      entry.owner === null &&
      entry.pendingAccept === null &&
      !entry.dirty
    ) {
      this.retire(entry);
    }
  };

  /** @internal called by a socket that lets go of its connection. */
  release(entry: ConnectionEntry): void {
    entry.owner = null;
    // Poll once more even when CLOSED: an abort's RST is emitted by the next poll; afterPoll retires.
    this.driver.markDirty(entry);
  }

  private retire(entry: ConnectionEntry): void {
    if (entry.retired) return;
    entry.retired = true;
    this.table.delete(entry);
    this.driver.forget(entry);
    this.ports.release(entry.localPort);
  }
}

function isSynchronized(state: string): boolean {
  return state !== 'SYN-RECEIVED' && state !== 'SYN-SENT' && state !== 'LISTEN' && state !== 'CLOSED';
}

function isVirtualClock(clock: Clock): boolean {
  return typeof (clock as { advanceTo?: unknown }).advanceTo === 'function';
}

function secretBytes(secret: Uint8Array | readonly number[] | undefined): Uint8Array {
  if (secret === undefined) return new Uint8Array(randomBytes(16));
  const bytes = Uint8Array.from(secret);
  if (bytes.length !== 16)
    throw new RangeError('isnSecret must be 16 bytes (RFC 6528 asks for a 128-bit key)');
  return bytes;
}
