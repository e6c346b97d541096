// Turning filter ids into values: addresses, networks, MACs, ports and protocol names.
import { parseIpv4Address, parseIpv6Address, parseMac } from '../../wire/addr.js';

/** Service names tcpdump users write most (from /etc/services). */
const SERVICES: Readonly<Record<string, number>> = {
  ftp: 21,
  'ftp-data': 20,
  ssh: 22,
  telnet: 23,
  smtp: 25,
  domain: 53,
  bootps: 67,
  bootpc: 68,
  tftp: 69,
  http: 80,
  www: 80,
  pop3: 110,
  ntp: 123,
  imap: 143,
  snmp: 161,
  bgp: 179,
  ldap: 389,
  https: 443,
  submission: 587,
  imaps: 993,
  pop3s: 995,
  mysql: 3306,
  postgresql: 5432,
  'http-alt': 8080,
};

export const IP_PROTOCOLS: Readonly<Record<string, number>> = {
  icmp: 1,
  igmp: 2,
  tcp: 6,
  udp: 17,
  gre: 47,
  esp: 50,
  ah: 51,
  icmp6: 58,
  sctp: 132,
};

const NUMBER = /^(0x[0-9a-f]+|[0-9]+)$/i;
const MAC = /^[0-9a-f]{1,2}([:.-])[0-9a-f]{1,2}(\1[0-9a-f]{1,2}){4}$/i;
const IPV4 = /^[0-9]+(\.[0-9]+){3}$/;

export function parseNumber(text: string): number | undefined {
  if (!NUMBER.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) && n <= 0xffffffff ? n : undefined;
}

export function isMac(text: string): boolean {
  return MAC.test(text);
}

export function macBytes(text: string): Uint8Array {
  return parseMac(text.replace(/[.-]/g, ':'));
}

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

/** 4 bytes for IPv4, 16 for IPv6; undefined when it is neither. */
export function addressBytes(text: string): Uint8Array | undefined {
  try {
    if (isIpv4(text)) return parseIpv4Address(text);
    if (text.includes(':') && !isMac(text)) return parseIpv6Address(text);
  } catch {
    return undefined;
  }
  return undefined;
}

export function portNumber(text: string): number | undefined {
  const n = parseNumber(text);
  if (n !== undefined) return n <= 65535 ? n : undefined;
  return SERVICES[text.toLowerCase()];
}
