// Public API of the interface layer: addresses, routing, neighbor caches, reassembly and the
// NetInterface that joins them over one Device.
export * from './handlers.js';
export {
  DEFAULT_GUARDED_PORTS,
  GUARD_TABLE,
  type GuardPortRange,
  guardRuleset,
  HostGuard,
  HostGuardError,
} from './host-guard.js';
export { parseIcmpQuote, type QuotedPacket } from './icmp-quote.js';
export * from './interface.js';
export * from './ip-addr.js';
export {
  derivedMac,
  LinkConfigError,
  type LinkMode,
  type LinkPlan,
  type NetLink,
  type NetLinkOptions,
  openNetLink,
  planLink,
} from './modes.js';
export { DEFAULT_NEIGHBOR_OPTIONS, NeighborCache, type NeighborCacheOptions } from './neighbor-cache.js';
export {
  describeIcmpError,
  formatPingSummary,
  type PingError,
  type PingEvents,
  Pinger,
  type PingOptions,
  type PingReply,
  type PingSummary,
} from './ping.js';
export { DEFAULT_REASSEMBLY_OPTIONS, Reassembler, type ReassemblyOptions } from './reassembly.js';
export { type Route, RouteTable } from './routes.js';
export type { NetStats } from './stats.js';
