// Public API of the TCP engine (sans-IO). Internals (Sender, Receiver, ring buffers) stay private.

export * from './config.js';
export { CUBIC_BETA, CUBIC_C, Cubic } from './congestion/cubic.js';
export { createCongestionControl } from './congestion/index.js';
export type { AckSample, CongestionControl } from './congestion/interface.js';
export { NewReno } from './congestion/newreno.js';
export * from './connection.js';
export * from './errors.js';
export { classifySynSent, SynSentAction } from './handshake.js';
export { assertInvariants } from './invariants.js';
export { createIsnGenerator, type IsnGenerator, type IsnHash, sipHash24 } from './isn.js';
export type { NegotiatedOptions } from './options.js';
export { rstForUnmatched } from './rst.js';
export * from './segment.js';
export {
  type Seq,
  seq,
  seqAdd,
  seqGe,
  seqGt,
  seqInRange,
  seqLe,
  seqLt,
  seqMax,
  seqMin,
  seqSub,
} from './seq.js';
export type { TcpStats } from './stats.js';
export type { TimerInfo, TimerName } from './timers.js';
