// Adds plain-word explanations to the live tracer's lines (src/link/tracer.ts FrameFormatter):
// `10.0.0.2.40000 > 10.0.0.1.80: Flags [.], ack 1073, ...   <- ACK: we have everything up to 1073`.
import type { LinkType } from '../link/device.js';
import { LinkType as PcapLinkType } from '../wire/pcap-link.js';
import { CaptureExplainer } from './capture-explainer.js';
import { explainPacket } from './explain.js';

/** Same shape as src/link/tracer.ts FrameFormatter (timestamp in epoch ms). */
export type ExplainableFormatter = (
  frame: Uint8Array,
  linkType: LinkType,
  direction: 'in' | 'out',
  timestamp: number,
) => string;

const PCAP_LINK: Record<LinkType, number> = { ethernet: PcapLinkType.Ethernet, ip: PcapLinkType.Raw };

/**
 * Wraps a frame formatter so each TCP line ends with `   <- explanation`. Directions make the
 * explanations speak as "we" for our side. One explainer per traced stack (it keeps state).
 */
export function explainingFormatter(
  base: ExplainableFormatter,
  explainer: CaptureExplainer = new CaptureExplainer(),
): ExplainableFormatter {
  return (frame, linkType, direction, timestamp) => {
    const text = base(frame, linkType, direction, timestamp);
    const packet = explainer.analyzeFrame(frame, PCAP_LINK[linkType], timestamp, { direction, line: text });
    const explanation = packet ? explainPacket(packet) : '';
    return explanation ? `${text}   <- ${explanation}` : text;
  };
}
