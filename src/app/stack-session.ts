// One command's userspace stack: the link the device options describe (TAP by default), the
// observers (trace, pcap, analysis), and the Stack on top. close() undoes everything the session
// made on the host (TAP removed, nftables guard removed), also when the user presses Ctrl-C.
import { type DeviceOptionValues, type OpenedLink, openLink } from '../cli/device-options.js';
import { UserError } from '../cli/errors.js';
import { RealClock } from '../link/clock.js';
import type { Device } from '../link/device.js';
import { Stack } from '../socket/stack.js';
import { interposeDevice, type LinkObservers, type ObserveOptions, observeLink } from './link-observers.js';

export interface SessionOptions {
  device: DeviceOptionValues;
  observe?: ObserveOptions;
  /** Resolve names by DNS queries sent from the stack to this server (--dns). */
  dns?: string;
  /** A wrapper between the observers and the interface: the trace shows what it drops, as tcpdump would. */
  wrapDevice?: (inner: Device) => Device;
}

export interface StackSession {
  readonly link: OpenedLink;
  readonly stack: Stack;
  readonly observers: LinkObservers;
  /** Undoes everything; idempotent. */
  close(): void;
}

export function openStackSession(options: SessionOptions): StackSession {
  const clock = new RealClock(true);
  const link = openLink(options.device, { clock });
  let observers: LinkObservers | undefined;
  try {
    observers = observeLink(link.iface, options.observe ?? {});
    if (options.wrapDevice) interposeDevice(link.iface, options.wrapDevice);
    const stack = new Stack({
      iface: link.iface,
      clock: link.clock,
      dns: options.dns,
      ephemeralPorts: link.ephemeralPorts,
    });
    const opened = observers;
    let closed = false;
    return {
      link,
      stack,
      observers: opened,
      close() {
        if (closed) return;
        closed = true;
        try {
          stack.close();
        } finally {
          link.close();
          opened.close();
        }
      },
    };
  } catch (err) {
    link.close();
    observers?.close();
    throw err;
  }
}

/**
 * Runs `fn` with `close` armed for SIGINT/SIGTERM: an interrupted command undoes its host state
 * and exits 130 (128 + SIGINT), as a shell expects.
 */
export async function withInterruptCleanup<T>(close: () => void, fn: () => Promise<T>): Promise<T> {
  const onSignal = (signal: NodeJS.Signals) => {
    try {
      close();
    } finally {
      process.exit(signal === 'SIGINT' ? 130 : 143);
    }
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    return await fn();
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

/**
 * Waits until the stack's connections have finished closing (every one CLOSED or in TIME-WAIT),
 * so the trace shows the whole teardown; gives up after `limitMs`.
 */
export async function settleConnections(stack: Stack, limitMs = 2000): Promise<void> {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    const open = stack.connections().filter((c) => c.state !== 'TIME-WAIT' && c.state !== 'CLOSED');
    if (open.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  // Let the last ACK leave (the driver flushes at the end of the round).
  await new Promise((resolve) => setImmediate(resolve));
}

/** Like openStackSession, but while the device is busy (another synack has the TAP) waits up to `waitMs`. */
export async function openStackSessionWhenFree(
  options: SessionOptions,
  waitMs: number,
  onWait: (message: string) => void,
): Promise<StackSession> {
  const deadline = performance.now() + waitMs;
  let told = false;
  for (;;) {
    try {
      return openStackSession(options);
    } catch (err) {
      const busy = err instanceof UserError && /in use/.test(err.message);
      if (!busy || performance.now() > deadline) throw err;
      if (!told) onWait(`${err.message}; waiting for it to be free...`);
      told = true;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  }
}
