// A net.Socket-compatible Duplex over one TCP connection of the userspace stack: what Node's http,
// tls and undici expect of a socket (connect/ready, half-close, destroy, timeouts, addresses,
// counters, errors with Node's codes), with backpressure tied to TCP's windows in both directions:
// a write completes when the engine's send buffer took the bytes, and the receive window only
// reopens as the application reads.
import { Duplex } from 'node:stream';
import type { TimerId } from '../link/clock.js';
import { TcpEvent } from '../tcp/connection.js';
import { familyName, familyOf, formatIpAddr, type IpAddr } from './address.js';
import type { ConnectionEntry, ConnectionOwner } from './entry.js';
import { errorFromTcp, type SocketError, socketError } from './errors.js';
import type { Stack } from './stack.js';

export interface ConnectOptions {
  host?: string;
  port: number;
  /** 4 or 6: resolve the host to this family only (like net.connect). */
  family?: 0 | 4 | 6;
  localAddress?: string;
  localPort?: number;
  /** Keep the writable side open after the peer's FIN (default false, like net.Socket). */
  allowHalfOpen?: boolean;
  noDelay?: boolean;
  keepAlive?: boolean;
  keepAliveInitialDelay?: number;
  /** Idle timeout in ms (socket.setTimeout). */
  timeout?: number;
}

/** Largest chunk handed to the reader at once. */
const READ_CHUNK = 64 * 1024;
/** Largest view handed to a sink at once (a whole wrap-free stretch of the ring is fine). */
const SINK_CHUNK = 1 << 20;

interface PendingWrite {
  chunk: Uint8Array;
  offset: number;
  callback: (error?: Error | null) => void;
}

export class TcpSocket extends Duplex implements ConnectionOwner {
  connecting = false;
  bytesRead = 0;
  remoteAddress: string | undefined;
  remotePort: number | undefined;
  remoteFamily: 'IPv4' | 'IPv6' | undefined;
  localAddress: string | undefined;
  localPort: number | undefined;
  /** Milliseconds of inactivity before 'timeout' (0 = off), like net.Socket#timeout. */
  timeout: number | undefined;
  private entry: ConnectionEntry | null = null;
  private sent = 0;
  private wantRead = false;
  private remoteFin = false;
  private endPushed = false;
  private finSent = false;
  private pendingWrite: PendingWrite | null = null;
  private pendingFinal: ((error?: Error | null) => void) | null = null;
  private noDelay: boolean | undefined;
  private keepAlive: [boolean, number] | undefined;
  private idleTimer: TimerId = 0;
  private lastActivity = 0;
  private referenced = false;
  private released = false;

  /** @internal use stack.connect() or a server's 'connection' event. */
  constructor(
    private readonly stack: Stack,
    options: { allowHalfOpen?: boolean } = {},
  ) {
    super({ allowHalfOpen: options.allowHalfOpen ?? false, emitClose: true, autoDestroy: true });
    this.setRef(true);
  }

  // ---- opening ----

  /** @internal active open: resolve, then hand the SYN to the engine. */
  startConnect(options: ConnectOptions): void {
    this.connecting = true;
    if (options.noDelay) this.noDelay = true;
    if (options.keepAlive) this.keepAlive = [true, options.keepAliveInitialDelay ?? 0];
    if (options.timeout) this.setTimeout(options.timeout);
    const host = options.host ?? 'localhost';
    const port = options.port;
    if (!(Number.isInteger(port) && port > 0 && port < 65536)) {
      throw new RangeError(`Port should be > 0 and < 65536. Received ${String(port)}.`);
    }
    const literal = this.stack.parseLiteral(host);
    if (literal !== null) {
      this.openTo(literal, port, options);
      return;
    }
    this.stack
      .lookup(host, { family: options.family ?? 0 })
      .then((addresses) => {
        if (this.destroyed) return;
        const first = this.stack.parseLiteral(addresses[0].address);
        if (first === null) throw new Error(`resolver returned no address for ${host}`);
        this.emit('lookup', null, addresses[0].address, addresses[0].family, host);
        this.openTo(first, port, options);
      })
      .catch((err: Error) => {
        this.emit('lookup', err, undefined, undefined, host);
        this.destroy(err);
      });
  }

  private openTo(remote: IpAddr, port: number, options: ConnectOptions): void {
    try {
      const local = options.localAddress ? this.stack.parseLiteral(options.localAddress) : null;
      const entry = this.stack.openConnection(remote, port, options.localPort, local ?? undefined);
      this.attach(entry);
    } catch (err) {
      process.nextTick(() => this.destroy(err as Error));
    }
  }

  /** @internal bind this socket to a connection (active open, or accepted by a server). */
  attach(entry: ConnectionEntry): void {
    this.entry = entry;
    entry.owner = this;
    this.remoteAddress = formatIpAddr(entry.remote);
    this.remotePort = entry.remotePort;
    this.remoteFamily = familyName(familyOf(entry.remote));
    this.localAddress = formatIpAddr(entry.local);
    this.localPort = entry.localPort;
    if (this.noDelay !== undefined) entry.conn.setNoDelay(this.noDelay);
    if (this.keepAlive) entry.conn.setKeepAlive(this.keepAlive[0], this.keepAlive[1] || undefined);
  }

  // ---- net.Socket properties ----

  get pending(): boolean {
    return this.entry === null || this.connecting;
  }

  get readyState(): 'opening' | 'open' | 'readOnly' | 'writeOnly' | 'closed' {
    if (this.connecting) return 'opening';
    if (this.readable && this.writable) return 'open';
    if (this.readable && !this.writable) return 'readOnly';
    if (!this.readable && this.writable) return 'writeOnly';
    return 'closed';
  }

  /** Bytes handed to TCP plus bytes still queued in this stream (like net.Socket#bytesWritten). */
  get bytesWritten(): number {
    const queued = this.pendingWrite ? this.pendingWrite.chunk.length - this.pendingWrite.offset : 0;
    return this.sent + queued + this.writableLength;
  }

  /** The bytes the engine still holds for sending (not yet acknowledged or sent). */
  get bufferSize(): number {
    return this.writableLength;
  }

  address(): { address: string; family: string; port: number } | Record<string, never> {
    if (this.entry === null) return {};
    return {
      address: formatIpAddr(this.entry.local),
      family: familyName(familyOf(this.entry.local)),
      port: this.entry.localPort,
    };
  }

  /** The engine's counters (RTT, cwnd, retransmissions...), like `ss -ti`. */
  tcpStats() {
    return this.entry?.conn.stats();
  }

  /** The TCP state name (RFC 9293 §3.3.2), or 'CLOSED' before the connection exists. */
  get tcpState(): string {
    return this.entry?.conn.state ?? 'CLOSED';
  }

  setNoDelay(noDelay = true): this {
    this.noDelay = noDelay;
    this.entry?.conn.setNoDelay(noDelay);
    return this;
  }

  setKeepAlive(enable = false, initialDelay = 0): this {
    this.keepAlive = [enable, initialDelay];
    this.entry?.conn.setKeepAlive(enable, initialDelay > 0 ? initialDelay : undefined);
    return this;
  }

  /** Emit 'timeout' after `ms` of inactivity (no bytes in or out); 0 turns it off. */
  setTimeout(ms: number, callback?: () => void): this {
    this.timeout = ms;
    this.clearIdleTimer();
    if (callback) {
      if (ms === 0) this.removeListener('timeout', callback);
      else this.once('timeout', callback);
    }
    if (ms > 0) {
      this.lastActivity = this.stack.clock.now();
      this.armIdleTimer(this.lastActivity + ms);
    }
    return this;
  }

  ref(): this {
    this.setRef(true);
    return this;
  }

  unref(): this {
    this.setRef(false);
    return this;
  }

  /** End the writable side, then destroy once everything was written (net.Socket#destroySoon). */
  destroySoon(): void {
    if (this.writable) this.end();
    if (this.writableFinished) this.destroy();
    else this.once('finish', () => this.destroy());
  }

  /** Send RST now and drop everything (like socket.resetAndDestroy()). */
  resetAndDestroy(): this {
    if (this.entry && this.entry.conn.state !== 'CLOSED') {
      this.entry.conn.abort();
      this.stack.driver.markDirty(this.entry);
    }
    return this.destroy();
  }

  // ---- events from the engine ----

  /** @internal */
  onTcpEvents(events: number): void {
    const entry = this.entry;
    if (entry === null || this.released) return;
    if (events & TcpEvent.CONNECTED && this.connecting) this.onConnected();
    if (events & (TcpEvent.READABLE | TcpEvent.REMOTE_FIN)) {
      if (events & TcpEvent.REMOTE_FIN) this.remoteFin = true;
      this.pull();
    }
    if (events & TcpEvent.WRITABLE) this.continueWrite();
    const error = entry.conn.error;
    if (error !== null && error.code !== 'aborted') {
      this.failWith(errorFromTcp(error, this.remoteAddress ?? '', this.remotePort ?? 0, this.connecting));
      return;
    }
    if (events & TcpEvent.CLOSED || entry.conn.state === 'CLOSED') this.onClosed();
  }

  private onConnected(): void {
    this.connecting = false;
    this.touch();
    this.emit('connect');
    this.emit('ready');
    this.continueWrite();
  }

  private onClosed(): void {
    // Both FINs exchanged (or TIME-WAIT over): nothing more can arrive.
    if (!this.remoteFin) this.remoteFin = true;
    this.pull();
    if (this.pendingWrite) {
      const { callback } = this.pendingWrite;
      this.pendingWrite = null;
      callback(socketError('EPIPE', 'write'));
    }
  }

  private failWith(error: SocketError): void {
    this.releaseConnection();
    this.destroy(error);
  }

  // ---- reading: the receive window opens only as fast as the application reads ----

  override _read(): void {
    this.wantRead = true;
    this.pull();
  }

  /**
   * From now on, received bytes go straight to `sink` as views of the receive buffer, instead of
   * being copied into Buffers and pushed to the stream: the fast path for a body of known length
   * (synack get), where a fresh Buffer per chunk and the stream machinery cost more than the TCP.
   * Bytes already pushed are consumed by the stream first: diverting starts after the current
   * call stack (a parser that called us is still working through the last chunk) and once the
   * stream's buffer is empty. `sink` must be done with a view when it returns; it returns how
   * many bytes it took (fewer than offered ends the diversion; the rest is pushed as usual).
   */
  divert(sink: (view: Uint8Array) => number): void {
    queueMicrotask(() => {
      this.sink = sink;
      this.pull();
    });
  }

  private sink: ((view: Uint8Array) => number) | null = null;

  /**
   * Hands views to the sink while it takes them all; a short take gives the stream back. Once
   * the buffer is drained into it, the sink also takes new bytes as they arrive, straight from
   * the segment (TcpConnection.setDirectReader): they are never copied into the receive ring.
   */
  private pullIntoSink(conn: ConnectionEntry['conn']): void {
    if (this.sink === null || this.readableLength > 0) return;
    for (let view = conn.peek(SINK_CHUNK); view.length > 0; view = conn.peek(SINK_CHUNK)) {
      const taken = this.offerToSink(view);
      if (taken > 0) conn.discard(taken);
      if (this.sink === null) return;
    }
    conn.setDirectReader(this.offerToSink);
  }

  /**
   * One view to the sink: what it took (counted as read). A short take or a throw ends the
   * diversion; a throw destroys the socket with that error, later, since the engine may be the
   * caller (inside onSegment, through the direct reader) and must not see it.
   */
  private readonly offerToSink = (view: Uint8Array): number => {
    const sink = this.sink;
    if (sink === null) return 0;
    let taken = 0;
    try {
      taken = Math.max(0, Math.min(view.length, sink(view)));
    } catch (err) {
      this.stopDiverting();
      queueMicrotask(() => this.destroy(err instanceof Error ? err : new Error(String(err))));
      return 0;
    }
    if (taken > 0) {
      this.bytesRead += taken;
      this.touch();
    }
    if (taken < view.length) this.stopDiverting();
    return taken;
  };

  private stopDiverting(): void {
    this.sink = null;
    this.entry?.conn.setDirectReader(null);
  }

  private pull(): void {
    const entry = this.entry;
    if (entry === null || this.endPushed) return;
    const conn = entry.conn;
    const before = this.bytesRead;
    this.pullIntoSink(conn);
    let took = this.bytesRead !== before;
    while (this.wantRead) {
      const available = conn.readableLength();
      if (available === 0) break;
      const buffer = Buffer.allocUnsafe(Math.min(available, READ_CHUNK));
      const n = conn.read(buffer);
      if (n === 0) break;
      took = true;
      this.bytesRead += n;
      this.wantRead = this.push(n === buffer.length ? buffer : buffer.subarray(0, n));
    }
    if (took) {
      this.touch();
      this.stack.driver.markDirty(entry); // reading may open the window: a window update is due
    }
    if (this.remoteFin && conn.readableLength() === 0 && !this.endPushed) {
      this.endPushed = true;
      this.push(null);
    }
  }

  // ---- writing: done when the engine's send buffer took every byte ----

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.pendingWrite = { chunk, offset: 0, callback };
    if (!this.connecting) this.continueWrite();
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.pendingFinal = callback;
    if (!this.connecting) this.continueWrite();
  }

  private continueWrite(): void {
    const entry = this.entry;
    if (entry === null || this.connecting) return;
    const pending = this.pendingWrite;
    if (pending !== null) {
      let n: number;
      try {
        n = entry.conn.write(pending.chunk.subarray(pending.offset));
      } catch {
        this.pendingWrite = null;
        pending.callback(socketError('EPIPE', 'write'));
        return;
      }
      if (n > 0) {
        pending.offset += n;
        this.sent += n;
        this.touch();
        this.stack.driver.markDirty(entry);
      }
      if (pending.offset < pending.chunk.length) return; // resumes on WRITABLE
      this.pendingWrite = null;
      pending.callback();
    }
    if (this.pendingFinal !== null && this.pendingWrite === null) {
      const callback = this.pendingFinal;
      this.pendingFinal = null;
      this.sendFin();
      callback();
    }
  }

  private sendFin(): void {
    if (this.finSent || this.entry === null) return;
    this.finSent = true;
    if (this.entry.conn.state !== 'CLOSED') {
      this.entry.conn.end(); // RFC 9293 §3.10.4 CLOSE: FIN after the queued data
      this.stack.driver.markDirty(this.entry);
    }
  }

  // ---- teardown ----

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.clearIdleTimer();
    this.stopDiverting();
    this.connecting = false;
    const entry = this.entry;
    if (entry !== null && !this.released) {
      if (entry.conn.state !== 'CLOSED') {
        // Like close(2) on a kernel socket: unread data means RST (RFC 2525 §2.17), otherwise a FIN
        // after what is queued, and TCP finishes the close on its own.
        if (entry.conn.readableLength() > 0 || error !== null) entry.conn.abort();
        else this.sendFin();
      }
      this.releaseConnection();
    }
    this.setRef(false);
    callback(error);
  }

  private releaseConnection(): void {
    if (this.released || this.entry === null) return;
    this.released = true;
    this.stack.release(this.entry);
  }

  // ---- idle timeout (net.Socket#setTimeout) on the stack's clock ----

  private touch(): void {
    if (!this.timeout) return;
    this.lastActivity = this.stack.clock.now();
    if (this.idleTimer === 0 && !this.destroyed) this.armIdleTimer(this.lastActivity + this.timeout);
  }

  private armIdleTimer(at: number): void {
    this.idleTimer = this.stack.clock.setTimer(at, this.onIdleTimer);
  }

  private clearIdleTimer(): void {
    if (this.idleTimer !== 0) this.stack.clock.clearTimer(this.idleTimer);
    this.idleTimer = 0;
  }

  private readonly onIdleTimer = (): void => {
    this.idleTimer = 0;
    const ms = this.timeout ?? 0;
    if (ms <= 0 || this.destroyed) return;
    const idleUntil = this.lastActivity + ms;
    if (this.stack.clock.now() < idleUntil) {
      this.armIdleTimer(idleUntil);
      return;
    }
    // Like Node, fire once; new activity re-arms it (touch()).
    this.emit('timeout');
  };

  private setRef(on: boolean): void {
    if (on === this.referenced) return;
    if (on && this.destroyed) return;
    this.referenced = on;
    if (on) this.stack.ref();
    else this.stack.unref();
  }
}
