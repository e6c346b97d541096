// Types for scripts/uplink-watch.mjs, which test/integration/zz-uplink imports.
export declare const LEAK_FILTER: string;

export interface Watch {
  readonly dir: string;
  readonly ifaces: readonly string[];
  /** SIGINT to every tcpdump; resolves once each has exited and its IFACE.json is written. */
  stop(): Promise<void>;
  /** SIGKILL to every tcpdump still running (for cleanup on the way out). */
  kill(): void;
}

export interface WatchedUplink {
  readonly iface: string;
  readonly pcap: string;
  readonly cleanStop: boolean;
  readonly stderr: string;
}

export declare function uplinks(): string[];
export declare function startWatch(dir: string, ifaces?: readonly string[]): Promise<Watch>;
export declare function readWatch(dir: string): WatchedUplink[];
export declare function framesOf(pcap: string): string[];
