// Scapy-style sending and receiving: send/sendp, sr/sr1/srp/srp1, answers(), sniff/AsyncSniffer,
// tcpdump-style filters.
export { answers } from './answers.js';
export { Backlog, type BacklogOptions, listen } from './backlog.js';
export { conf, type SendRecvConf } from './conf.js';
export { SendRecvError, type SendRecvErrorCode } from './errors.js';
export {
  compileFilter,
  type FilterLinkType,
  type FilterNode,
  FilterSyntaxError,
  type FramePredicate,
  parseFilter,
} from './filter/index.js';
export { matchKey } from './match-key.js';
export type { VerboseOption } from './progress.js';
export type { PacketFilter } from './receive.js';
export { type SendOptions, send, sendp } from './send.js';
export { AsyncSniffer, type SniffOptions, sniff, sniffIter } from './sniff.js';
export { type SrOptions, SrResult, sr, sr1, srp, srp1 } from './sr.js';
export type { TargetOptions } from './target.js';
