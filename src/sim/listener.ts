// The server side's listener: the Stack's own LISTEN path (RFC 9293 §3.10.7.2: SYN backlog, the
// connection in SYN-RECEIVED, the hand-over once ESTABLISHED), but the established connection goes
// to the simulated application instead of a Node Duplex socket.
import type { ConnectionEntry } from '../socket/entry.js';
import type { Stack } from '../socket/stack.js';
import { TcpServer } from '../socket/tcp-server.js';

export class SimListener extends TcpServer {
  constructor(
    stack: Stack,
    port: number,
    /** A SYN created a connection (SYN-RECEIVED). */
    private readonly onCreated: (entry: ConnectionEntry) => void,
    /** The handshake completed. */
    private readonly onAccepted: (entry: ConnectionEntry) => void,
  ) {
    super(stack, { port });
    this.startListening();
  }

  override trackPending(entry: ConnectionEntry): void {
    super.trackPending(entry);
    this.onCreated(entry);
  }

  override onEstablished(entry: ConnectionEntry): void {
    this.onAccepted(entry);
  }
}
