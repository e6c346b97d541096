// A listening port of the userspace stack, shaped like net.Server: 'listening', 'connection',
// 'close', 'error', address(), close(), getConnections(), ref()/unref(). Half-open connections
// (SYN-RECEIVED) count against a bounded SYN backlog (RFC 9293 §3.10.7.2; Linux's listen backlog).
import { EventEmitter } from 'node:events';
import {
  anyAddr,
  familyName,
  familyOf,
  formatIpAddr,
  type IpAddr,
  ipAddrEquals,
  isUnspecified,
} from './address.js';
import type { ConnectionEntry, PendingAccept } from './entry.js';
import { socketError } from './errors.js';
import type { Stack } from './stack.js';
import { TcpSocket } from './tcp-socket.js';

export interface ListenOptions {
  port?: number;
  /** Address to bind (default: every address, both families). */
  host?: string;
  /** Half-open connections allowed at once (default 511, Node's default backlog). */
  backlog?: number;
  /** Keep accepted sockets writable after the peer's FIN (default false). */
  allowHalfOpen?: boolean;
  /** Accept IPv4 on a wildcard IPv6 listener too (default true, like dual-stack sockets). */
  ipv6Only?: boolean;
}

export class TcpServer extends EventEmitter implements PendingAccept {
  listening = false;
  maxConnections: number | undefined;
  private port = 0;
  private readonly bound: IpAddr | null;
  private readonly backlog: number;
  private readonly allowHalfOpen: boolean;
  private readonly ipv6Only: boolean;
  private readonly pending = new Set<ConnectionEntry>();
  private readonly sockets = new Set<TcpSocket>();
  private referenced = false;
  private closing = false;

  /** @internal use stack.listen(). */
  constructor(
    private readonly stack: Stack,
    private readonly options: ListenOptions,
  ) {
    super();
    const host = options.host;
    const parsed = host === undefined ? null : stack.parseLiteral(host);
    if (host !== undefined && parsed === null)
      throw new TypeError(`listen: host must be an IP address, got ${host}`);
    this.bound = parsed !== null && isUnspecified(parsed) ? null : parsed;
    this.backlog = Math.max(1, options.backlog ?? 511);
    this.allowHalfOpen = options.allowHalfOpen ?? false;
    this.ipv6Only = options.ipv6Only ?? false;
  }

  /** @internal */
  startListening(): void {
    if (this.bound !== null && !this.stack.ownsAddress(this.bound)) {
      throw socketError('EADDRNOTAVAIL', 'listen', formatIpAddr(this.bound), this.options.port ?? 0);
    }
    this.port = this.stack.addListener(this, this.options.port ?? 0);
    this.listening = true;
    this.setRef(true);
    process.nextTick(() => this.emit('listening'));
  }

  get boundAddressText(): string {
    return this.bound === null ? '::' : formatIpAddr(this.bound);
  }

  address(): { address: string; family: string; port: number } | null {
    if (!this.listening) return null;
    const addr = this.bound ?? anyAddr(6);
    return { address: formatIpAddr(addr), family: familyName(familyOf(addr)), port: this.port };
  }

  /** Stop accepting; 'close' is emitted once every accepted connection has closed. */
  close(callback?: (err?: Error) => void): this {
    if (!this.listening) {
      if (callback) process.nextTick(() => callback(new Error('Server is not running.')));
      return this;
    }
    if (callback) this.once('close', callback);
    this.listening = false;
    this.closing = true;
    this.stack.removeListener(this, this.port);
    for (const entry of this.pending) this.abortPending(entry);
    this.pending.clear();
    this.setRef(false);
    this.maybeEmitClose();
    return this;
  }

  getConnections(callback: (err: Error | null, count: number) => void): this {
    process.nextTick(() => callback(null, this.sockets.size));
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

  // ---- used by the stack (@internal) ----

  conflictsWith(other: TcpServer): boolean {
    return this.bound === null || other.bound === null || ipAddrEquals(this.bound, other.bound);
  }

  matchesExactly(dst: IpAddr): boolean {
    return this.bound !== null && ipAddrEquals(this.bound, dst);
  }

  matchesWildcard(dst: IpAddr): boolean {
    return this.bound === null && !(this.ipv6Only && typeof dst === 'number');
  }

  hasBacklogRoom(): boolean {
    return this.listening && this.pending.size < this.backlog;
  }

  trackPending(entry: ConnectionEntry): void {
    this.pending.add(entry);
    entry.pendingAccept = this;
  }

  /** The handshake completed (RFC 9293 §3.10.7.4: SYN-RECEIVED -> ESTABLISHED): hand out a socket. */
  onEstablished(entry: ConnectionEntry): void {
    this.pending.delete(entry);
    if (!this.listening || (this.maxConnections !== undefined && this.sockets.size >= this.maxConnections)) {
      this.abortPending(entry);
      return;
    }
    const socket = new TcpSocket(this.stack, { allowHalfOpen: this.allowHalfOpen });
    socket.attach(entry);
    this.sockets.add(socket);
    socket.once('close', () => {
      this.sockets.delete(socket);
      this.maybeEmitClose();
    });
    this.emit('connection', socket);
  }

  onAbandoned(entry: ConnectionEntry): void {
    this.pending.delete(entry);
  }

  private abortPending(entry: ConnectionEntry): void {
    entry.pendingAccept = null;
    entry.conn.abort();
    this.stack.driver.markDirty(entry);
  }

  private maybeEmitClose(): void {
    if (this.closing && this.sockets.size === 0) {
      this.closing = false;
      process.nextTick(() => this.emit('close'));
    }
  }

  private setRef(on: boolean): void {
    if (on === this.referenced) return;
    if (on && !this.listening) return;
    this.referenced = on;
    if (on) this.stack.ref();
    else this.stack.unref();
  }
}
