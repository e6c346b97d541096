// One connection as the stack tracks it: the sans-IO engine plus its 4-tuple, its place in the timer
// heap and the dirty list, and who owns it (a socket, a listener still completing the handshake, or
// nobody once the socket is gone and TCP finishes the close on its own).
import type { TcpConnection } from '../tcp/connection.js';
import type { TcpSegment } from '../tcp/segment.js';
import type { IpAddr } from './address.js';
import type { FourTuple } from './connection-table.js';
import type { HeapItem } from './timer-heap.js';

/** What the entry reports TCP events to (a TcpSocket implements it). */
export interface ConnectionOwner {
  /** Called with TcpEvent bits after the engine ran; may read/write synchronously. */
  onTcpEvents(events: number): void;
}

/** A listener waiting for this connection's handshake to complete (RFC 9293 §3.10.7.2 LISTEN). */
export interface PendingAccept {
  onEstablished(entry: ConnectionEntry): void;
  onAbandoned(entry: ConnectionEntry): void;
}

export class ConnectionEntry implements FourTuple, HeapItem {
  due = Number.POSITIVE_INFINITY;
  heapIndex = -1;
  dirty = false;
  retired = false;
  owner: ConnectionOwner | null = null;
  pendingAccept: PendingAccept | null = null;
  /** Bound once so poll() gets the same function every time (no closure per round). */
  readonly emit: (seg: TcpSegment) => void;

  constructor(
    readonly conn: TcpConnection,
    readonly local: IpAddr,
    readonly localPort: number,
    readonly remote: IpAddr,
    readonly remotePort: number,
    send: (src: IpAddr, dst: IpAddr, seg: TcpSegment) => void,
  ) {
    this.emit = (seg) => send(this.local, this.remote, seg);
  }
}
