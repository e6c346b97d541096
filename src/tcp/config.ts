// Every knob of the engine, with Linux-like defaults where the RFCs leave a choice.
// Linux sysctl names are given so people can compare with /proc/sys/net/ipv4.

export type CongestionControlName = 'cubic' | 'newreno';

export interface TcpConfig {
  /** Congestion control (Linux default: cubic; RFC 9438). 'newreno' is RFC 5681 + RFC 6582. */
  congestionControl: CongestionControlName;
  /** Initial congestion window in segments (RFC 6928: 10). */
  initialCwnd: number;
  /** Maximum bytes buffered for sending (Linux tcp_wmem max 4 MB). Grows lazily up to this. */
  sendBufferSize: number;
  /** Maximum bytes buffered for receiving, in-order plus out-of-order (Linux tcp_rmem max 6 MB). */
  receiveBufferSize: number;
  /** Receive window scale we offer (RFC 7323 §2.2); 'auto' = smallest shift that covers receiveBufferSize. */
  windowScale: number | 'auto';
  /** Offer/accept window scaling (RFC 7323 §2). Linux tcp_window_scaling=1. */
  windowScaling: boolean;
  /** Offer/accept timestamps (RFC 7323 §3). Linux tcp_timestamps=1. */
  timestamps: boolean;
  /** Offer/accept SACK (RFC 2018). Linux tcp_sack=1. */
  sack: boolean;
  /** MSS assumed when the peer sends no MSS option (RFC 9293 §3.7.1: 536). */
  defaultMss: number;
  /** Smallest MSS we accept from a peer (Linux tcp_min_snd_mss=48). */
  minMss: number;
  /** Initial RTO in ms (RFC 6298 §2.1: 1 s). */
  initialRto: number;
  /** Lower bound of the RTO in ms (Linux TCP_RTO_MIN 200 ms; RFC 6298 §2.4 says 1 s). */
  minRto: number;
  /** Upper bound of the RTO in ms (Linux TCP_RTO_MAX 120 s; RFC 6298 §2.5). */
  maxRto: number;
  /** SYN retransmissions before giving up (Linux tcp_syn_retries=6). */
  synRetries: number;
  /** SYN-ACK retransmissions before giving up (Linux tcp_synack_retries=5). */
  synAckRetries: number;
  /** Data retransmissions before giving up (Linux tcp_retries2=15; RFC 1122 §4.2.3.5 R2). */
  maxRetries: number;
  /** TIME-WAIT duration in ms (Linux TCP_TIMEWAIT_LEN 60 s; RFC 9293 2*MSL). */
  timeWait: number;
  /**
   * FIN-WAIT-2 timeout in ms, 0 = none (default). Linux applies tcp_fin_timeout (60 s) only to orphaned
   * sockets, i.e. after close(); end() here is a half-close and the peer may keep sending, so a stack
   * that knows the application has gone should set this.
   */
  finWait2Timeout: number;
  /** Delayed ACKs (RFC 1122 §4.2.3.2, RFC 5681 §4.2). */
  delayedAck: boolean;
  /** Delayed ACK timer lower bound in ms (Linux TCP_DELACK_MIN 40 ms). */
  delayedAckMin: number;
  /** Delayed ACK timer upper bound in ms (Linux TCP_DELACK_MAX 200 ms; RFC 1122 requires < 500 ms). */
  delayedAckMax: number;
  /** Quick ACKs at the start of a connection and after reordering (Linux TCP_MAX_QUICKACKS 16). */
  quickAcks: number;
  /** Disable Nagle (RFC 9293 §3.7.4, RFC 1122 §4.2.3.4). Linux default: Nagle on. */
  noDelay: boolean;
  /** Send keepalive probes (RFC 1122 §4.2.3.6; off by default like Linux sockets). */
  keepalive: boolean;
  /** Idle time before the first keepalive probe, ms (Linux tcp_keepalive_time 7200 s). */
  keepaliveIdle: number;
  /** Interval between keepalive probes, ms (Linux tcp_keepalive_intvl 75 s). */
  keepaliveInterval: number;
  /** Unanswered probes before the connection is dropped (Linux tcp_keepalive_probes 9). */
  keepaliveProbes: number;
  /** Duplicate ACK threshold for fast retransmit (RFC 5681 §3.2 / RFC 6675 DupThresh: 3). */
  dupThresh: number;
  /** Upper bound for DupThresh when D-SACKs reveal reordering (Linux tcp_max_reordering is 300). */
  maxReordering: number;
  /** RFC 5961 checks (challenge ACKs for in-window RST/SYN, ACK validation). */
  rfc5961: boolean;
  /** Challenge ACKs allowed per second (RFC 5961 §7; Linux tcp_challenge_ack_limit 1000). */
  challengeAckLimit: number;
  /** Minimum ms between ACKs answering out-of-window segments (Linux tcp_invalid_ratelimit 500 ms). */
  invalidAckInterval: number;
  /** Reduce cwnd after an idle period longer than the RTO (RFC 5681 §4.1; Linux tcp_slow_start_after_idle=1). */
  slowStartAfterIdle: boolean;
  /**
   * Tail loss probe (RFC 8985 §7; Linux tcp_early_retrans=3): about 2*SRTT after the last send, probe with
   * one segment so that losing the tail of a flight does not wait for the RTO. Needs SACK.
   */
  tailLossProbe: boolean;
  /**
   * RACK time-based loss detection with SACK (RFC 8985 §6; Linux tcp_recovery=1): a segment is lost once a
   * later-sent one was delivered and a reordering window passed, besides the DupThresh rules of RFC 6675.
   */
  rack: boolean;
  /**
   * HyStart++ in CUBIC's slow start (RFC 9406; Linux uses the older HyStart): leave slow start when the
   * RTT grows by more than max(4 ms, min(RTT/8, 16 ms)), through five rounds of conservative growth.
   */
  hystartPlusPlus: boolean;
  /** Proportional Rate Reduction in fast recovery with SACK (RFC 6937; Linux since 3.2). */
  proportionalRateReduction: boolean;
  /**
   * Undo a congestion window reduction when the retransmissions turn out spurious: all D-SACKed (RFC 2883)
   * or the ACK echoes the original's timestamp (Eifel, RFC 3522). Linux always does this.
   */
  undoSpuriousReductions: boolean;
  /** Out-of-order segments kept at most (memory bound besides the byte bound; gaps are not limited). */
  maxOooSegments: number;
  /**
   * Segmentation offload: the largest payload of one new-data segment handed to the transport
   * (a device that segments, such as a TAP with a vnet header, takes up to 64 KB; Linux's TSO
   * autosizing does the same). 0: one MSS per segment. Retransmissions are always one MSS.
   */
  maxSegmentBytes: number;
  /** Window updates: send one when the window grows by this many MSS or half the buffer (RFC 9293 §3.8.6.2.2). */
  windowUpdateThreshold: number;
}

export const DEFAULT_TCP_CONFIG: Readonly<TcpConfig> = Object.freeze({
  congestionControl: 'cubic',
  initialCwnd: 10,
  sendBufferSize: 4 * 1024 * 1024,
  receiveBufferSize: 6 * 1024 * 1024,
  windowScale: 'auto',
  windowScaling: true,
  timestamps: true,
  sack: true,
  defaultMss: 536,
  minMss: 48,
  initialRto: 1000,
  minRto: 200,
  maxRto: 120_000,
  synRetries: 6,
  synAckRetries: 5,
  maxRetries: 15,
  timeWait: 60_000,
  finWait2Timeout: 0,
  delayedAck: true,
  delayedAckMin: 40,
  delayedAckMax: 200,
  quickAcks: 16,
  noDelay: false,
  keepalive: false,
  keepaliveIdle: 7_200_000,
  keepaliveInterval: 75_000,
  keepaliveProbes: 9,
  dupThresh: 3,
  maxReordering: 300,
  rfc5961: true,
  challengeAckLimit: 1000,
  invalidAckInterval: 500,
  slowStartAfterIdle: true,
  tailLossProbe: true,
  rack: true,
  hystartPlusPlus: true,
  proportionalRateReduction: true,
  undoSpuriousReductions: true,
  maxOooSegments: 4096,
  maxSegmentBytes: 0,
  windowUpdateThreshold: 2,
} satisfies TcpConfig);

/** Defaults overlaid with the given options; throws RangeError on impossible values. */
export function resolveTcpConfig(partial: Partial<TcpConfig> | undefined): TcpConfig {
  const cfg: TcpConfig = { ...DEFAULT_TCP_CONFIG, ...(partial ?? {}) };
  const positive: Array<keyof TcpConfig> = [
    'sendBufferSize',
    'receiveBufferSize',
    'initialRto',
    'minRto',
    'maxRto',
  ];
  for (const k of positive) {
    const v = cfg[k];
    if (typeof v !== 'number' || !(v > 0))
      throw new RangeError(`TCP config ${k} must be > 0, got ${String(v)}`);
  }
  if (cfg.minRto > cfg.maxRto) throw new RangeError('TCP config minRto must be <= maxRto');
  if (cfg.windowScale !== 'auto' && (cfg.windowScale < 0 || cfg.windowScale > 14)) {
    throw new RangeError('TCP config windowScale must be 0..14 (RFC 7323 §2.3)');
  }
  if (cfg.initialCwnd < 1) throw new RangeError('TCP config initialCwnd must be >= 1');
  return cfg;
}

/** Window scale shift that lets the 16-bit window field cover `bufferSize` (RFC 7323 §2.3, max 14). */
export function windowScaleFor(bufferSize: number): number {
  let shift = 0;
  while (shift < 14 && 65535 * 2 ** shift < bufferSize) shift++;
  return shift;
}
