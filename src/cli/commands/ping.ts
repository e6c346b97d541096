// `synack ping HOST [-c N] [-i INTERVAL] [-s SIZE] [-6]`: ICMP echo from the userspace stack,
// printed like iputils ping. Exit code 0 when any reply came back, 1 when none did.
import { lookup } from 'node:dns/promises';
import type { Command } from 'commander';
import { formatIp, type IpAddr, parseIp } from '../../net/ip-addr.js';
import { formatPingSummary, Pinger } from '../../net/ping.js';
import {
  addDeviceOptions,
  type DeviceOptionValues,
  openLink,
  verifyLinkAddresses,
} from '../device-options.js';
import { UserError } from '../errors.js';

interface PingCliOptions extends DeviceOptionValues {
  count?: string;
  interval?: string;
  size?: string;
  wait?: string;
  ttl?: string;
  ipv6?: boolean;
  ipv4?: boolean;
  quiet?: boolean;
}

export function registerPing(program: Command): void {
  const cmd = program
    .command('ping')
    .description('send ICMP echo requests from the userspace stack (like iputils ping)')
    .argument('<host>', 'address or name to ping')
    .option('-c, --count <n>', 'stop after n requests')
    .option('-i, --interval <seconds>', 'seconds between requests', '1')
    .option('-s, --size <bytes>', 'data bytes per request', '56')
    .option('-W, --wait <seconds>', 'seconds to wait for the last reply', '2')
    .option('-t, --ttl <n>', 'IP time to live / hop limit')
    .option('-4', 'IPv4 only')
    .option('-6', 'IPv6 only')
    .option('-q, --quiet', 'only the summary');
  addDeviceOptions(cmd).action(async (host: string, opts: PingCliOptions & Record<string, unknown>) => {
    process.exitCode = await ping(host, { ...opts, ipv4: opts['4'] === true, ipv6: opts['6'] === true });
  });
}

function numberOption(name: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new UserError(`${name} must be a number in ${min}..${max}`, `got ${value}`, 2);
  return n;
}

async function resolveHost(host: string, family: 4 | 6 | undefined): Promise<IpAddr> {
  try {
    const addr = parseIp(host);
    if (family !== undefined && (typeof addr === 'number' ? 4 : 6) !== family) {
      throw new UserError(`${host} is not an IPv${family} address`, `drop -${family}`, 2);
    }
    return addr;
  } catch (err) {
    if (err instanceof UserError) throw err;
  }
  try {
    const found = await lookup(host, { family: family ?? 0 });
    return parseIp(found.address);
  } catch {
    throw new UserError(`${host}: name or service not known`, 'give an IP address, or check the name');
  }
}

async function ping(host: string, opts: PingCliOptions): Promise<number> {
  const count = numberOption('-c', opts.count, 1, 1e9);
  const interval = numberOption('-i', opts.interval, 0.002, 3600) ?? 1;
  const size = numberOption('-s', opts.size, 0, 65_000) ?? 56;
  const wait = numberOption('-W', opts.wait, 0, 3600) ?? 2;
  const ttl = numberOption('-t', opts.ttl, 1, 255);
  const dst = await resolveHost(host, opts.ipv6 ? 6 : opts.ipv4 ? 4 : undefined);
  const link = openLink(opts);
  try {
    console.error(`synack: ${link.explanation}`);
    await verifyLinkAddresses(link);
    const text = formatIp(dst);
    const v4 = typeof dst === 'number';
    console.log(
      v4
        ? `PING ${host} (${text}) ${size}(${size + 28}) bytes of data.`
        : `PING ${host} (${text}) ${size} data bytes`,
    );
    const pinger = new Pinger(
      link.iface,
      link.clock,
      dst,
      { count, intervalMs: interval * 1000, size, waitMs: wait * 1000, ttl },
      {
        reply: (r) => {
          if (opts.quiet) return;
          const time =
            r.rttMs >= 100 ? r.rttMs.toFixed(0) : r.rttMs >= 10 ? r.rttMs.toFixed(1) : r.rttMs.toFixed(3);
          console.log(
            `${r.bytes} bytes from ${r.from}: icmp_seq=${r.seq} ttl=${r.ttl} time=${time} ms${r.duplicate ? ' (DUP!)' : ''}`,
          );
        },
        error: (e) => {
          if (!opts.quiet) console.log(`From ${e.from} icmp_seq=${e.seq} ${e.message}`);
        },
        sendFailed: (seq, result) => {
          console.log(
            `ping: sendmsg: ${result === 'no-route' ? 'Network is unreachable' : result} (icmp_seq=${seq})`,
          );
        },
      },
    );
    const onSigint = () => pinger.stop();
    process.once('SIGINT', onSigint);
    const summary = await pinger.run();
    process.off('SIGINT', onSigint);
    console.log('');
    for (const line of formatPingSummary(host, summary)) console.log(line);
    return summary.received > 0 ? 0 : 1;
  } finally {
    link.close();
  }
}
