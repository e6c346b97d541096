// One HTTP exchange over the userspace stack for `synack get`: name resolution on the stack,
// Node's http client on a stack socket (TLS through tls.connect), curl's -v lines, the body to its
// output with backpressure, timers, and the polite close (our FIN after the body, the peer's FIN,
// the last ACK) before the session is undone.
import { writeFileSync } from 'node:fs';
import http from 'node:http';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { UserError } from '../cli/errors.js';
import { parseIp } from '../net/ip-addr.js';
import { renderReport } from '../report/render.js';
import type { Stack } from '../socket/stack.js';
import type { TcpSocket } from '../socket/tcp-socket.js';
import { CurlExit, failureToUserError, httpStatusError, timeoutError, writeFailure } from './curl-exit.js';
import { EngineSampler } from './engine-sampler.js';
import type { FetchResult, GetIo, GetOptions } from './get.js';
import type { GetRequest } from './get-options.js';
import {
  downgradeRequestLine,
  headerBlock,
  requestHeadLines,
  responseHeadLines,
  speakHttp10,
} from './http-wire.js';
import { type Output, openOutput } from './output.js';
import { maybeProgress, type Progress } from './progress.js';
import { type StackSession, settleConnections } from './stack-session.js';
import { type TransferStats, transferStats } from './transfer-stats.js';

/** How long `get` waits for a server that announced it closes (HTTP/1.0) before closing itself. */
const PEER_CLOSE_WAIT_MS = 1000;

export interface TlsSettings {
  ca?: string;
  rejectUnauthorized: boolean;
}

/** One request/response over the session's stack, with everything the options asked for. */
export class Fetcher {
  private raw: TcpSocket | undefined;
  /** The response said the server closes the connection after it (set on the response). */
  private serverCloses = false;
  private sampler: EngineSampler | undefined;
  private connected = false;
  private bytes = 0;
  private started = 0;
  private elapsed = 0;
  private status = 0;
  private address = '';
  private output: Output | undefined;
  private progress: Progress | undefined;

  constructor(
    private readonly request: GetRequest,
    private readonly options: GetOptions,
    private readonly io: GetIo,
    private readonly session: StackSession,
    private readonly tls: TlsSettings | undefined,
    private readonly body: string | undefined,
  ) {}

  private get stack(): Stack {
    return this.session.stack;
  }

  async run(): Promise<void> {
    this.address = await this.resolve();
    this.started = performance.now();
    try {
      await this.exchange();
    } catch (err) {
      throw failureToUserError(err, {
        host: this.request.host,
        port: this.request.port,
        connected: this.connected,
      });
    } finally {
      this.elapsed = performance.now() - this.started;
    }
  }

  /** Closes the connection politely, writes the report and stats, and undoes the host state. */
  async finish(failed: boolean): Promise<void> {
    try {
      this.progress?.stop();
      if (failed) this.output?.abort();
      if (!failed && this.serverCloses) await this.peerClose();
      if (this.raw && !this.raw.destroyed) this.raw.destroy();
      await settleConnections(this.stack);
      this.sampler?.stop();
      if (this.options.report) this.writeReport(this.options.report);
      if (this.options.stats && !failed) this.io.log(JSON.stringify(this.statsLine()));
    } finally {
      this.session.close();
    }
  }

  /** Waits (at most PEER_CLOSE_WAIT_MS) for the server's FIN, so that it closes first, as it said. */
  private peerClose(): Promise<void> {
    const raw = this.raw;
    if (!raw || raw.destroyed || raw.readableEnded) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(done, PEER_CLOSE_WAIT_MS);
      raw.once('end', done);
      raw.once('close', done);
      raw.resume();
    });
  }

  result(): FetchResult {
    return {
      status: this.status,
      bytes: this.bytes,
      elapsedMs: this.elapsed,
      stats: this.statsLine(),
      packets: this.session.observers.packets,
    };
  }

  private async resolve(): Promise<string> {
    const { host, port, family } = this.request;
    let found: Array<{ address: string; family: 4 | 6 }>;
    try {
      found = await this.stack.lookup(host, { family });
    } catch (err) {
      throw failureToUserError(err, { host, port, connected: false });
    }
    const routable = found.find((a) => this.session.link.iface.sourceFor(parseIp(a.address)) !== undefined);
    if (!routable) {
      const what = found.map((a) => a.address).join(', ');
      throw new UserError(
        `failed to connect to ${host} port ${port}: no route from the stack's link to ${what || host}`,
        family === 0
          ? 'the link may lack that address family; try -4 or -6'
          : `drop -${family}, or add an IPv${family} --ip`,
        CurlExit.couldNotConnect,
      );
    }
    return routable.address;
  }

  private exchange(): Promise<void> {
    const { request } = this;
    if (this.options.verbose) this.io.log(`*   Trying ${bracket(this.address)}:${request.port}...`);
    return new Promise<void>((resolve, reject) => {
      const req = http.request({
        method: request.method,
        host: this.address,
        port: request.port,
        path: request.path,
        headers: this.requestHeaders(),
        createConnection: () => this.openSocket(reject) as never,
        setHost: false,
      });
      const fail = (err: unknown) => {
        req.destroy();
        reject(err);
      };
      this.armTimers(req, fail);
      req.on('error', fail);
      req.on('finish', () => {
        if (!this.options.verbose) return;
        // What went on the wire: the head Node wrote, with the request line --http1.0 rewrote.
        const head = request.http10 ? downgradeRequestLine(requestHead(req)) : requestHead(req);
        for (const l of requestHeadLines(head)) this.io.log(l);
      });
      req.on('response', (res) => this.onResponse(res, resolve, fail));
      req.end(this.body);
    });
  }

  private requestHeaders(): Record<string, string> {
    const { request } = this;
    const defaultPort = request.https ? 443 : 80;
    const hostHeader =
      request.port === defaultPort ? bracket(request.host) : `${bracket(request.host)}:${request.port}`;
    const headers: Record<string, string> = { Host: hostHeader, 'User-Agent': 'synack/0.1.0', Accept: '*/*' };
    // HTTP/1.1 connections persist by default (RFC 9112 §9.3); like curl we keep it open and close
    // it ourselves after the body, instead of asking the server to close first.
    if (!request.http10) headers.Connection = 'keep-alive';
    for (const [name, value] of request.headers) {
      const key = Object.keys(headers).find((k) => k.toLowerCase() === name.toLowerCase()) ?? name;
      headers[key] = value;
    }
    return headers;
  }

  private openSocket(reject: (err: unknown) => void): Duplex {
    const { request } = this;
    const raw = this.stack.connect({ host: this.address, port: request.port });
    this.raw = raw;
    this.sampler = new EngineSampler(raw);
    this.sampler.start();
    raw.once('connect', () => {
      this.connected = true;
      this.sampler?.sample();
      if (this.options.verbose) {
        this.io.log(
          `* Connected to ${request.host} (${this.address}) port ${request.port} from ${raw.localAddress} port ${raw.localPort}`,
        );
      }
    });
    raw.once('error', reject);
    let socket: Duplex = raw;
    if (this.tls) socket = this.startTls(raw, this.tls);
    if (request.http10) speakHttp10(socket);
    return socket;
  }

  private startTls(raw: TcpSocket, settings: TlsSettings): tls.TLSSocket {
    const host = this.request.host;
    const secure = tls.connect({
      socket: raw as Duplex,
      host,
      servername: parseIpSafe(host) ? undefined : host,
      ca: settings.ca,
      rejectUnauthorized: settings.rejectUnauthorized,
      ALPNProtocols: ['http/1.1'],
    });
    secure.once('secureConnect', () => {
      if (this.options.verbose) {
        const cipher = secure.getCipher();
        this.io.log(`* TLS connection using ${secure.getProtocol()} / ${cipher.name}`);
        if (!secure.authorized)
          this.io.log(`* certificate not verified (${secure.authorizationError}): -k in effect`);
      }
    });
    return secure;
  }

  private armTimers(req: http.ClientRequest, fail: (err: unknown) => void): void {
    const { connectTimeoutMs, maxTimeMs } = this.request;
    const timers: NodeJS.Timeout[] = [];
    if (maxTimeMs !== undefined) {
      timers.push(setTimeout(() => fail(timeoutError('total', maxTimeMs, this.bytes)), maxTimeMs));
    }
    if (connectTimeoutMs !== undefined) {
      const t = setTimeout(() => {
        if (!this.connected) fail(timeoutError('connect', connectTimeoutMs, 0));
      }, connectTimeoutMs);
      timers.push(t);
    }
    req.once('close', () => {
      for (const t of timers) clearTimeout(t);
    });
  }

  private onResponse(res: http.IncomingMessage, resolve: () => void, fail: (err: unknown) => void): void {
    this.status = res.statusCode ?? 0;
    // HTTP/1.0 without keep-alive, or "Connection: close": the server closes after the response
    // (RFC 1945 §1.3, RFC 9112 §9.6), so its FIN comes first and ours answers it.
    const connection = String(res.headers.connection ?? '').toLowerCase();
    this.serverCloses = connection === 'close' || (res.httpVersion === '1.0' && connection !== 'keep-alive');
    this.sampler?.sample();
    if (this.options.verbose) for (const l of responseHeadLines(res)) this.io.log(l);
    if (this.options.fail && this.status >= 400) {
      fail(httpStatusError(this.status, res.statusMessage));
      return;
    }
    if (this.options.head) {
      this.io.stdout.write(headerBlock(res));
      res.resume();
      res.once('end', resolve);
      res.once('error', fail);
      return;
    }
    this.receiveBody(res, resolve, fail);
  }

  private receiveBody(res: http.IncomingMessage, resolve: () => void, fail: (err: unknown) => void): void {
    let output: Output;
    try {
      output = openOutput(this.options.output, this.io.stdout);
    } catch (err) {
      fail(writeFailure(this.options.output ?? 'stdout', err));
      return;
    }
    this.output = output;
    const total = Number(res.headers['content-length'] ?? Number.NaN);
    this.progress = maybeProgress(total, !this.options.silent && this.io.stderrIsTty);
    output.onError((err) => fail(writeFailure(output.name, err)));
    const onChunk = (chunk: Uint8Array) => {
      this.bytes += chunk.length;
      this.progress?.update(this.bytes);
      if (!output.write(chunk)) {
        res.pause();
        output.onceDrain(() => res.resume());
      }
    };
    let done = false;
    const complete = () => {
      if (done) return;
      done = true;
      this.progress?.stop();
      output.end().then(resolve, (err) => fail(writeFailure(output.name, err)));
    };
    res.on('data', onChunk);
    res.once('error', fail);
    res.once('end', () => {
      if (done) return;
      if (!res.complete) {
        fail(
          Object.assign(new Error('the connection closed before the whole body arrived'), {
            code: 'EPARTIAL',
          }),
        );
        return;
      }
      complete();
    });
    if (this.raw && !this.tls && output.synchronous && Number.isFinite(total)) {
      this.divertBody(res, total, onChunk, complete);
    }
  }

  /**
   * A body of known length over plain TCP goes from the receive buffer straight to a synchronous
   * output (curl's way): no Buffer per chunk, no stream or parser per chunk. What Node's parser
   * already holds is written first (res.read() emits it), so the bytes stay in order. Node's
   * response never sees the diverted bytes and never ends: the exchange completes here.
   */
  private divertBody(
    res: http.IncomingMessage,
    total: number,
    onChunk: (chunk: Uint8Array) => void,
    complete: () => void,
  ): void {
    const raw = this.raw;
    if (!raw) return;
    raw.divert((view) => {
      while (res.read() !== null) {
        // each chunk the parser holds went to onChunk through 'data'
      }
      const want = total - this.bytes;
      const n = Math.min(view.length, want);
      if (n > 0) onChunk(n === view.length ? view : view.subarray(0, n));
      if (this.bytes >= total) {
        // Node's client will see a response cut short when the socket closes: that is expected now.
        res.on('error', () => {});
        complete();
      }
      return n;
    });
  }

  private writeReport(path: string): void {
    const html = renderReport({
      packets: this.session.observers.packets,
      engine: this.sampler?.samples ?? [],
      source: `synack get ${this.request.url.href}`,
    });
    try {
      writeFileSync(path, html);
    } catch (err) {
      throw writeFailure(path, err);
    }
    if (!this.options.silent) this.io.log(`* report written to ${path}`);
  }

  private statsLine(): TransferStats {
    return transferStats({
      url: this.request.url.href,
      status: this.status,
      bytes: this.bytes,
      seconds: this.elapsed / 1000,
      mode: this.session.link.mode,
      tcp: this.sampler?.last,
      rtt: this.sampler?.rttSummary() ?? null,
    });
  }
}

function requestHead(req: http.ClientRequest): string {
  const head = (req as unknown as { _header?: unknown })._header;
  return typeof head === 'string' ? head : `${req.method} ${req.path} HTTP/1.1\r\n`;
}

function bracket(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}

function parseIpSafe(host: string): boolean {
  try {
    parseIp(host);
    return true;
  } catch {
    return false;
  }
}
