// HTTP, HTTPS and fetch over the userspace stack, all with Node's own protocol code: an http.Agent
// whose connections are stack sockets, an https.Agent that runs tls.connect() over them, and an
// undici dispatcher (for fetch) whose connector does the same. No HTTP parser of our own.

import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { Agent as UndiciAgent, fetch as undiciFetch } from 'undici';
import type { Stack } from './stack.js';
import type { TcpSocket } from './tcp-socket.js';

export interface StackTlsOptions {
  /** Trusted CA certificates (PEM), e.g. the lab's certificate. */
  ca?: string | Buffer | Array<string | Buffer>;
  /** Verify the server certificate (default true). */
  rejectUnauthorized?: boolean;
  /** SNI name and the name checked against the certificate (default: the URL host). */
  servername?: string;
}

interface ConnectTarget {
  host?: string | null;
  hostname?: string | null;
  port?: number | string | null;
  family?: number;
}

function openStackSocket(stack: Stack, target: ConnectTarget, defaultPort: number): TcpSocket {
  const host = (target.hostname || target.host || 'localhost').replace(/^\[(.*)\]$/, '$1');
  const port = Number(target.port) || defaultPort;
  const family = target.family === 4 || target.family === 6 ? target.family : 0;
  return stack.connect({ host, port, family });
}

/** TLS over a stack socket (the handshake is buffered until TCP connects). */
export function tlsOverStack(
  stack: Stack,
  host: string,
  port: number,
  options: StackTlsOptions = {},
): tls.TLSSocket {
  const raw = stack.connect({ host, port });
  return tls.connect({
    socket: raw as Duplex,
    host, // the name checked against the certificate when there is no servername (an IP literal)
    servername: options.servername ?? (isIpLiteral(host) ? undefined : host),
    ca: options.ca,
    rejectUnauthorized: options.rejectUnauthorized ?? true,
    ALPNProtocols: ['http/1.1'],
  });
}

function isIpLiteral(host: string): boolean {
  return /^[0-9.]+$/.test(host) || host.includes(':');
}

/** An http.Agent whose connections go through the stack; use as `http.request({ agent })`. */
export function stackAgent(stack: Stack, options: http.AgentOptions = {}): http.Agent {
  const agent = new http.Agent(options);
  (agent as unknown as { createConnection: unknown }).createConnection = (target: ConnectTarget) =>
    openStackSocket(stack, target, 80);
  return agent;
}

/** An https.Agent whose TLS runs over stack sockets. */
export function stackHttpsAgent(
  stack: Stack,
  options: https.AgentOptions & StackTlsOptions = {},
): https.Agent {
  const agent = new https.Agent(options);
  (agent as unknown as { createConnection: unknown }).createConnection = (
    target: ConnectTarget & tls.ConnectionOptions,
  ) => {
    const raw = openStackSocket(stack, target, 443);
    return tls.connect({ ...target, socket: raw as Duplex });
  };
  return agent;
}

/**
 * An undici dispatcher whose connections are stack sockets (TLS through tls.connect for https:).
 * Use with undici's fetch/request: `fetch(url, { dispatcher: stackDispatcher(stack) })`.
 */
export function stackDispatcher(
  stack: Stack,
  options: StackTlsOptions & UndiciAgent.Options = {},
): UndiciAgent {
  const { ca, rejectUnauthorized, servername, ...agentOptions } = options;
  return new UndiciAgent({
    ...agentOptions,
    connect: (opts, callback) => {
      const raw = openStackSocket(stack, opts, opts.protocol === 'https:' ? 443 : 80);
      let socket: Duplex = raw;
      if (opts.protocol === 'https:') {
        socket = tls.connect({
          socket: raw as Duplex,
          host: opts.hostname.replace(/^\[(.*)\]$/, '$1'),
          servername: servername ?? opts.servername ?? undefined,
          ca,
          rejectUnauthorized: rejectUnauthorized ?? true,
          ALPNProtocols: ['http/1.1'],
        });
      }
      const ready = opts.protocol === 'https:' ? 'secureConnect' : 'connect';
      const onError = (err: Error) => callback(err, null);
      socket.once('error', onError);
      socket.once(ready, () => {
        socket.removeListener('error', onError);
        callback(null, socket as never);
      });
      return socket as never;
    },
  });
}

export type StackFetch = (
  input: string | URL,
  init?: Parameters<typeof undiciFetch>[1],
) => ReturnType<typeof undiciFetch>;

/** fetch() through the stack: `const fetch = stackFetch(stack); await fetch('http://10.77.2.2/')`. */
export function stackFetch(
  stack: Stack,
  options: StackTlsOptions & UndiciAgent.Options = {},
): StackFetch & {
  dispatcher: UndiciAgent;
} {
  const dispatcher = stackDispatcher(stack, options);
  const fetch = ((input, init) => undiciFetch(input, { ...init, dispatcher })) as StackFetch & {
    dispatcher: UndiciAgent;
  };
  fetch.dispatcher = dispatcher;
  return fetch;
}
