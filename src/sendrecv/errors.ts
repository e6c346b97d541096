// Typed errors of send/receive: what went wrong, in words a user can act on.

export type SendRecvErrorCode =
  | 'no-target' // neither an interface nor a device was given (and conf has none)
  | 'not-l3' // send()/sr() got a packet that does not start with IP/IPv6
  | 'no-route' // the interface has no route to the destination
  | 'no-source' // the interface has no address of the destination's family
  | 'queue-full' // too many packets wait for ARP/ND resolution of the next hop
  | 'too-big'; // larger than the link MTU

export class SendRecvError extends Error {
  override readonly name = 'SendRecvError';
  constructor(
    readonly code: SendRecvErrorCode,
    message: string,
  ) {
    super(message);
  }
}
