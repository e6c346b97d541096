// Local port bookkeeping: ephemeral port allocation for active opens (RFC 6056 §3.3.1, "simple port
// randomization": a random start, then the next free port) and reference counts for every local port
// in use, so a port stays reserved while a connection (even in TIME-WAIT) or a listener holds it.

export interface PortRange {
  low: number;
  high: number;
}

/** Linux's default net.ipv4.ip_local_port_range. */
export const DEFAULT_EPHEMERAL_RANGE: Readonly<PortRange> = Object.freeze({ low: 32768, high: 60999 });

export class PortTable {
  private readonly users = new Uint32Array(65536);

  constructor(
    readonly range: Readonly<PortRange>,
    /** Uniform random u32 (injected so runs are reproducible). */
    private readonly random: () => number,
  ) {
    if (!(range.low >= 1 && range.high <= 65535 && range.low <= range.high)) {
      throw new RangeError(`ephemeral port range must lie in 1..65535, got ${range.low}-${range.high}`);
    }
  }

  inUse(port: number): boolean {
    return this.users[port] > 0;
  }

  acquire(port: number): void {
    this.users[port]++;
  }

  release(port: number): void {
    if (this.users[port] > 0) this.users[port]--;
  }

  /** Reserve a free ephemeral port, or return 0 when the range is exhausted. */
  allocate(): number {
    const { low, high } = this.range;
    const count = high - low + 1;
    const start = this.random() % count;
    for (let i = 0; i < count; i++) {
      const port = low + ((start + i) % count);
      if (this.users[port] === 0) {
        this.users[port] = 1;
        return port;
      }
    }
    return 0;
  }
}
