// The lab: network namespaces with real servers, for tests and for comparing the stack with curl.
export { expectedSha256, sha256File, writeLabFile } from './content.js';
export { LabError } from './errors.js';
export {
  describeUndo,
  HostStateJournal,
  type ReapReport,
  reapStaleHostState,
  type UndoAction,
  type UndoFailure,
} from './host-state.js';
export { Lab, type LabDownReport, type LabUpOptions, type LabUpReport, withLab } from './lab.js';
export { type LossDirection, type LossSetting, parseLossPercent } from './loss.js';
export * from './plan.js';
export { formatLabStatus, type LabStatus, labStatus } from './status.js';
