// Names of well-known numbers, as Scapy shows them in show() and summary().

export const ETHER_TYPE_NAMES: Readonly<Record<number, string>> = {
  2048: 'IPv4',
  2054: 'ARP',
  34525: 'IPv6',
  33024: 'n_802_1Q',
  34984: 'n_802_1AD',
  35020: 'LLDP',
  36864: 'LOOP',
};

export const IP_PROTO_NAMES: Readonly<Record<number, string>> = {
  0: 'hopopt',
  1: 'icmp',
  2: 'igmp',
  4: 'ipencap',
  6: 'tcp',
  17: 'udp',
  41: 'ipv6',
  43: 'ipv6_route',
  44: 'ipv6_frag',
  47: 'gre',
  50: 'esp',
  51: 'ah',
  58: 'ipv6_icmp',
  59: 'ipv6_nonxt',
  60: 'ipv6_opts',
  132: 'sctp',
};

/** A few services from /etc/services, as Scapy names ports in summaries. */
export const PORT_NAMES: Readonly<Record<number, string>> = {
  20: 'ftp_data',
  21: 'ftp',
  22: 'ssh',
  23: 'telnet',
  25: 'smtp',
  53: 'domain',
  67: 'bootps',
  68: 'bootpc',
  80: 'http',
  110: 'pop3',
  123: 'ntp',
  143: 'imap2',
  161: 'snmp',
  443: 'https',
  993: 'imaps',
  5353: 'mdns',
  8080: 'http_alt',
};

/** Port text by number, filled on first use (summaries repeat the same few ports). */
const portText: (string | undefined)[] = [];

export function portName(port: number): string {
  let text = portText[port];
  if (text === undefined) {
    text = PORT_NAMES[port] ?? String(port);
    if (port >= 0 && port <= 0xffff) portText[port] = text;
  }
  return text;
}

export const ARP_OP_NAMES: Readonly<Record<number, string>> = {
  1: 'who-has',
  2: 'is-at',
  3: 'RARP-req',
  4: 'RARP-rep',
};
