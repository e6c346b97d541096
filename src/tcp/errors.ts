// Typed errors a TCP connection ends with (RFC 9293 §3.10: "connection reset", "connection refused", ...).

export type TcpErrorCode =
  | 'refused' // RST in answer to our SYN (RFC 9293 §3.10.7.3)
  | 'reset' // RST from the peer on a synchronized connection
  | 'timeout' // retransmissions exhausted (RFC 1122 §4.2.3.5 R2) or SYN retries exhausted
  | 'keepalive-timeout' // keepalive probes unanswered (RFC 1122 §4.2.3.6)
  | 'aborted' // the local user called abort()
  | 'closing' // an operation that the current state does not allow (RFC 9293 §3.10 "connection closing")
  | 'not-connected'; // an operation before the connection exists

export class TcpError extends Error {
  override readonly name = 'TcpError';
  constructor(
    readonly code: TcpErrorCode,
    message: string,
  ) {
    super(message);
  }
}
