// Short texts about one segment for the ladder: the arrow caption and the CSS classes by label.
import { type AnalyzedPacket, isRetransmission, tcpdumpFlags } from '../analysis/index.js';

/** tcpdump's flag notation: S, F, P, R, U, E, W, then "." for ACK. */
export const flagText: (flags: number) => string = tcpdumpFlags;

/** `[P.] 1:79 ack 1 win 502` with relative numbers. */
export function arrowCaption(p: AnalyzedPacket): string {
  const len = p.info.payloadLength;
  const parts = [`[${flagText(p.info.flags)}]`];
  if (len > 0) parts.push(`${p.seq}:${p.seq + len}`);
  else if (p.info.flags & 0x07) parts.push(`seq ${p.seq}`);
  if (p.info.flags & 0x10) parts.push(`ack ${p.ack}`);
  parts.push(`win ${p.window}`);
  if (p.sack && p.sack.length > 0) parts.push(`sack ${p.sack.map(([l, r]) => `${l}:${r}`).join(' ')}`);
  return parts.join(' ');
}

/** CSS classes for a segment's arrow: what kind of packet, and what went wrong. */
export function segmentClasses(p: AnalyzedPacket): string {
  const classes = new Set<string>(['seg', p.fromClient ? 'c2s' : 's2c']);
  for (const label of p.labels) {
    if (isRetransmission(label.kind)) classes.add('retrans');
    else if (label.kind === 'lost-segment') classes.add('gap');
    else if (label.kind === 'dup-ack') classes.add('dupack');
    else if (label.kind === 'out-of-order') classes.add('ooo');
    else if (label.kind === 'dropped') classes.add('dropped');
    else if (label.kind === 'rst') classes.add('rst');
    else if (
      label.kind === 'zero-window' ||
      label.kind === 'zero-window-probe' ||
      label.kind === 'window-full'
    )
      classes.add('window');
    else if (label.kind === 'handshake' || label.kind === 'close') classes.add('control');
  }
  if (p.info.payloadLength > 0) classes.add('data');
  return [...classes].join(' ');
}
