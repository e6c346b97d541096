// The simulated network: two hosts joined by an in-memory wire, each with the production stack
// (NetInterface over the device chain, Stack and its connection driver). The client end carries the
// fault injector (out = client -> server, in = server -> client); each end has a Probe; the capture
// point (tracer and pcap) sits on one host between its interface and its probe.
//
//   client: NetInterface - [Tracer] - [PcapTap] - Probe - [FaultInjector] - wire.a
//   server: NetInterface - Probe - wire.b                  (or the capture on the server side)
import type { VirtualClock } from '../link/clock.js';
import type { Device } from '../link/device.js';
import { FaultInjector } from '../link/fault-injector.js';
import type { ImpairmentConfig } from '../link/impair-spec.js';
import { createMemoryWire, type MemoryWire } from '../link/memory-wire.js';
import { PcapTap } from '../link/pcap-tap.js';
import { Prng } from '../link/prng.js';
import { Tracer } from '../link/tracer.js';
import { NetInterface } from '../net/interface.js';
import { TcpdumpFormatter } from '../packet/tcpdump/formatter.js';
import { Stack } from '../socket/stack.js';
import { LinkType } from '../wire/pcap-link.js';
import type { ResolvedSimOptions } from './options.js';
import { type DropRule, Probe } from './probe.js';
import type { SimSegmentEvent, SimSide } from './segment-view.js';

export const CLIENT_IP = '10.0.0.1';
export const SERVER_IP = '10.0.0.2';
export const SERVER_PORT = 80;

export interface Host {
  side: SimSide;
  probe: Probe;
  iface: NetInterface;
  stack: Stack;
  /** Errors thrown by handlers above the interface (engine bugs on the receive path). */
  handlerErrors: unknown[];
}

export interface Network {
  wire: MemoryWire;
  injector: FaultInjector | null;
  client: Host;
  server: Host;
  pcap: PcapTap | null;
  tracer: Tracer | null;
  close(): void;
}

export interface NetworkHooks {
  dropRule?: DropRule;
  onSegment?: (ev: SimSegmentEvent) => void;
  traceLine?: (line: string) => void;
  pcapPath?: string;
}

export function buildNetwork(
  clock: VirtualClock,
  o: ResolvedSimOptions,
  impairment: ImpairmentConfig | null,
  hooks: NetworkHooks,
): Network {
  const wire = createMemoryWire(clock, {
    bandwidth: o.bandwidth,
    delay: o.rtt / 2,
    mtu: o.mtu,
    queueFrames: o.queueFrames,
    names: ['sim-client', 'sim-server'],
  });
  const injector = impairment === null ? null : new FaultInjector(wire.a, clock, impairment);
  const now = () => clock.now();
  const probes = {
    client: new Probe(injector ?? wire.a, 'client', now, hooks.dropRule, hooks.onSegment),
    server: new Probe(wire.b, 'server', now, hooks.dropRule, hooks.onSegment),
  };
  let top: Device = probes[o.captureAt];
  let pcap: PcapTap | null = null;
  let tracer: Tracer | null = null;
  if (hooks.pcapPath !== undefined) {
    pcap = new PcapTap(top, hooks.pcapPath, { clock, writer: { resolution: 'ns' } });
    top = pcap;
  }
  if (hooks.traceLine !== undefined) {
    const formatter = new TcpdumpFormatter({ timestamps: 'none' });
    tracer = new Tracer(top, {
      clock,
      timestamps: 'relative',
      write: hooks.traceLine,
      format: (frame) => formatter.format(frame, LinkType.Ethernet),
    });
    top = tracer;
  }
  const devices = {
    client: o.captureAt === 'client' ? top : probes.client,
    server: o.captureAt === 'server' ? top : probes.server,
  };
  // One random stream for both stacks: ports, ISN keys and timestamp offsets replay from the seed.
  const prng = new Prng(o.seed ^ 0x51ac);
  const client = buildHost('client', devices.client, probes.client, CLIENT_IP, clock, o, prng);
  const server = buildHost('server', devices.server, probes.server, SERVER_IP, clock, o, prng);
  return {
    wire,
    injector,
    client,
    server,
    pcap,
    tracer,
    close() {
      client.stack.close();
      server.stack.close();
      client.iface.close();
      server.iface.close();
      pcap?.close();
      wire.close();
    },
  };
}

function buildHost(
  side: SimSide,
  device: Device,
  probe: Probe,
  ip: string,
  clock: VirtualClock,
  o: ResolvedSimOptions,
  prng: Prng,
): Host {
  const handlerErrors: unknown[] = [];
  const iface = new NetInterface({
    device,
    clock,
    mac: side === 'client' ? '02:00:00:00:00:01' : '02:00:00:00:00:02',
    ipv4: `${ip}/24`,
    linkLocal: false,
    onHandlerError: (err) => handlerErrors.push(err),
  });
  const isnSecret = new Uint8Array(16);
  for (let i = 0; i < 16; i++) isnSecret[i] = prng.below(256);
  const stack = new Stack({ iface, clock, tcpConfig: o.tcpConfig, rng: () => prng.next(), isnSecret });
  return { side, probe, iface, stack, handlerErrors };
}
