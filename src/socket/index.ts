// Public API of the socket layer: the Stack, its sockets and servers, name resolution, HTTP helpers.
// (Explicit lists: names must not collide with the other layers' exports in src/index.ts.)
export {
  addressesFor,
  buildDnsQuery,
  type DnsAnswer,
  DnsFormatError,
  type DnsQueryType,
  DnsRcode,
  type DnsResponse,
  DnsType,
  parseDnsResponse,
} from './dns.js';
export type { DriverStats } from './driver.js';
export { type SocketError, type SocketErrorCode, socketError } from './errors.js';
export {
  type StackFetch,
  type StackTlsOptions,
  stackAgent,
  stackDispatcher,
  stackFetch,
  stackHttpsAgent,
  tlsOverStack,
} from './http.js';
export { DEFAULT_EPHEMERAL_RANGE, type PortRange } from './ports.js';
export type { LookupOptions, ResolvedAddress } from './resolver.js';
export { createSegmentPipe, type SegmentPipe, type SegmentPipeOptions } from './segment-pipe.js';
export { Stack, type StackConnectionInfo, type StackOptions, type StackStats } from './stack.js';
export { type ListenOptions, TcpServer } from './tcp-server.js';
export { type ConnectOptions, TcpSocket } from './tcp-socket.js';
export type { TcpSegmentHandler, TcpTransport, UdpDatagramHandler, UdpTransport } from './transport.js';
