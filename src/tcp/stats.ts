// Per-connection counters and gauges, for tools that show what TCP did (like `ss -ti` / nstat).

export interface TcpStats {
  segmentsIn: number;
  segmentsOut: number;
  bytesIn: number; // payload bytes received (including duplicates)
  bytesOut: number; // payload bytes sent (including retransmissions)
  bytesAcked: number; // payload bytes the peer acknowledged
  bytesDelivered: number; // in-order payload bytes made readable to the application
  retransmits: number; // segments retransmitted (any reason)
  retransmittedBytes: number;
  fastRetransmits: number; // fast retransmit / loss recovery entries (RFC 5681 §3.2, RFC 6675)
  rtoCount: number; // retransmission timeouts (RFC 6298 §5)
  spuriousRetransmits: number; // retransmissions the receiver reported as duplicates (D-SACK, RFC 2883)
  undoneReductions: number; // cwnd reductions undone as spurious (D-SACK RFC 2883, Eifel RFC 3522)
  spuriousRtos: number; // retransmission timeouts found spurious by timestamps (Eifel, RFC 3522)
  tailLossProbes: number; // tail loss probes sent (RFC 8985 §7)
  tailLossProbeRecoveries: number; // losses repaired by a tail loss probe (RFC 8985 §7.4.2)
  reordering: number; // DupThresh in use (grows with observed reordering)
  synRetransmits: number;
  dupAcksIn: number; // duplicate ACKs received (RFC 5681 §2)
  dupAcksOut: number; // immediate duplicate ACKs sent for out-of-order data (RFC 5681 §4.2)
  oooSegments: number; // out-of-order segments received
  duplicateSegments: number; // segments entirely below rcv.nxt
  retransmissionsIn: number; // data segments starting below the highest byte already received (the peer sent them again, or they were reordered)
  sackBlocksIn: number;
  sackedBytes: number; // bytes currently marked SACKed in the scoreboard
  challengeAcks: number; // RFC 5961 challenge ACKs sent
  pawsDrops: number; // segments dropped by PAWS (RFC 7323 §5)
  outOfWindowDrops: number; // segments not acceptable (RFC 9293 §3.10.7.4)
  badAckDrops: number; // ACKs outside the RFC 5961 §5.2 acceptable range
  zeroWindowProbes: number;
  keepaliveProbes: number;
  windowUpdates: number;
  srtt: number; // ms, 0 until the first sample (RFC 6298)
  rttvar: number;
  minRtt: number; // ms, Infinity until the first sample
  rto: number;
  cwnd: number; // bytes
  ssthresh: number; // bytes
  maxCwnd: number;
  flightSize: number; // bytes in flight (RFC 6675 pipe when SACK is on)
  sndWnd: number; // peer's window, scaled
  rcvWnd: number; // our advertised window, scaled
  mss: number; // effective send MSS
}

export function emptyStats(): TcpStats {
  return {
    segmentsIn: 0,
    segmentsOut: 0,
    bytesIn: 0,
    bytesOut: 0,
    bytesAcked: 0,
    bytesDelivered: 0,
    retransmits: 0,
    retransmittedBytes: 0,
    fastRetransmits: 0,
    rtoCount: 0,
    spuriousRetransmits: 0,
    undoneReductions: 0,
    spuriousRtos: 0,
    tailLossProbes: 0,
    tailLossProbeRecoveries: 0,
    reordering: 3,
    synRetransmits: 0,
    dupAcksIn: 0,
    dupAcksOut: 0,
    oooSegments: 0,
    duplicateSegments: 0,
    retransmissionsIn: 0,
    sackBlocksIn: 0,
    sackedBytes: 0,
    challengeAcks: 0,
    pawsDrops: 0,
    outOfWindowDrops: 0,
    badAckDrops: 0,
    zeroWindowProbes: 0,
    keepaliveProbes: 0,
    windowUpdates: 0,
    srtt: 0,
    rttvar: 0,
    minRtt: Number.POSITIVE_INFINITY,
    rto: 0,
    cwnd: 0,
    ssthresh: 0,
    maxCwnd: 0,
    flightSize: 0,
    sndWnd: 0,
    rcvWnd: 0,
    mss: 0,
  };
}
