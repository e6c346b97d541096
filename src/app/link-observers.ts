// Watching every frame of a command's link, as the seed watched its hand-made TCP with tcpdump:
// numbered tcpdump-style lines (--trace), plain-word explanations (--explain), a pcap file
// (--pcap) and the analyzed packets a report or the --stats counters are made from.
//
// The wrappers (src/link Tracer and PcapTap) sit between the interface and its device, so they see
// what the stack sends and receives (above the fault injector, when there is one).
import { type AnalyzedPacket, CaptureExplainer, explainPacket, isRetransmission } from '../analysis/index.js';
import { UserError } from '../cli/errors.js';
import type { Device, LinkType } from '../link/device.js';
import { PcapTap } from '../link/pcap-tap.js';
import { Tracer } from '../link/tracer.js';
import type { NetInterface } from '../net/interface.js';
import { linkTypeNumber } from '../packet/dissect.js';
import { TcpdumpFormatter } from '../packet/tcpdump/formatter.js';

export interface ObserveOptions {
  /** Print a numbered tcpdump-style line per frame. */
  trace?: boolean;
  /** Add the plain-word explanation to each traced line. */
  explain?: boolean;
  /** Record every frame to this pcap file. */
  pcap?: string;
  /** Keep the analyzed TCP packets (for an HTML report). */
  keepPackets?: boolean;
  /** Count retransmissions in both directions (for --stats). */
  countRetransmissions?: boolean;
  /** Where trace lines go (default stderr). */
  write?: (line: string) => void;
}

export interface RetransmissionCounts {
  /** Retransmitted segments we received (the peer's). */
  in: number;
  /** Retransmitted segments we sent. */
  out: number;
}

export interface LinkObservers {
  /** Analyzed TCP packets in order (empty unless keepPackets). */
  readonly packets: AnalyzedPacket[];
  readonly retransmissions: RetransmissionCounts;
  /** Frames traced so far. */
  readonly traced: () => number;
  /** Flush and close the pcap file. Call after the link is closed. */
  close(): void;
}

const NOTHING = (): void => {};

/**
 * Puts a device wrapper between an interface and its device. NetInterface takes its device at
 * construction (openNetLink builds both), so the wrapper is slotted in afterwards: the wrapper gets
 * a stand-in for the device's original transmit/flush/receiver, and the device's own transmit and
 * flush are pointed at the wrapper. Only the Device contract and NetInterface's public `device` and
 * `receive` are relied on.
 */
export function interposeDevice(iface: NetInterface, wrap: (inner: Device) => Device): Device {
  const previous = outermost.get(iface);
  const outer = wrap(previous ?? standIn(iface.device));
  if (previous === undefined) {
    // From now on the interface's transmit/flush calls go through the outermost wrapper.
    iface.device.transmit = (frame, gsoSize) => outermost.get(iface)?.transmit(frame, gsoSize);
    iface.device.flush = () => outermost.get(iface)?.flush();
    // Super-frames only if the outermost wrapper passes them on.
    Object.defineProperty(iface.device, 'segmentationOffload', {
      get: () => outermost.get(iface)?.segmentationOffload === true,
      configurable: true,
    });
  }
  outer.setReceiver(iface.receive);
  outermost.set(iface, outer);
  return outer;
}

/** The wrapper nearest to each interface (later wrappers wrap earlier ones). */
const outermost = new WeakMap<NetInterface, Device>();

/** A Device with the device's original transmit/flush (bound before they are redirected). */
function standIn(device: Device): Device {
  const transmit = device.transmit.bind(device);
  const flush = device.flush.bind(device);
  return {
    name: device.name,
    linkType: device.linkType,
    mtu: device.mtu,
    segmentationOffload: device.segmentationOffload,
    transmit,
    flush,
    setReceiver: (receiver) => device.setReceiver(receiver),
    close: () => device.close(),
  };
}

/** Attaches what the options ask for to the interface's device; a no-op when nothing is asked. */
export function observeLink(iface: NetInterface, options: ObserveOptions): LinkObservers {
  const packets: AnalyzedPacket[] = [];
  const retransmissions: RetransmissionCounts = { in: 0, out: 0 };
  let pcap: PcapTap | undefined;
  let tracer: Tracer | undefined;
  if (options.pcap) {
    const path = options.pcap;
    try {
      pcap = interposeDevice(iface, (inner) => new PcapTap(inner, path)) as PcapTap;
    } catch (err) {
      throw new UserError(
        `cannot write the capture ${path}: ${(err as Error).message}`,
        'check the --pcap path and permissions',
        23, // curl's "write error"
      );
    }
  }
  const analyze = options.explain || options.keepPackets || options.countRetransmissions;
  if (options.trace || analyze) {
    const format = frameFormatter(options, (packet) => {
      if (options.keepPackets) packets.push(packet);
      if (options.countRetransmissions && packet.labels.some((l) => isRetransmission(l.kind))) {
        retransmissions[packet.info.direction === 'out' ? 'out' : 'in']++;
      }
    });
    const write = options.trace
      ? (options.write ?? ((line: string) => process.stderr.write(`${line}\n`)))
      : NOTHING;
    tracer = interposeDevice(iface, (inner) => new Tracer(inner, { format, write })) as Tracer;
  }
  return {
    packets,
    retransmissions,
    traced: () => tracer?.count ?? 0,
    close() {
      pcap?.close();
    },
  };
}

type Formatter = (
  frame: Uint8Array,
  linkType: LinkType,
  direction: 'in' | 'out',
  timestamp: number,
) => string;

/** tcpdump text, fed through the analyzer when asked; the explanation appended with --explain. */
function frameFormatter(options: ObserveOptions, sink: (packet: AnalyzedPacket) => void): Formatter {
  const tcpdump = new TcpdumpFormatter({ timestamps: 'none' });
  const explainer = new CaptureExplainer();
  const analyze = options.explain || options.keepPackets || options.countRetransmissions;
  const needText = options.trace || options.keepPackets;
  return (frame, linkType, direction, timestamp) => {
    const lt = linkTypeNumber(linkType);
    const text = needText ? tcpdump.format(frame, lt) : '';
    if (!analyze) return text;
    const packet = explainer.analyzeFrame(
      frame,
      lt,
      timestamp,
      needText ? { direction, line: text } : { direction },
    );
    if (packet === undefined) return text;
    sink(packet);
    if (!options.explain) return text;
    const explanation = explainPacket(packet);
    return explanation ? `${text}   <- ${explanation}` : text;
  };
}
