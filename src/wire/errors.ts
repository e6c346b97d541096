// Typed errors for malformed input. Parsers throw only WireError; the stack counts and drops them.

export type WireErrorCode =
  | 'truncated' // fewer bytes than the header or a length field says
  | 'bad-length' // a length field is impossible (too small, larger than the buffer, ...)
  | 'bad-version' // IP version nibble does not match
  | 'bad-checksum' // a checksum does not verify (only where verification was asked for)
  | 'bad-option' // a malformed option (length 0/1, running past the header, ...)
  | 'bad-flags' // an impossible flag combination (e.g. TCP SYN+RST)
  | 'bad-field' // any other impossible field value
  | 'bad-address' // an address string that does not parse
  | 'bad-format' // file formats (pcap/pcapng): bad magic, unsupported version, ...
  | 'unsupported'; // well-formed but not something we handle

export class WireError extends Error {
  override readonly name = 'WireError';
  constructor(
    readonly code: WireErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function wireError(code: WireErrorCode, message: string): never {
  throw new WireError(code, message);
}
