// Public API of the deterministic simulator.
export { type DropRule, dropNth } from './drop-rules.js';
export type { SimDirection, SimOptions, SimTraceOptions } from './options.js';
export {
  formatSimSummary,
  type SimConnectionReport,
  type SimDirectionReport,
  type SimResult,
} from './result.js';
export type { RttSummary } from './rtt-sampler.js';
export type { SimSegmentEvent, SimSide } from './segment-view.js';
export { simulate } from './simulate.js';
