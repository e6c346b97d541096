// FALLBACK (temporary look): a minimal tcpdump-like line for a TCP packet, used only when the caller has no line
// from src/packet's TcpdumpFormatter (info.line unset). Not byte-exact with tcpdump; replace by the
// real formatter where frames are available.
import type { AnalyzedPacket } from './analyzed-packet.js';

const FLAG_LETTERS: Array<[number, string]> = [
  [0x02, 'S'],
  [0x01, 'F'],
  [0x08, 'P'],
  [0x04, 'R'],
  [0x20, 'U'],
  [0x40, 'E'],
  [0x80, 'W'],
];

/** tcpdump's flag notation: S, F, P, R, U, E (ECE), W (CWR), then "." for ACK; "" for none. */
export function tcpdumpFlags(flags: number): string {
  let text = '';
  for (const [bit, letter] of FLAG_LETTERS) if (flags & bit) text += letter;
  if (flags & 0x10) text += '.';
  return text;
}

function endpoint(address: string, port: number): string {
  return `${address}.${port}`;
}

/** `IP a.p > b.q: Flags [P.], seq 1:79, ack 1, win 502, length 78` with relative numbers. */
export function fallbackTcpdumpLine(packet: AnalyzedPacket): string {
  const { info } = packet;
  const family = info.src.includes(':') ? 'IP6' : 'IP';
  const parts = [`Flags [${tcpdumpFlags(info.flags) || 'none'}]`];
  const hasSeq = info.payloadLength > 0 || (info.flags & 0x07) !== 0;
  if (hasSeq) {
    parts.push(
      info.payloadLength > 0 ? `seq ${packet.seq}:${packet.seq + info.payloadLength}` : `seq ${packet.seq}`,
    );
  }
  if (info.flags & 0x10) parts.push(`ack ${packet.ack}`);
  parts.push(`win ${info.window}`);
  if (packet.sack)
    parts.push(`options [sack ${packet.sack.length} ${packet.sack.map(([l, r]) => `{${l}:${r}}`).join('')}]`);
  parts.push(`length ${info.payloadLength}`);
  const from = endpoint(info.src, info.sport);
  const to = endpoint(info.dst, info.dport);
  return `${family} ${from} > ${to}: ${parts.join(', ')}`;
}
