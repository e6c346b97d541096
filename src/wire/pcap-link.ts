// Capture link types (tcpdump.org LINKTYPE_*) and the pseudo-headers of the read-only ones.
import { get16 } from './bytes.js';
import { wireError } from './errors.js';

export const PcapLinkType = {
  Null: 0,
  Ethernet: 1,
  Raw: 101,
  LinuxSll: 113,
  Ipv4: 228,
  Ipv6: 229,
} as const;

/** Same as PcapLinkType (the package root's `LinkType` is the device's 'ethernet' | 'ip' type). */
export const LinkType = PcapLinkType;

/** What a capture record starts with once its link header is stripped. */
export interface LinkPayload {
  /** The EtherType of the payload (0x0800, 0x86dd, 0x0806, ...), or -1 when unknown. */
  etherType: number;
  /** Offset of the payload (for Ethernet: of the Ethernet header itself, with etherType of its type). */
  offset: number;
}

// BSD loopback address families seen in DLT_NULL captures: AF_INET = 2 everywhere; AF_INET6 differs.
const NULL_AF_INET6 = new Set([10, 24, 28, 30]);

function ipVersionType(data: Uint8Array, offset: number): number {
  if (offset >= data.length) return -1;
  const v = data[offset] >> 4;
  return v === 4 ? 0x0800 : v === 6 ? 0x86dd : -1;
}

/**
 * Finds the network-layer payload of a record. Ethernet records are returned at offset 0 with the
 * outer EtherType; callers parse Ethernet themselves.
 */
export function linkPayload(linkType: number, data: Uint8Array): LinkPayload {
  switch (linkType) {
    case LinkType.Ethernet:
      if (data.length < 14) wireError('truncated', 'ethernet record shorter than 14 bytes');
      return { etherType: get16(data, 12), offset: 0 };
    case LinkType.Raw:
      return { etherType: ipVersionType(data, 0), offset: 0 };
    case LinkType.Ipv4:
      return { etherType: 0x0800, offset: 0 };
    case LinkType.Ipv6:
      return { etherType: 0x86dd, offset: 0 };
    case LinkType.Null: {
      if (data.length < 4) wireError('truncated', 'null/loopback record shorter than 4 bytes');
      // The family is in the capturing host's byte order: accept either.
      const le = data[0] | (data[1] << 8);
      const be = (data[2] << 8) | data[3];
      const family = le !== 0 ? le : be;
      if (family === 2) return { etherType: 0x0800, offset: 4 };
      if (NULL_AF_INET6.has(family)) return { etherType: 0x86dd, offset: 4 };
      return { etherType: -1, offset: 4 };
    }
    case LinkType.LinuxSll:
      // Linux cooked v1: packet type, ARPHRD, address length, 8 address bytes, protocol (EtherType).
      if (data.length < 16) wireError('truncated', 'linux cooked record shorter than 16 bytes');
      return { etherType: get16(data, 14), offset: 16 };
    default:
      wireError('unsupported', `link type ${linkType}`);
  }
}
