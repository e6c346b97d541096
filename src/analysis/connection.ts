// One TCP connection as the analyzer tracks it: who is client and server, both directions' state,
// where the handshake and the teardown are. Plus the table of live connections (bounded, LRU).
import { HalfState } from './half-state.js';
import { TCP_ACK, TCP_SYN, type TcpPacketInfo } from './packet-info.js';

export interface Endpoint {
  address: string;
  port: number;
}

/** The public, stable description of a connection (what reports and explanations need). */
export interface ConnectionInfo {
  /** Index of the connection in the order first seen (like Wireshark's tcp.stream). */
  readonly stream: number;
  readonly client: Endpoint;
  readonly server: Endpoint;
  /** When packets carry `direction`: whether our side is the client. Undefined for plain captures. */
  localIsClient?: boolean;
}

export type HandshakeState = 'none' | 'syn' | 'syn-ack' | 'open';

export interface AnalyzerLimits {
  /** Connections remembered at once; the least recently active is forgotten beyond this. */
  maxConnections: number;
  /** Ranges kept per direction for "already sent" bytes. */
  maxRanges: number;
  /** Unacknowledged segments kept per direction for RTT matching. */
  maxSegments: number;
}

export class Connection {
  readonly client: HalfState;
  readonly server: HalfState;
  handshake: HandshakeState = 'none';
  /** RTT of the handshake (SYN -> SYN-ACK or SYN-ACK -> ACK), -1 until known. */
  firstRtt = -1;
  /** Which side sent the first FIN (true = client), undefined before. */
  firstFinByClient: boolean | undefined;
  clientFinAcked = false;
  serverFinAcked = false;
  resetSeen = false;
  /** Table tick of the last packet (for forgetting idle connections). */
  lastUsed = 0;

  constructor(
    readonly info: ConnectionInfo,
    limits: AnalyzerLimits,
  ) {
    this.client = new HalfState(limits.maxRanges, limits.maxSegments);
    this.server = new HalfState(limits.maxRanges, limits.maxSegments);
  }

  isFromClient(info: TcpPacketInfo): boolean {
    return info.sport === this.info.client.port && info.src === this.info.client.address;
  }

  /** Both FINs acknowledged, or reset: a new SYN on the same ports starts a new connection. */
  get finished(): boolean {
    return this.resetSeen || (this.clientFinAcked && this.serverFinAcked);
  }
}

/** Well-known and common service ports: the side using one is probably the server. */
const SERVICE_PORTS = new Set([80, 443, 8000, 8008, 8080, 8443, 3000, 5000, 8888, 9000]);

function looksLikeServerPort(port: number): boolean {
  return port < 1024 || SERVICE_PORTS.has(port);
}

/** Decides who is the client from the first packet seen of a connection. */
export function senderIsClient(info: TcpPacketInfo): boolean {
  const syn = (info.flags & TCP_SYN) !== 0;
  const ack = (info.flags & TCP_ACK) !== 0;
  if (syn) return !ack; // SYN: sender opens; SYN-ACK: receiver opened (RFC 9293 §3.5)
  const dstServer = looksLikeServerPort(info.dport);
  const srcServer = looksLikeServerPort(info.sport);
  if (dstServer !== srcServer) return dstServer;
  if (dstServer && info.dport !== info.sport) return info.dport < info.sport;
  return true;
}

/**
 * Live connections by address/port pair. Bounded: past maxConnections, an idle connection is
 * forgotten, chosen by the "second chance" rule over insertion order (close to LRU, O(1) amortized).
 */
export class ConnectionTable {
  private readonly byKey = new Map<string, Connection>();
  private nextStream = 0;
  private tick = 0;

  constructor(private readonly limits: AnalyzerLimits) {}

  get size(): number {
    return this.byKey.size;
  }

  /** Finds the connection of a packet, creating one (or a fresh one after a finished one) as needed. */
  lookup(info: TcpPacketInfo): Connection {
    const key = connectionKey(info);
    let conn = this.byKey.get(key);
    if (conn && startsOver(conn, info)) {
      this.byKey.delete(key);
      conn = undefined;
    }
    if (!conn) {
      if (this.byKey.size >= this.limits.maxConnections) this.evictIdle();
      conn = this.create(info);
      this.byKey.set(key, conn);
    }
    conn.lastUsed = ++this.tick;
    return conn;
  }

  private create(info: TcpPacketInfo): Connection {
    const sender: Endpoint = { address: info.src, port: info.sport };
    const receiver: Endpoint = { address: info.dst, port: info.dport };
    const fromClient = senderIsClient(info);
    const connInfo: ConnectionInfo = {
      stream: this.nextStream++,
      client: fromClient ? sender : receiver,
      server: fromClient ? receiver : sender,
    };
    if (info.direction) connInfo.localIsClient = (info.direction === 'out') === fromClient;
    return new Connection(connInfo, this.limits);
  }

  /** Drops the oldest entry not used recently; recently used ones move to the back (second chance). */
  private evictIdle(): void {
    const recent = this.tick - this.limits.maxConnections / 2;
    for (let tries = 0; tries <= this.byKey.size; tries++) {
      const first = this.byKey.entries().next();
      if (first.done) return;
      const [key, conn] = first.value;
      this.byKey.delete(key);
      if (conn.lastUsed <= recent || tries === this.byKey.size) return;
      this.byKey.set(key, conn);
    }
  }
}

/** A SYN (without ACK) with a new ISN on a finished connection: port reuse, a new connection. */
function startsOver(conn: Connection, info: TcpPacketInfo): boolean {
  if ((info.flags & (TCP_SYN | TCP_ACK)) !== TCP_SYN) return false;
  if (!conn.finished) return false;
  return !(conn.client.synSeen && conn.client.base === info.seq);
}

function connectionKey(info: TcpPacketInfo): string {
  const a = `${info.src}|${info.sport}`;
  const b = `${info.dst}|${info.dport}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}
