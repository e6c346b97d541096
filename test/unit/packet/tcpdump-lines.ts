// How synack's lines are compared with tcpdump's. synack prints up to the end of the transport part,
// plus tcpdump's HTTP line for ports 80/8080; tcpdump goes on for more application protocols. The cut,
// applied to tcpdump's line only, and only where synack's line stops:
// - TCP: when synack's line ends at the first ", length N" after "Flags [", tcpdump's line is compared
//   up to there (it may go on with e.g. ": SMTP: 220 ..." or a DNS-over-TCP decode).
// - UDP: where tcpdump decodes the payload (DNS, NTP, ...) instead of printing "UDP, length N", only
//   the part up to "src.port > dst.port: " is compared.
// Continuation lines (tcpdump's hex dumps, starting with a tab) belong to the line before them.
import { readFileSync } from 'node:fs';

export function cutToTransport(theirs: string, ours: string): string {
  const flags = theirs.indexOf('Flags [');
  if (flags >= 0) {
    const m = /, length \d+/.exec(theirs.slice(flags));
    const transportEnd = m ? flags + m.index + m[0].length : -1;
    if (m && ours.length <= transportEnd) return theirs.slice(0, transportEnd);
    return theirs;
  }
  const udp = /^(.*?\.\d+ > .*?\.\d+: )UDP, length \d+$/.exec(ours);
  if (udp && theirs.startsWith(udp[1]) && !theirs.slice(udp[1].length).startsWith('UDP, length')) return ours;
  return theirs;
}

/** tcpdump's output as one entry per packet (hex-dump lines joined to their packet). */
export function tcpdumpRecords(text: string): string[] {
  return text.split(/\n(?!\t)/).filter((l) => l.length > 0);
}

export function readRecords(path: string): string[] {
  return tcpdumpRecords(readFileSync(path, 'utf8'));
}
