// `synack sim`: one TCP transfer between two userspace stacks over a simulated link, in virtual
// time, reproducible from a seed. Prints a short summary (or --json), optionally the tcpdump-style
// trace and a pcap of the frames as the client sees them.
import type { Command } from 'commander';
import {
  ImpairSpecError,
  parseProbability,
  parseRate,
  parseSize,
  parseTime,
} from '../../link/impair-spec.js';
import {
  formatSimSummary,
  type SimDirection,
  type SimOptions,
  type SimResult,
  simulate,
} from '../../sim/index.js';
import { UserError } from '../errors.js';

interface SimCliOptions {
  size: string;
  rtt: string;
  bw: string;
  loss?: string;
  impair?: string;
  cc: string;
  seed: string;
  rcvbuf?: string;
  sndbuf?: string;
  mtu: string;
  queue: string;
  direction: string;
  request?: string;
  trace?: boolean;
  traceAll?: boolean;
  traceLines: string;
  pcap?: string;
  captureAt: string;
  json?: boolean;
}

export function registerSim(program: Command): void {
  program
    .command('sim')
    .description('simulate a TCP transfer between two userspace stacks in virtual time (reproducible)')
    .option('--size <bytes>', 'bytes to transfer (each way with --direction both): 1500, 64k, 10M', '10M')
    .option('--rtt <time>', 'round-trip propagation delay: 20ms, 1s', '20ms')
    .option('--bw <rate>', 'link rate each way: 100mbit, 1gbit; 0 = unlimited', '100mbit')
    .option('--loss <prob>', 'random loss in both directions: 1% or 0.01')
    .option(
      '--impair <spec>',
      'impairments as for --impair; dir=out is client->server, dir=in server->client',
    )
    .option('--cc <name>', 'congestion control: cubic or newreno', 'cubic')
    .option('--seed <n>', 'seed for everything random (same seed, same run)', '1')
    .option('--rcvbuf <bytes>', 'TCP receive buffer of both ends')
    .option('--sndbuf <bytes>', 'TCP send buffer of both ends')
    .option('--mtu <bytes>', 'link MTU', '1500')
    .option('--queue <frames>', 'link queue per direction (drop-tail)', '1000')
    .option('--direction <dir>', 'download (server->client), upload or both', 'download')
    .option('--request <bytes>', 'client sends a request of this size first; the server answers after it')
    .option('--trace', 'print tcpdump-style lines (first and last --trace-lines)')
    .option('--trace-all', 'print every trace line')
    .option('--trace-lines <n>', 'lines kept at each end of a bounded trace', '20')
    .option('--pcap <file>', 'write the frames to a pcap file')
    .option('--capture-at <side>', 'where trace and pcap look from: client or server', 'client')
    .option('--json', 'print the result as one JSON object')
    .action((opts: SimCliOptions) => {
      process.exitCode = runSim(opts);
    });
}

function runSim(opts: SimCliOptions): number {
  const options = toSimOptions(opts);
  if (opts.traceAll) options.trace = { write: (line) => process.stdout.write(`${line}\n`) };
  else if (opts.trace) options.trace = { lines: count('--trace-lines', opts.traceLines, 1, 1e9) };
  let result: SimResult;
  try {
    result = simulate(options);
  } catch (err) {
    if (err instanceof ImpairSpecError) throw new UserError(err.message, err.hint, 2);
    if (err instanceof RangeError) throw new UserError(err.message, 'check the option values', 2);
    throw err;
  }
  if (opts.json) {
    const { trace, ...rest } = result;
    console.log(JSON.stringify(opts.trace && !opts.traceAll ? result : rest, jsonNumbers));
  } else {
    if (opts.trace && !opts.traceAll) for (const line of result.trace) console.log(line);
    for (const line of formatSimSummary(result)) console.log(line);
    if (!result.ok && result.diagnostic !== null) console.error(result.diagnostic);
    if (opts.pcap) console.error(`synack: wrote ${opts.pcap}`);
  }
  return result.ok ? 0 : 1;
}

function toSimOptions(opts: SimCliOptions): SimOptions {
  return {
    size: parsed(() => parseSize(opts.size), '--size', opts.size),
    rtt: parsed(() => parseTime(opts.rtt), '--rtt', opts.rtt),
    bandwidth: opts.bw === '0' ? 0 : parsed(() => parseRate(opts.bw), '--bw', opts.bw),
    loss:
      opts.loss === undefined
        ? undefined
        : parsed(() => parseProbability(opts.loss as string), '--loss', opts.loss),
    impair: opts.impair,
    congestionControl: choice('--cc', opts.cc, ['cubic', 'newreno'] as const),
    seed: count('--seed', opts.seed, 0, 0xffffffff),
    receiveBuffer:
      opts.rcvbuf === undefined
        ? undefined
        : parsed(() => parseSize(opts.rcvbuf as string), '--rcvbuf', opts.rcvbuf),
    sendBuffer:
      opts.sndbuf === undefined
        ? undefined
        : parsed(() => parseSize(opts.sndbuf as string), '--sndbuf', opts.sndbuf),
    mtu: count('--mtu', opts.mtu, 128, 65535),
    queueFrames: count('--queue', opts.queue, 0, 1e7),
    direction: choice('--direction', opts.direction, ['download', 'upload', 'both'] as const) as SimDirection,
    request:
      opts.request === undefined
        ? undefined
        : parsed(() => parseSize(opts.request as string), '--request', opts.request),
    pcap: opts.pcap,
    captureAt: choice('--capture-at', opts.captureAt, ['client', 'server'] as const),
  };
}

function parsed<T>(parse: () => T, name: string, value: string): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof ImpairSpecError)
      throw new UserError(`${name}: ${err.message.replace(/^bad impairment /, '')}`, `got ${value}`, 2);
    throw err;
  }
}

function count(name: string, value: string, min: number, max: number): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new UserError(`${name} must be a whole number in ${min}..${max}`, `got ${value}`, 2);
  }
  return n;
}

function choice<T extends string>(name: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UserError(`${name} must be one of ${allowed.join(', ')}`, `got ${value}`, 2);
}

/** JSON has no Infinity/NaN: write them as null. */
function jsonNumbers(_key: string, value: unknown): unknown {
  return typeof value === 'number' && !Number.isFinite(value) ? null : value;
}
