// `synack shell`: a Node REPL with the whole public API in scope (layers, send/sr/sr1/sniff,
// dissect, readPcap, Stack, ...), top-level await, history in ~/.synack_history. With stdin not a
// terminal it reads expressions line by line and prints their values (for scripts and tests).
import { once } from 'node:events';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import repl from 'node:repl';
import { PassThrough } from 'node:stream';
import type { Command } from 'commander';
import type { DeviceOptionValues, OpenedLink } from '../device-options.js';

interface ShellOptions {
  banner?: boolean;
}

export function registerShell(program: Command): void {
  program
    .command('shell')
    .description('an interactive REPL with the synack API in scope (like the Scapy shell; top-level await)')
    .option('--no-banner', 'do not print the banner')
    .action(async (opts: ShellOptions) => {
      await shellCommand(opts);
    });
}

const BANNER = `synack shell: the whole synack API is in scope, and await works at top level.
  layers      Ether IP IPv6 TCP UDP ICMP ARP Raw Dot1Q ICMPv6EchoRequest ICMPv6ND_NS ...
  packets     dissect(bytes) readPcap(path) writePcap(path, pkts) hexdump(bytes) TcpdumpFormatter
  send/recv   send sendp sr sr1 srp srp1 answers sniff AsyncSniffer listen compileFilter conf
  stack       useLink({ tap | iface, ip, gw }) -> link (also conf.iface); Stack NetInterface Lab
Try:
  IP({ dst: '10.77.2.2' }).over(TCP({ dport: 80, flags: 'S' })).summary()
  const link = useLink({})        // TAP mode (see: synack lab up)
  const r = await sr1(IP({ dst: '10.77.2.2' }).over(ICMP()), { timeout: 2 }); r?.show()
`;

interface LinkRequest {
  tap?: string;
  iface?: string;
  ip?: string | string[];
  gw?: string | string[];
  mac?: string;
  hostIp?: boolean;
}

async function shellCommand(opts: ShellOptions): Promise<void> {
  const api = await import('../../index.js');
  const { openLink } = await import('../device-options.js');
  const links: OpenedLink[] = [];
  /** Opens a link the way the CLI's --tap/--iface/--ip options do, and makes it the default. */
  const useLink = (req: LinkRequest = {}): OpenedLink => {
    const values: DeviceOptionValues = {
      ...req,
      ip: req.ip === undefined ? undefined : [req.ip].flat(),
      gw: req.gw === undefined ? undefined : [req.gw].flat(),
    };
    const link = openLink(values);
    links.push(link);
    api.conf.iface = link.iface;
    api.conf.device = link.device;
    console.log(link.explanation);
    return link;
  };
  const interactive = process.stdin.isTTY === true;
  api.conf.verbose = true;
  if (opts.banner !== false) (interactive ? process.stdout : process.stderr).write(BANNER);
  const input = interactive ? process.stdin : new PassThrough();
  const server = repl.start({
    prompt: interactive ? 'synack> ' : '',
    input,
    output: process.stdout,
    terminal: interactive,
    useGlobal: false,
    ignoreUndefined: true,
  });
  for (const [name, value] of Object.entries({ ...api, useLink })) {
    Object.defineProperty(server.context, name, {
      value,
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  if (interactive) {
    server.setupHistory(join(homedir(), '.synack_history'), (err) => {
      if (err) console.error(`synack: no history (${err.message})`);
    });
  }
  const exited = once(server, 'exit');
  if (!interactive) await feedLines(server, input as PassThrough);
  await exited;
  for (const link of links) link.close();
}

/**
 * Piped input: one line at a time, each after the previous evaluation finished, so that
 * `const r = await sr1(...)` is settled before the next line uses `r` (the REPL itself reads on).
 */
async function feedLines(server: repl.REPLServer, input: PassThrough): Promise<void> {
  const evaluate = server.eval;
  let finished: (() => void) | undefined;
  const wrapped: repl.REPLEval = (cmd, context, file, cb) =>
    evaluate.call(server, cmd, context, file, (err, result) => {
      cb(err, result);
      const done = finished;
      finished = undefined;
      done?.();
    });
  (server as { eval: repl.REPLEval }).eval = wrapped;
  for await (const line of createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY })) {
    if (line.trim() === '' || line.trimStart().startsWith('.')) {
      input.write(`${line}\n`);
      continue;
    }
    const evaluated = new Promise<void>((resolve) => {
      finished = resolve;
    });
    input.write(`${line}\n`);
    await evaluated;
  }
  input.end();
}
