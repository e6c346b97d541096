// Shared by the socket integration tests: the lab (src/lab) plus a userspace stack on the lab's TAP
// path (src/net openNetLink, TAP mode), optionally behind the fault injector; HTTP helpers that
// hash bodies as they stream so 100 MB never sits in memory.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import { Lab } from '../../../src/lab/lab.js';
import { HOST_LINK, LAB_PATHS } from '../../../src/lab/plan.js';
import { RealClock } from '../../../src/link/clock.js';
import { type NetLink, openNetLink } from '../../../src/net/modes.js';
import { stackHttpsAgent } from '../../../src/socket/http.js';
import { Stack } from '../../../src/socket/stack.js';

export interface LabStack {
  lab: Lab;
  link: NetLink;
  stack: Stack;
  close(): Promise<void>;
}

export async function labStack(impair?: string): Promise<LabStack> {
  const lab = await Lab.up();
  let link: NetLink | undefined;
  try {
    const clock = new RealClock(true);
    link = openNetLink({ clock, impair });
    const stack = new Stack({ iface: link.iface, clock });
    const opened = link;
    return {
      lab,
      link: opened,
      stack,
      async close() {
        stack.close();
        opened.close();
        await lab.down();
      },
    };
  } catch (err) {
    link?.close();
    await lab.down();
    throw err;
  }
}

export function serverAddr(family: 4 | 6): string {
  return family === 4 ? HOST_LINK.server.ipv4 : HOST_LINK.server.ipv6;
}

export function labCa(): string {
  return readFileSync(LAB_PATHS.caCert, 'utf8');
}

export interface Fetched {
  status: number;
  headers: http.IncomingHttpHeaders;
  size: number;
  sha256: string;
  /** The local port of the connection that carried it (to tell connections apart). */
  localPort: number | undefined;
}

/** GET over a request made by `make`; the body is hashed while it streams. */
export function hashedGet(
  make: (cb: (res: http.IncomingMessage) => void) => http.ClientRequest,
): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    const req = make((res) => {
      const localPort = res.socket?.localPort; // read now: a kept-alive socket leaves res at 'end'
      const hash = createHash('sha256');
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        hash.update(chunk);
        size += chunk.length;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          size,
          sha256: hash.digest('hex'),
          localPort,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** http.request whose connection is stack.connect() (no agent). */
export function stackGet(stack: Stack, host: string, port: number, path: string): Promise<Fetched> {
  return hashedGet((cb) =>
    http.request({ host, port, path, createConnection: () => stack.connect({ host, port }) }, cb),
  );
}

export function stackHttpsGet(stack: Stack, host: string, port: number, path: string, servername: string) {
  const agent = stackHttpsAgent(stack, { ca: labCa() });
  return hashedGet((cb) => https.request({ host, port, path, servername, agent }, cb)).finally(() =>
    agent.destroy(),
  );
}
