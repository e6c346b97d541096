// Counters for everything the interface receives, sends and drops. Plain numbers on one object so
// the hot path increments a property and `stats()` hands out a copy.
import type { WireErrorCode } from '../wire/errors.js';

export interface NetStats {
  rxFrames: number;
  rxBytes: number;
  txFrames: number;
  txBytes: number;
  rxArp: number;
  rxIpv4: number;
  rxIpv6: number;
  rxTcp: number;
  rxUdp: number;
  rxIcmp: number;
  rxIcmpv6: number;
  txArpRequests: number;
  txArpReplies: number;
  txNeighborSolicits: number;
  txNeighborAdverts: number;
  txEchoReplies: number;
  /** Malformed frames by the WireError code that rejected them. */
  malformed: Partial<Record<WireErrorCode, number>>;
  /** Frames and packets dropped, by reason. */
  dropped: {
    /** Ethernet destination is neither us, broadcast, nor a multicast group we listen to. */
    notOurMac: number;
    /** IP destination is not one of our addresses. */
    notOurIp: number;
    /** An EtherType or IP protocol nobody handles. */
    unknownProtocol: number;
    badIpChecksum: number;
    badTcpChecksum: number;
    badUdpChecksum: number;
    badIcmpChecksum: number;
    /** TCP segment or UDP datagram with no handler registered. */
    noHandler: number;
    /** Outgoing packet with no route to its destination. */
    noRoute: number;
    /** Outgoing packet dropped because the neighbor's pending queue was full. */
    neighborQueueFull: number;
    /** Pending packets dropped because address resolution gave up. */
    neighborUnreachable: number;
    /** Outgoing packet larger than the link MTU with DF set (or TCP). */
    tooBig: number;
    /** An ARP/ND message that is well-formed but not acceptable (RFC 4861 §7.1.1 validity checks). */
    invalidNeighborMessage: number;
    /** Handler threw; the exception is swallowed so one bad handler cannot stop the stack. */
    handlerError: number;
  };
  reassembly: {
    fragmentsReceived: number;
    datagramsReassembled: number;
    /** Datagrams dropped for overlapping fragments (RFC 5722). */
    overlaps: number;
    duplicates: number;
    timeouts: number;
    /** Datagrams evicted because the memory bound was reached. */
    evicted: number;
    /** Fragments whose end lies past 65535 bytes or that are malformed. */
    invalid: number;
  };
  neighbor: {
    resolved: number;
    failed: number;
    expired: number;
  };
}

export function createNetStats(): NetStats {
  return {
    rxFrames: 0,
    rxBytes: 0,
    txFrames: 0,
    txBytes: 0,
    rxArp: 0,
    rxIpv4: 0,
    rxIpv6: 0,
    rxTcp: 0,
    rxUdp: 0,
    rxIcmp: 0,
    rxIcmpv6: 0,
    txArpRequests: 0,
    txArpReplies: 0,
    txNeighborSolicits: 0,
    txNeighborAdverts: 0,
    txEchoReplies: 0,
    malformed: {},
    dropped: {
      notOurMac: 0,
      notOurIp: 0,
      unknownProtocol: 0,
      badIpChecksum: 0,
      badTcpChecksum: 0,
      badUdpChecksum: 0,
      badIcmpChecksum: 0,
      noHandler: 0,
      noRoute: 0,
      neighborQueueFull: 0,
      neighborUnreachable: 0,
      tooBig: 0,
      invalidNeighborMessage: 0,
      handlerError: 0,
    },
    reassembly: {
      fragmentsReceived: 0,
      datagramsReassembled: 0,
      overlaps: 0,
      duplicates: 0,
      timeouts: 0,
      evicted: 0,
      invalid: 0,
    },
    neighbor: { resolved: 0, failed: 0, expired: 0 },
  };
}

export function countMalformed(stats: NetStats, code: WireErrorCode): void {
  stats.malformed[code] = (stats.malformed[code] ?? 0) + 1;
}

/** A deep copy, safe to keep and compare. */
export function copyNetStats(s: NetStats): NetStats {
  return {
    ...s,
    malformed: { ...s.malformed },
    dropped: { ...s.dropped },
    reassembly: { ...s.reassembly },
    neighbor: { ...s.neighbor },
  };
}
