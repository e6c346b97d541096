// `synack get URL`: curl's habits over the userspace stack. Node's own http/tls do the protocol
// work on a stack socket; the end of the body comes from HTTP (Content-Length, chunked, or the
// server's FIN), never from a timeout. Every failure becomes curl's exit code with a next step.
import { readFileSync } from 'node:fs';
import type { Writable } from 'node:stream';
import type { AnalyzedPacket } from '../analysis/index.js';
import type { DeviceOptionValues } from '../cli/device-options.js';
import { UserError } from '../cli/errors.js';
import type { Device } from '../link/device.js';
import { CurlExit } from './curl-exit.js';
import { Fetcher, type TlsSettings } from './fetcher.js';
import { buildGetRequest, type GetCliValues } from './get-options.js';
import { openStackSessionWhenFree, withInterruptCleanup } from './stack-session.js';
import type { TransferStats } from './transfer-stats.js';
import { warmUpPacketPath } from './warm-up.js';

export type GetOptions = GetCliValues & DeviceOptionValues;

/** Where the command writes: stdout for the body, a line printer for stderr. */
export interface GetIo {
  stdout: Writable & { isTTY?: boolean };
  log: (line: string) => void;
  stderrIsTty: boolean;
}

const defaultIo = (): GetIo => ({
  stdout: process.stdout,
  log: (line) => process.stderr.write(`${line}\n`),
  stderrIsTty: process.stderr.isTTY === true,
});

/** Hooks for programs that drive a fetch (the demo). */
export interface FetchHooks {
  /** A device wrapper between the observers and the stack (the trace shows what it drops). */
  wrapDevice?: (inner: Device) => Device;
  /** Keep the analyzed packets even without --report. */
  keepPackets?: boolean;
  /** While the device is busy (another program has the TAP), wait this long instead of failing. */
  waitForDeviceMs?: number;
}

/** What one fetch did. */
export interface FetchResult {
  status: number;
  /** Body bytes written. */
  bytes: number;
  /** From the request start (name resolved) to the end of the body, in ms. */
  elapsedMs: number;
  stats: TransferStats;
  /** Analyzed packets (with --report or --explain-like observers that keep them). */
  packets: readonly AnalyzedPacket[];
}

/** Runs one fetch; resolves to the exit code (0) or throws a UserError with curl's code. */
export async function runGet(urlText: string, options: GetOptions, io: GetIo = defaultIo()): Promise<number> {
  await fetchUrl(urlText, options, io);
  return 0;
}

/** The whole of `synack get` as a function: throws UserError (curl's codes) on failure. */
export async function fetchUrl(
  urlText: string,
  options: GetOptions,
  io: GetIo = defaultIo(),
  hooks: FetchHooks = {},
): Promise<FetchResult> {
  const request = buildGetRequest(urlText, options);
  const tlsOptions = request.https ? loadTls(options) : undefined;
  const body = request.body === undefined ? undefined : readBodyArgument(options.data ?? []);
  // Compile the per-packet path before our SYN leaves, so the server's SYN-ACK and first flight
  // are answered at once (a late handshake ACK makes the server retransmit its SYN-ACK).
  await warmUpPacketPath({ trace: options.trace || options.explain, explain: options.explain });
  const session = await openStackSessionWhenFree(
    {
      device: deviceValues(options),
      dns: options.dns,
      wrapDevice: hooks.wrapDevice,
      observe: {
        trace: options.trace || options.explain,
        explain: options.explain,
        pcap: options.pcap,
        keepPackets: options.report !== undefined || hooks.keepPackets,
        countRetransmissions: options.report !== undefined,
        write: io.log,
      },
    },
    hooks.waitForDeviceMs ?? 0,
    (message) => io.log(`* ${message}`),
  );
  const chatty = options.verbose || options.trace || options.explain;
  if (chatty) io.log(`* synack: ${session.link.explanation}`);
  const fetcher = new Fetcher(request, options, io, session, tlsOptions, body);
  return withInterruptCleanup(
    () => session.close(),
    async () => {
      let failed = true;
      try {
        await fetcher.run();
        failed = false;
      } finally {
        await fetcher.finish(failed);
      }
      return fetcher.result();
    },
  );
}

function deviceValues(o: GetOptions): DeviceOptionValues {
  return {
    tap: o.tap,
    iface: o.iface,
    ip: o.ip,
    gw: o.gw,
    mac: o.mac,
    hostIp: o.hostIp,
    impair: o.impair,
    offload: o.offload,
  };
}

function loadTls(options: GetOptions): TlsSettings {
  let ca: string | undefined;
  if (options.cacert) {
    try {
      ca = readFileSync(options.cacert, 'utf8');
    } catch (err) {
      throw new UserError(
        `cannot read the CA certificate ${options.cacert}: ${(err as Error).message}`,
        'give a PEM file with --cacert FILE',
        CurlExit.badCaCert,
      );
    }
  }
  return { ca, rejectUnauthorized: !options.insecure };
}

/** curl -d: several are joined with '&'; `@FILE` reads the file (newlines dropped, like curl). */
function readBodyArgument(data: string[]): string {
  return data
    .map((d) => {
      if (!d.startsWith('@')) return d;
      try {
        return readFileSync(d.slice(1), 'utf8').replace(/[\r\n]/g, '');
      } catch (err) {
        throw new UserError(
          `cannot read ${d.slice(1)}: ${(err as Error).message}`,
          'check the -d @FILE path',
          26,
        );
      }
    })
    .join('&');
}
