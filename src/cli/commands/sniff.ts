// `synack sniff [-i IFACE] [-c N] [-w FILE] [FILTER...]`: capture on an existing interface through
// AF_PACKET (both directions, like tcpdump), print tcpdump -n lines live or write a pcap, with a
// tcpdump-style filter. Ctrl-C stops cleanly and prints the counts tcpdump prints.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { RxInfo } from '../../link/device.js';
import { openPacketSocket, type PacketSocketDevice } from '../../link/packet-socket.js';
import { LineWriter } from '../../packet/line-writer.js';
import { TcpdumpFormatter } from '../../packet/tcpdump/formatter.js';
import type { TimestampFormat } from '../../packet/tcpdump/timestamp.js';
import { compileFilter, FilterSyntaxError, type FramePredicate } from '../../sendrecv/filter/index.js';
import { PcapWriter } from '../../wire/pcap.js';
import { LinkType } from '../../wire/pcap-link.js';
import { UserError } from '../errors.js';

interface SniffCliOptions {
  interface?: string;
  count?: string;
  write?: string;
  print?: boolean;
  e?: boolean;
  tt?: boolean;
  t?: boolean;
  promiscuous?: boolean;
}

export function registerSniff(program: Command): void {
  program
    .command('sniff')
    .description('capture packets on an interface and print them as tcpdump -n does (or write a pcap)')
    .argument('[filter...]', 'tcpdump-style filter, e.g. tcp port 80 and host 10.77.2.2')
    .option(
      '-i, --interface <iface>',
      'interface (default: the first up non-loopback one; "any": all; the stack’s TAP works too)',
    )
    .option('-c, --count <n>', 'stop after n packets')
    .option('-w, --write <file>', 'write the packets to a pcap file instead of printing them')
    .option('--print', 'print lines even with -w')
    .option('-e', 'print the link-level header on each line')
    .option('--tt', 'print timestamps as seconds since the epoch')
    .option('-t', 'print no timestamps')
    .option('-n', 'do not resolve names (always the case; accepted for tcpdump habits)')
    .option('-p, --no-promiscuous', 'do not put the interface into promiscuous mode')
    .addHelpText(
      'after',
      '\nExamples:\n  synack sniff -i eth0 -c 10 tcp port 80\n  synack sniff -i synack0 -w stack.pcap\n',
    )
    .action(async (filter: string[], opts: SniffCliOptions) => {
      process.exitCode = await sniffCommand(filter, opts);
    });
}

function countOption(value: string | undefined): number {
  if (value === undefined) return 0;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1)
    throw new UserError(`-c must be a positive integer, got ${value}`, 'e.g. -c 10', 2);
  return n;
}

function compile(words: string[]): FramePredicate | undefined {
  const expr = words.join(' ').trim();
  if (expr === '') return undefined;
  try {
    return compileFilter(expr, 'ethernet');
  } catch (err) {
    if (err instanceof FilterSyntaxError) {
      throw new UserError(
        `bad filter: ${err.message}`,
        'the syntax is tcpdump’s (man pcap-filter), e.g. "tcp port 80"',
        2,
      );
    }
    throw err;
  }
}

interface IpLink {
  ifname: string;
  flags?: string[];
  link_type?: string;
}

/** Interfaces that are up, in `ip link` order. */
function upInterfaces(): IpLink[] {
  const out = execFileSync('ip', ['-j', 'link', 'show', 'up'], { encoding: 'utf8' });
  return (JSON.parse(out) as IpLink[]).filter((l) => l.flags?.includes('UP'));
}

/** tcpdump's choice: the first interface that is up and not loopback. */
function chooseInterfaces(name: string | undefined): string[] {
  if (name !== undefined && name !== 'any') return [name];
  const links = upInterfaces().filter(
    (l) => l.link_type === 'ether' || (name === 'any' && l.link_type === 'loopback'),
  );
  if (name === 'any') return links.map((l) => l.ifname);
  const first = links.find((l) => !l.flags?.includes('LOOPBACK'));
  if (!first) throw new UserError('no interface is up', 'bring one up, or name one with -i');
  return [first.ifname];
}

/** ARPHRD_LOOPBACK (if_arp.h): every frame shows up twice there, as sent and as received. */
function isLoopback(name: string): boolean {
  try {
    return readFileSync(`/sys/class/net/${name}/type`, 'utf8').trim() === '772';
  } catch {
    return false;
  }
}

function openDevices(names: string[], promiscuous: boolean): PacketSocketDevice[] {
  const opened: PacketSocketDevice[] = [];
  try {
    for (const name of names) {
      // Both directions, as tcpdump shows them; on loopback the received copy is enough (libpcap).
      opened.push(openPacketSocket(name, { promiscuous, ignoreOutgoing: isLoopback(name) }));
    }
  } catch (err) {
    for (const d of opened) d.close();
    const message = err instanceof Error ? err.message : String(err);
    if (/EPERM|EACCES|not permitted/i.test(message)) {
      throw new UserError(`not allowed to capture: ${message}`, 'run as root (CAP_NET_RAW)');
    }
    if (/ENODEV|No such device/i.test(message))
      throw new UserError(`no interface ${names.join(', ')}: ${message}`, 'list interfaces with: ip link');
    throw err;
  }
  return opened;
}

async function sniffCommand(words: string[], opts: SniffCliOptions): Promise<number> {
  const limit = countOption(opts.count);
  const accept = compile(words);
  if (process.getuid?.() !== 0) throw new UserError('capturing needs root', 'run it with sudo (or as root)');
  const names = chooseInterfaces(opts.interface);
  const devices = openDevices(names, opts.promiscuous !== false);
  const timestamps: TimestampFormat = opts.t ? 'none' : opts.tt ? 'epoch' : 'default';
  const formatter = new TcpdumpFormatter({ link: opts.e ?? false, timestamps });
  const writer = opts.write
    ? new PcapWriter(opts.write, { linkType: LinkType.Ethernet, resolution: 'us' })
    : undefined;
  const printing = writer === undefined || opts.print === true;
  const out = new LineWriter(1);
  const where = opts.interface === 'any' ? 'any' : names[0];
  console.error(`listening on ${where}, link-type EN10MB (Ethernet), snapshot length 262144 bytes`);
  let captured = 0;
  let flushQueued = false;
  return new Promise<number>((resolve) => {
    let stopped = false;
    const stop = () => {
      if (stopped) return;
      stopped = true;
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      const kernel = devices
        .map((d) => d.kernelStats())
        .reduce((a, b) => ({ packets: a.packets + b.packets, drops: a.drops + b.drops }), {
          packets: 0,
          drops: 0,
        });
      for (const d of devices) d.close();
      out.flush();
      writer?.close();
      console.error(`${plural(captured, 'packet')} captured`);
      console.error(`${plural(kernel.packets, 'packet')} received by filter`);
      console.error(`${plural(kernel.drops, 'packet')} dropped by kernel`);
      resolve(0);
    };
    const onFrame = (frame: Uint8Array, info: RxInfo) => {
      if (stopped || (limit > 0 && captured >= limit) || (accept !== undefined && !accept(frame))) return;
      // Device timestamps are performance.now() milliseconds; the capture wants wall-clock time.
      const ms = performance.timeOrigin + info.timestamp;
      const seconds = Math.floor(ms / 1000);
      const nanoseconds = Math.floor((ms - seconds * 1000) * 1e6);
      captured++;
      writer?.write(frame, BigInt(seconds) * 1_000_000_000n + BigInt(nanoseconds));
      if (printing) {
        out.line(formatter.line(frame, LinkType.Ethernet, seconds, nanoseconds));
        if (!flushQueued) {
          flushQueued = true;
          setImmediate(() => {
            flushQueued = false;
            out.flush();
          });
        }
      }
      if (limit > 0 && captured >= limit) setImmediate(stop);
    };
    for (const d of devices) d.setReceiver(onFrame);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
