// Helpers for the link integration tests: unique names, namespaces removed after the test, raw
// ARP / ICMP echo answering by byte offsets (independent of src/wire, which the tests must not need).

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import type { TestContext } from 'node:test';

let counter = 0;
/** A name unique to this process and call, at most 15 bytes (IFNAMSIZ - 1). */
export function uniqueName(prefix: string): string {
  counter++;
  return `${prefix}${process.pid.toString(36)}${counter.toString(36)}`.slice(0, 15);
}

export function sh(command: string): string {
  return execFileSync('sh', ['-c', command], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

/** A fresh network namespace with lo up, deleted (with everything in it) when the test ends. */
export function netns(t: TestContext): string {
  const name = uniqueName('sk-link-');
  sh(`ip netns add ${name} && ip -n ${name} link set lo up`);
  t.after(() => {
    try {
      sh(`ip netns del ${name}`);
    } catch {
      // already gone
    }
  });
  return name;
}

/** A veth pair: `outer` stays in our namespace, `inner` moves into `ns`. Removed after the test. */
export function vethInto(t: TestContext, ns: string): { outer: string; inner: string } {
  const outer = uniqueName('skvo');
  const inner = uniqueName('skvi');
  sh(`ip link add ${outer} type veth peer name ${inner} && ip link set ${inner} netns ${ns}`);
  t.after(() => {
    try {
      sh(`ip link del ${outer}`);
    } catch {
      // went with the namespace
    }
  });
  return { outer, inner };
}

/** Run a command to completion without blocking the event loop (devices keep receiving). */
export function run(cmd: string, args: string[], timeoutMs = 20_000): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
    });
    child.stderr.on('data', (d) => {
      out += d;
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code: code ?? -1, out });
    });
  });
}

/** Start a long-running process; killed after the test. */
export function background(t: TestContext, cmd: string, args: string[]): ChildProcess {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  t.after(() => {
    child.kill('SIGKILL');
  });
  return child;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export function mac(text: string): Uint8Array {
  return Uint8Array.from(text.split(':').map((p) => Number.parseInt(p, 16)));
}

export function ipv4(text: string): Uint8Array {
  return Uint8Array.from(text.split('.').map(Number));
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** RFC 1071 Internet checksum over bytes. */
export function checksum(b: Uint8Array, from = 0, to = b.length): number {
  let sum = 0;
  for (let i = from; i + 1 < to; i += 2) sum += (b[i] << 8) | b[i + 1];
  if ((to - from) % 2 === 1) sum += b[to - 1] << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** An ARP request (RFC 826) from (srcMac, srcIp) asking who has targetIp. */
export function arpRequest(srcMac: Uint8Array, srcIp: Uint8Array, targetIp: Uint8Array): Uint8Array {
  const f = new Uint8Array(42);
  f.fill(0xff, 0, 6);
  f.set(srcMac, 6);
  f.set([0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 1], 12);
  f.set(srcMac, 22);
  f.set(srcIp, 28);
  f.set(targetIp, 38);
  return f;
}

/**
 * Answers ARP requests for `ip` with `ourMac`, and IPv4 ICMP echo requests to `ip` with replies.
 * `frame` starts at the Ethernet header (ethernet = true) or at the IPv4 header (TUN).
 * Returns the reply to transmit, or null.
 */
export function answer(
  frame: Uint8Array,
  ourMac: Uint8Array,
  ip: Uint8Array,
  ethernet = true,
): Uint8Array | null {
  const l3 = ethernet ? 14 : 0;
  if (ethernet) {
    if (frame.length < 14) return null;
    const type = (frame[12] << 8) | frame[13];
    if (type === 0x0806) return answerArp(frame, ourMac, ip);
    if (type !== 0x0800) return null;
  }
  if (frame.length < l3 + 20 || frame[l3] >> 4 !== 4) return null;
  const ihl = (frame[l3] & 0x0f) * 4;
  if (frame[l3 + 9] !== 1 || !equalBytes(frame.subarray(l3 + 16, l3 + 20), ip)) return null;
  const icmp = l3 + ihl;
  if (frame[icmp] !== 8) return null; // echo request
  const reply = frame.slice();
  if (ethernet) {
    reply.set(frame.subarray(6, 12), 0);
    reply.set(ourMac, 6);
  }
  reply.set(frame.subarray(l3 + 16, l3 + 20), l3 + 12); // src <- their dst (us)
  reply.set(frame.subarray(l3 + 12, l3 + 16), l3 + 16); // dst <- their src
  reply[icmp] = 0; // echo reply (RFC 792)
  reply[icmp + 2] = 0;
  reply[icmp + 3] = 0;
  const end = l3 + ((frame[l3 + 2] << 8) | frame[l3 + 3]);
  const sum = checksum(reply, icmp, end);
  reply[icmp + 2] = sum >> 8;
  reply[icmp + 3] = sum & 0xff;
  return reply;
}

function answerArp(frame: Uint8Array, ourMac: Uint8Array, ip: Uint8Array): Uint8Array | null {
  if (frame.length < 42 || frame[21] !== 1 || !equalBytes(frame.subarray(38, 42), ip)) return null;
  const reply = new Uint8Array(42);
  reply.set(frame.subarray(6, 12), 0);
  reply.set(ourMac, 6);
  reply.set([0x08, 0x06, 0, 1, 0x08, 0x00, 6, 4, 0, 2], 12);
  reply.set(ourMac, 22);
  reply.set(ip, 28);
  reply.set(frame.subarray(22, 28), 32);
  reply.set(frame.subarray(28, 32), 38);
  return reply;
}

/** Open fds of this process. */
export function openFds(): number {
  return readdirSync('/proc/self/fd').length;
}
