// The 8-byte header ICMPv4 (RFC 792) and ICMPv6 (RFC 4443 §2.1) share: type, code, checksum, and
// a 32-bit "rest of header" that echo messages split into identifier and sequence number.
import { get16, get32, need, set16 } from './bytes.js';
import { WireView } from './view.js';

export const ICMP_HEADER_LENGTH = 8;

export abstract class IcmpHeaderView extends WireView {
  /** The family's name in error messages ("icmpv4", "icmpv6"). */
  protected abstract readonly label: string;

  validate(): void {
    need(this.length, ICMP_HEADER_LENGTH, this.label);
  }
  get type(): number {
    return this.bytes[this.offset];
  }
  set type(v: number) {
    this.bytes[this.offset] = v;
  }
  get code(): number {
    return this.bytes[this.offset + 1];
  }
  set code(v: number) {
    this.bytes[this.offset + 1] = v;
  }
  get checksum(): number {
    return get16(this.bytes, this.offset + 2);
  }
  set checksum(v: number) {
    set16(this.bytes, this.offset + 2, v);
  }
  /** Bytes 4-7 ("rest of header") as one 32-bit number. */
  get rest(): number {
    return get32(this.bytes, this.offset + 4);
  }
  /** Echo identifier (RFC 792 echo, RFC 4443 §4.1). */
  get identifier(): number {
    return get16(this.bytes, this.offset + 4);
  }
  set identifier(v: number) {
    set16(this.bytes, this.offset + 4, v);
  }
  get sequence(): number {
    return get16(this.bytes, this.offset + 6);
  }
  set sequence(v: number) {
    set16(this.bytes, this.offset + 6, v);
  }
  /** Everything after the 8-byte header: echo data, or the quoted packet of an error. */
  get data(): Uint8Array {
    return this.bytes.subarray(this.offset + ICMP_HEADER_LENGTH, this.offset + this.length);
  }
}

/** Echo request and reply have the same shape in both families (RFC 792, RFC 4443 §4). */
export interface IcmpEchoRepr {
  kind: 'echo-request' | 'echo-reply';
  code: number;
  identifier: number;
  sequence: number;
  data: Uint8Array;
}

/** The echo message in `v`; `requestType` is the family's echo request type (8 or 128). */
export function parseIcmpEcho(v: IcmpHeaderView, requestType: number): IcmpEchoRepr {
  return {
    kind: v.type === requestType ? 'echo-request' : 'echo-reply',
    code: v.code,
    identifier: v.identifier,
    sequence: v.sequence,
    data: v.data,
  };
}
