// What the analyzer says about a packet: a list of labels, each a small plain object.
// Names follow Wireshark's tcp.analysis flags (epan/dissectors/packet-tcp.c) where one exists.
// Ranges and ACK numbers are relative sequence offsets (the SYN is 0, the first data byte 1).

export type TcpLabel =
  | { kind: 'handshake'; step: 1 | 2 | 3 }
  | { kind: 'syn-retransmission'; step: 1 | 2 }
  | { kind: 'data'; start: number; end: number }
  | { kind: 'http-request'; method: string; target: string; version: string }
  | { kind: 'http-response'; version: string; status: number; reason: string }
  /** A pure ACK; `segments` = data segments that arrived since the receiver's previous ACK. */
  | { kind: 'ack'; ack: number; segments: number }
  /** An ACK sent after holding back for a second segment (RFC 1122 §4.2.3.2, RFC 5681 §4.2). */
  | { kind: 'delayed-ack'; ack: number; segments: number; waitedMs: number }
  | { kind: 'dup-ack'; ack: number; count: number }
  | { kind: 'sack'; blocks: Array<[number, number]> }
  /** A D-SACK block (RFC 2883 §4): the receiver reports bytes it got twice. */
  | { kind: 'dsack'; start: number; end: number }
  | { kind: 'retransmission'; start: number; end: number; cause: 'timeout' | 'unknown'; afterMs?: number }
  /**
   * Resent on the receiver's request: after duplicate ACKs (RFC 5681 §3.2), or, with `sack`, because
   * SACK blocks reported data above this hole (RFC 6675 §5, RACK RFC 8985) before an RTO could fire.
   */
  | { kind: 'fast-retransmission'; start: number; end: number; dupAcks: number; sack?: boolean }
  | { kind: 'spurious-retransmission'; start: number; end: number }
  | { kind: 'out-of-order'; start: number; end: number }
  /** Bytes [start, end) never seen before this segment: lost upstream of the capture, or not captured. */
  | { kind: 'lost-segment'; start: number; end: number }
  | { kind: 'acked-unseen'; ack: number }
  | { kind: 'window-full' }
  | { kind: 'zero-window' }
  | { kind: 'zero-window-probe' }
  | { kind: 'zero-window-probe-ack' }
  | { kind: 'window-update'; window: number }
  | { kind: 'keep-alive' }
  | { kind: 'keep-alive-ack' }
  /** Connection teardown steps 1..4 (RFC 9293 §3.6); one packet may carry two (FIN+ACK = 2 and 3). */
  | { kind: 'close'; steps: number[] }
  | { kind: 'fin-after-http10' }
  | { kind: 'rst'; reason: 'refused' | 'abort' | 'after-close' }
  | { kind: 'dropped' };

export type TcpLabelKind = TcpLabel['kind'];

/** Label kinds that mean "the network or an endpoint had trouble here" (colored in reports). */
export const TROUBLE_KINDS: ReadonlySet<TcpLabelKind> = new Set<TcpLabelKind>([
  'retransmission',
  'fast-retransmission',
  'spurious-retransmission',
  'syn-retransmission',
  'out-of-order',
  'lost-segment',
  'acked-unseen',
  'dup-ack',
  'zero-window',
  'zero-window-probe',
  'window-full',
  'rst',
  'dropped',
]);

export function isRetransmission(kind: TcpLabelKind): boolean {
  return (
    kind === 'retransmission' ||
    kind === 'fast-retransmission' ||
    kind === 'spurious-retransmission' ||
    kind === 'syn-retransmission'
  );
}
