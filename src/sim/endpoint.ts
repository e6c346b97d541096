// A simulated application on one end of the connection: it writes its payload as fast as the
// engine's send buffer takes it, reads everything at once, and closes like an HTTP peer would:
// a side with data to send closes once it has written it all (active close), a side with nothing
// to send closes when the peer's FIN arrives (passive close). It owns the connection the way a
// TcpSocket would (ConnectionOwner), so the Stack's driver runs it exactly as in production.
import type { StackDriver } from '../socket/driver.js';
import type { ConnectionEntry, ConnectionOwner } from '../socket/entry.js';
import { TcpEvent } from '../tcp/connection.js';
import { type PayloadSink, PayloadSource } from './payload.js';

export interface EndpointPlan {
  /** Bytes this side sends. */
  sendBytes: number;
  /** Hold our data back until this many bytes arrived (a server answering a request). */
  sendAfterReceiving: number;
  /** Close only after the peer's FIN (passive close, like an HTTP/1.0 client); else once our data is written. */
  closeAfterPeerFin: boolean;
  seed: number;
}

export class SimEndpoint implements ConnectionOwner {
  entry: ConnectionEntry | null = null;
  readonly source: PayloadSource;
  /** Virtual time of our first write (NaN until then). */
  firstWriteAt = Number.NaN;
  ended = false;
  remoteFin = false;
  private readonly scratch = new Uint8Array(256 * 1024);

  constructor(
    readonly name: 'client' | 'server',
    private readonly plan: EndpointPlan,
    readonly sink: PayloadSink,
    private readonly driver: StackDriver,
    private readonly now: () => number,
  ) {
    this.source = new PayloadSource(plan.sendBytes, plan.seed);
  }

  attach(entry: ConnectionEntry): void {
    this.entry = entry;
    entry.owner = this;
    if (this.pump()) this.driver.markDirty(entry);
  }

  /** Called by Stack.close() on every owner (it treats owners as sockets): let go of the connection. */
  destroy(): void {
    if (this.entry !== null) this.entry.owner = null;
  }

  onTcpEvents(events: number): void {
    if (events & TcpEvent.REMOTE_FIN) this.remoteFin = true;
    const entry = this.entry;
    if (entry !== null && this.pump()) this.driver.markDirty(entry);
  }

  /** Read, write, maybe close. True when the engine has something new to do. */
  private pump(): boolean {
    const conn = this.entry?.conn;
    if (conn === undefined) return false;
    let acted = false;
    for (;;) {
      const n = conn.read(this.scratch);
      if (n === 0) break;
      this.sink.add(this.scratch.subarray(0, n), this.now());
      acted = true;
    }
    if (this.sink.received >= this.plan.sendAfterReceiving) acted = this.write() || acted;
    if (!this.ended && this.source.remaining === 0 && this.mayClose()) {
      this.ended = true;
      conn.end();
      acted = true;
    }
    return acted;
  }

  private write(): boolean {
    const conn = this.entry?.conn;
    if (conn === undefined) return false;
    let acted = false;
    while (this.source.remaining > 0) {
      const chunk = this.source.peek();
      const n = conn.write(chunk);
      if (n === 0) break;
      if (Number.isNaN(this.firstWriteAt)) this.firstWriteAt = this.now();
      this.source.consume(n);
      acted = true;
    }
    return acted;
  }

  private mayClose(): boolean {
    const state = this.entry?.conn.state;
    if (state !== 'ESTABLISHED' && state !== 'CLOSE-WAIT') return false;
    return !this.plan.closeAfterPeerFin || this.remoteFin;
  }
}
