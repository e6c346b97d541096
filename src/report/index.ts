// Public API of the HTML report.
export { type PcapReportOptions, reportFromPcap } from './from-pcap.js';
export { DEFAULT_LADDER_EDGE, type EngineSample, type ReportInput } from './input.js';
export { renderReport } from './render.js';
export { type DirectionSummary, type ReportSummary, type RttStats, summarize } from './summary.js';
