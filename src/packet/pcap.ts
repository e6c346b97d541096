// Capture files <-> packets, over src/wire's pcap/pcapng reader and pcap writer.
import { PcapWriter } from '../wire/pcap.js';
import { readCaptureFile } from '../wire/pcapng.js';
import { dissect, type LinkTypeInput, linkTypeNumber } from './dissect.js';
import { Packet } from './packet.js';

/** Streams the packets of a pcap or pcapng file (constant memory for pcap). */
export function* readPcap(path: string): Generator<Packet> {
  for (const rec of readCaptureFile(path)) {
    const pkt = dissect(rec.data, rec.linkType);
    pkt.time = { seconds: rec.seconds, nanoseconds: rec.nanoseconds };
    pkt.linkType = rec.linkType;
    yield pkt;
  }
}

export interface WritePcapOptions {
  /** Link type of the file (default: the first packet's, else Ethernet). */
  linktype?: LinkTypeInput;
  /** 'ns' for the nanosecond pcap magic (default 'us'). */
  resolution?: 'us' | 'ns';
}

/**
 * Writes packets (or raw frames) to a pcap file. A packet's capture time is kept; packets without
 * one get the current time. Packets are built (auto fields filled); dissected ones keep their bytes.
 */
export function writePcap(
  path: string,
  packets: Iterable<Packet | Uint8Array>,
  opts: WritePcapOptions = {},
): number {
  let writer: PcapWriter | undefined;
  let count = 0;
  try {
    for (const p of packets) {
      const frame = p instanceof Packet ? (p.original ?? p.build()) : p;
      if (!writer) {
        const first = opts.linktype ?? (p instanceof Packet ? p.linkType : undefined) ?? 'ethernet';
        writer = new PcapWriter(path, { linkType: linkTypeNumber(first), resolution: opts.resolution });
      }
      writer.write(frame, timestampOf(p));
      count++;
    }
    if (!writer) writer = new PcapWriter(path, { linkType: linkTypeNumber(opts.linktype ?? 'ethernet') });
  } finally {
    writer?.close();
  }
  return count;
}

function timestampOf(p: Packet | Uint8Array): bigint {
  if (p instanceof Packet && p.time)
    return BigInt(p.time.seconds) * 1_000_000_000n + BigInt(p.time.nanoseconds);
  return BigInt(Date.now()) * 1_000_000n;
}
