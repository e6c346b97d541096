// Public API of the TCP conversation analyzer.

export { analyzeCaptureFile, type CaptureAnalysis, recordTimeMs } from './analyze-capture.js';
export type { AnalyzedPacket } from './analyzed-packet.js';
export { DEFAULT_ANALYZER_LIMITS, TcpAnalyzer } from './analyzer.js';
export { CaptureExplainer, type FrameExtras } from './capture-explainer.js';
export type { AnalyzerLimits, ConnectionInfo, Endpoint } from './connection.js';
export { type ExplainContext, explain, explainPacket } from './explain.js';
export { tcpdumpFlags } from './fallback-tcpdump-line.js';
export { PAYLOAD_HEAD_BYTES, tcpInfoFromFrame } from './frame.js';
export { parseRequestLine, parseStatusLine } from './http-hints.js';
export { IntervalSet } from './interval-set.js';
export { isRetransmission, type TcpLabel, type TcpLabelKind, TROUBLE_KINDS } from './labels.js';
export { formatAnalyzedLine, formatExplainedLine } from './line.js';
export * from './packet-info.js';
export { type ExplainableFormatter, explainingFormatter } from './tracer-format.js';
