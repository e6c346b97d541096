// What both seed examples share: command-line options (the CLI's --tap/--iface/--ip, plus the
// server), opening the link (startSeed), and the TCP bookkeeping the article does by hand.
import { randomInt } from 'node:crypto';
import { Command, Option } from 'commander';
import {
  addDeviceOptions,
  type DeviceOptionValues,
  type OpenedLink,
  openLink,
} from '../src/cli/device-options.js';
import { UserError } from '../src/cli/errors.js';
import {
  type Backlog,
  IP,
  type IPLayer,
  listen,
  type Packet,
  Raw,
  RawLayer,
  type SrOptions,
  TCP,
  TCPLayer,
} from '../src/index.js';
import { CLIENT_LINK, HOST_LINK } from '../src/lab/plan.js';

export interface SeedOptions extends DeviceOptionValues {
  server?: string;
  port: string;
  path: string;
  verbose?: boolean;
}

/** Parses argv: the lab's TAP path by default, or --iface to-srv --ip 10.77.3.3/24 in synack-cli. */
export function seedOptions(name: string, defaults: { port: number; path: string }): SeedOptions {
  const cmd = new Command(name)
    .addOption(new Option('--server <addr>', 'the web server (default: the lab server on the chosen path)'))
    .addOption(new Option('--port <n>', 'server port').default(String(defaults.port)))
    .addOption(new Option('--path <path>', 'what to GET').default(defaults.path))
    .addOption(new Option('-q, --quiet', 'no Scapy progress lines'));
  addDeviceOptions(cmd);
  cmd.parse(process.argv);
  const opts = cmd.opts<SeedOptions & { quiet?: boolean }>();
  return { ...opts, verbose: !opts.quiet };
}

export interface Conversation {
  link: OpenedLink;
  backlog: Backlog;
  server: string;
  port: number;
  /** The IP header every packet we send starts with (the source comes from the interface). */
  ip: () => IPLayer;
  /** Our next TCP header: ports, seq, ack, flags as the article keeps them. */
  tcp: TCPLayer;
  close(): void;
}

/** Opens the link and starts keeping what the server sends (sr1 must not miss a segment). */
export function openConversation(opts: SeedOptions): Conversation {
  let link: OpenedLink;
  try {
    link = openLink(opts);
  } catch (err) {
    if (err instanceof UserError) fail(err.hint ? `${err.message}\n  next: ${err.hint}` : err.message);
    throw err;
  }
  const server = opts.server ?? (opts.iface ? CLIENT_LINK.server.ipv4 : HOST_LINK.server.ipv4);
  const port = Number(opts.port);
  console.error(`# ${link.explanation}`);
  const src = link.iface.ipv4;
  if (src === undefined) throw new Error('the link has no IPv4 address');
  // The article: a random source port in 30000-60000 and a random initial sequence number.
  const sport = randomInt(30000, 60001);
  const tcp = TCP({ sport, dport: port, flags: 'S', seq: randomInt(0, 2 ** 32) });
  const backlog = listen({
    link,
    filter: `tcp and src host ${server} and src port ${port} and dst port ${sport}`,
  });
  return {
    link,
    backlog,
    server,
    port,
    ip: () => IP({ dst: server }),
    tcp,
    close() {
      backlog.close();
      link.close();
    },
  };
}

/** What both examples start with: their options, the open conversation, and sr1/send's options. */
export interface SeedStart {
  opts: SeedOptions;
  c: Conversation;
  /** For sr1 and send: the link, the backlog that keeps the replies, a 2-second timeout. */
  sr: SrOptions;
  /** The conversation's TCP header state (c.tcp). */
  tcp: TCPLayer;
}

/** Parses argv and opens the conversation; exits with a message when the link cannot be opened. */
export function startSeed(name: string, defaults: { port: number; path: string }): SeedStart {
  const opts = seedOptions(name, defaults);
  const c = openConversation(opts);
  const sr = { link: c.link, backlog: c.backlog, timeout: 2, verbose: opts.verbose };
  return { opts, c, sr, tcp: c.tcp };
}

/** The packet to send now: a copy of our TCP header state (so later changes do not alias it). */
export function segment(c: Conversation, payload?: string): Packet {
  const p = c.ip().over(c.tcp.copy());
  return payload === undefined ? p : p.over(Raw({ load: payload }));
}

export function tcpOf(pkt: Packet): TCPLayer {
  return pkt.get(TCP);
}

/** The TCP data: Raw layers above TCP, Ethernet padding excluded. */
export function payloadOf(pkt: Packet): Uint8Array {
  const at = pkt.layers.findIndex((l) => l instanceof TCPLayer);
  const parts = pkt.layers.slice(at + 1).filter((l): l is RawLayer => l instanceof RawLayer && !l.isTrailer);
  return parts.length === 1 ? parts[0].load : Buffer.concat(parts.map((l) => l.load));
}

/** Bytes a segment occupies in sequence space: data, plus one for SYN and one for FIN. */
export function seqLength(pkt: Packet): number {
  const t = tcpOf(pkt);
  return payloadOf(pkt).length + (t.hasFlags('S') ? 1 : 0) + (t.hasFlags('F') ? 1 : 0);
}

export function fail(message: string): never {
  console.error(`error: ${message}`);
  process.exit(1);
}

/** Where the HTTP header ends and what Content-Length says, once the header is complete. */
export function httpHeader(
  data: Uint8Array,
): { headerEnd: number; contentLength?: number; statusLine: string } | undefined {
  const text = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const head = text.slice(0, end);
  const m = /^content-length:\s*(\d+)/im.exec(head);
  return {
    headerEnd: end + 4,
    contentLength: m ? Number(m[1]) : undefined,
    statusLine: head.split('\r\n')[0],
  };
}
