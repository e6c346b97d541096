// The lab's address plan: every name, address, MAC, port and file that tests and commands share.
// One place to read it; nothing else in the tree should spell these values.
//
//   userspace stack (TAP synack0)           host kernel (router)              synack-srv
//   10.77.1.2 fd77:1::2  ── synack0 ──  10.77.1.1 fd77:1::1
//                                       10.77.2.1 fd77:2::1 ── synack-h0 ══ to-host  10.77.2.2 fd77:2::2
//                                                                                     nginx :80 :443
//   synack-cli                                                                         http/1.0 :8000
//   10.77.3.2 fd77:3::2  to-srv ═══════════════════════════════════════════ to-cli   10.77.3.1 fd77:3::1
//   (spare for AF_PACKET mode: 10.77.3.3 fd77:3::3)                                    chunked :8001

/** One end of a link: interface name, addresses and MAC. */
export interface LinkEnd {
  readonly ifname: string;
  readonly ipv4: string;
  readonly ipv6: string;
  readonly mac: string;
}

export interface LabLink {
  readonly ipv4Subnet: string;
  readonly ipv4Prefix: number;
  readonly ipv6Subnet: string;
  readonly ipv6Prefix: number;
}

export const LAB_NAMESPACES = {
  /** Runs the servers; reachable from the host (TAP path) and from the client namespace (veth path). */
  server: 'synack-srv',
  /** Where curl and AF_PACKET-mode stacks run, on a veth to the server. */
  client: 'synack-cli',
} as const;

/**
 * Path 1: the TAP device the userspace stack opens itself. The lab does not create it; it routes
 * 10.77.1.0/24 and fd77:1::/64 from the server to the host, which forwards onto synack0.
 */
export const TAP_LINK = {
  ipv4Subnet: '10.77.1.0/24',
  ipv4Prefix: 24,
  ipv6Subnet: 'fd77:1::/64',
  ipv6Prefix: 64,
  /** The host kernel's end of the TAP device. */
  host: { ifname: 'synack0', ipv4: '10.77.1.1', ipv6: 'fd77:1::1', mac: '02:77:01:00:00:01' },
  /** The userspace stack's own address and MAC on the TAP link. */
  stack: { ifname: 'synack0', ipv4: '10.77.1.2', ipv6: 'fd77:1::2', mac: '02:77:01:00:00:02' },
  mtu: 1500,
} as const satisfies LabLink & { host: LinkEnd; stack: LinkEnd; mtu: number };

/** The veth pair between the host (router for the TAP path) and the server namespace. */
export const HOST_LINK = {
  ipv4Subnet: '10.77.2.0/24',
  ipv4Prefix: 24,
  ipv6Subnet: 'fd77:2::/64',
  ipv6Prefix: 64,
  host: { ifname: 'synack-h0', ipv4: '10.77.2.1', ipv6: 'fd77:2::1', mac: '02:77:02:00:00:01' },
  server: { ifname: 'to-host', ipv4: '10.77.2.2', ipv6: 'fd77:2::2', mac: '02:77:02:00:00:02' },
} as const satisfies LabLink & { host: LinkEnd; server: LinkEnd };

/** Path 2: the veth pair between the client namespace and the server namespace. */
export const CLIENT_LINK = {
  ipv4Subnet: '10.77.3.0/24',
  ipv4Prefix: 24,
  ipv6Subnet: 'fd77:3::/64',
  ipv6Prefix: 64,
  server: { ifname: 'to-cli', ipv4: '10.77.3.1', ipv6: 'fd77:3::1', mac: '02:77:03:00:00:01' },
  client: { ifname: 'to-srv', ipv4: '10.77.3.2', ipv6: 'fd77:3::2', mac: '02:77:03:00:00:02' },
  /** Mode 2 (AF_PACKET with a spare address): no kernel owns it; the stack answers ARP/ND itself. */
  spare: { ifname: 'to-srv', ipv4: '10.77.3.3', ipv6: 'fd77:3::3', mac: '02:77:03:00:00:03' },
} as const satisfies LabLink & { server: LinkEnd; client: LinkEnd; spare: LinkEnd };

export const LAB_PORTS = {
  /** nginx, HTTP/1.1 with keepalive. */
  http: 80,
  /** nginx, TLS with the lab's own CA (LAB_PATHS.caCert). */
  https: 443,
  /** Python http.server: HTTP/1.0, closes the connection after each response. */
  http10: 8000,
  /** Tiny Python responder: HTTP/1.1, every body sent with Transfer-Encoding: chunked. */
  chunked: 8001,
} as const;

export type LabServerName = keyof typeof LAB_PORTS;

export interface LabFile {
  /** Path under the web root, e.g. `/100k.bin`. */
  readonly name: string;
  readonly size: number;
  /** Lower-case hex. */
  readonly sha256: string;
}

/**
 * The files every server serves. Content is the AES-128-CTR keystream (key = first 16 bytes of
 * sha256("synack-lab:" + name), IV zero): deterministic, incompressible and fast to make.
 * Same bytes as: head -c SIZE /dev/zero | openssl enc -aes-128-ctr -K KEY -iv 0
 */
export const LAB_FILES = [
  {
    name: '2k.bin',
    size: 2 * 1024,
    sha256: '4243b7736b8cccedba8f603301cd68f7c56cebff428d4c01c51254dd155bf6c8',
  },
  {
    name: '100k.bin',
    size: 100 * 1024,
    sha256: '1896e664f4d1dac797e10f2dabf2121b12ca63f0b59f44d7fd9ceed247b6acc6',
  },
  {
    name: '10m.bin',
    size: 10 * 1024 * 1024,
    sha256: '7d7335b507c4fd3c68513ad77222756e189bc61623b843d5c7eddcaf182c23cb',
  },
  {
    name: '100m.bin',
    size: 100 * 1024 * 1024,
    sha256: '0e254e28a62ff7b4efae277338e19b3a6ea00cf55a006fef9e1cae2c9f21a692',
  },
] as const satisfies readonly LabFile[];

export type LabFileName = (typeof LAB_FILES)[number]['name'];

/**
 * Every lab address lies in these prefixes. While the lab is up the host holds unreachable routes
 * for them, so an address no lab link owns never follows the default route out (containment.ts).
 */
export const LAB_PREFIXES = { ipv4: '10.77.0.0/16', ipv6: 'fd77::/16' } as const;

/** Host interfaces of the lab (the veth to the server, the stack's TAP or its veth stand-in). */
export const LAB_IFNAME_PATTERN = 'synack*';

/** The host's nftables table that confines forwarding to the lab's own interfaces. */
export const LAB_FORWARD_TABLE = { family: 'inet', name: 'synack_lab_forward' } as const;

/**
 * The lab's DNS server (UDP, in the server namespace): every name in the zone is the server,
 * every other name does not exist (NXDOMAIN), so tests never ask the host's resolver.
 */
export const LAB_DNS = { port: 53, zone: 'synack.lab' } as const;

/** Kernel-side random loss (nftables numgen) lives in this table, inside the server namespace. */
export const LAB_NFT_TABLE = { family: 'inet', name: 'synack_lab' } as const;

export const LAB_PATHS = {
  /** Host-state journals of every synack process (see host-state.ts). */
  stateDir: '/run/synack/state',
  /** Runtime files of the running lab: configs, pid files, logs, TLS material. Removed by down. */
  runDir: '/run/synack/lab',
  caCert: '/run/synack/lab/tls/ca.pem',
  serverCert: '/run/synack/lab/tls/server.pem',
  serverKey: '/run/synack/lab/tls/server.key',
  /** Generated files, made once and kept across up/down (`lab down --purge` removes them). */
  wwwDir: '/var/lib/synack/lab/www',
} as const;

/** The host-state journal (see host-state.ts) that records everything the lab made. */
export const LAB_JOURNAL = 'lab';

/** The name in the server certificate (also valid: every server address); in LAB_DNS.zone. */
export const LAB_SERVER_NAME = `srv.${LAB_DNS.zone}`;

export type IpFamily = 4 | 6;

/** The server's address as seen from one path. */
export function serverAddress(path: 'tap' | 'veth', family: IpFamily): string {
  const end = path === 'tap' ? HOST_LINK.server : CLIENT_LINK.server;
  return family === 4 ? end.ipv4 : end.ipv6;
}

/** A URL for a lab server, e.g. labUrl('http', '100k.bin', { path: 'veth', family: 6 }). */
export function labUrl(
  server: LabServerName,
  file = '',
  where: { path?: 'tap' | 'veth'; family?: IpFamily } = {},
): string {
  const address = serverAddress(where.path ?? 'veth', where.family ?? 4);
  const host = address.includes(':') ? `[${address}]` : address;
  const scheme = server === 'https' ? 'https' : 'http';
  return `${scheme}://${host}:${LAB_PORTS[server]}/${file}`;
}

/** Everything above in one object, as `lab.plan`. */
export const LAB_PLAN = {
  namespaces: LAB_NAMESPACES,
  tap: TAP_LINK,
  hostLink: HOST_LINK,
  clientLink: CLIENT_LINK,
  ports: LAB_PORTS,
  files: LAB_FILES,
  nftTable: LAB_NFT_TABLE,
  prefixes: LAB_PREFIXES,
  forwardTable: LAB_FORWARD_TABLE,
  dns: LAB_DNS,
  paths: LAB_PATHS,
  serverName: LAB_SERVER_NAME,
} as const;

export type LabPlan = typeof LAB_PLAN;
