// Two TcpTransports joined in memory: segments sent by one arrive at the other after a fixed delay,
// in order, through one clock timer per direction. No IP, no frames: for deterministic tests of the
// stack and sockets on a VirtualClock (the full path with frames is NetInterface + memory wire).
// An optional filter sees every segment and may drop it (scripted loss, captures).
import type { Clock, TimerId } from '../link/clock.js';
import { cloneSegment, type TcpSegment } from '../tcp/segment.js';
import { familyOf, type IpAddr, ipAddrEquals, parseIpAddr } from './address.js';
import type { TcpSegmentHandler, TcpTransport, UdpDatagramHandler, UdpTransport } from './transport.js';

export interface SegmentPipeOptions {
  /** Addresses of the two ends (default 10.0.0.1 and 10.0.0.2). */
  addresses?: [string, string];
  /** One-way delay in ms (default 1). */
  delay?: number;
  /** Link MTU: the MSS each end announces is derived from it (default 1500). */
  mtu?: number;
  /** Return false to drop a segment (called once per segment sent, in send order). */
  filter?: (seg: TcpSegment, from: 'a' | 'b') => boolean;
}

interface Queued {
  at: number;
  deliver: () => void;
}

class PipeEnd implements TcpTransport {
  peer!: PipeEnd;
  private handler: TcpSegmentHandler = () => {};
  private readonly queue: Queued[] = [];
  private head = 0;
  private timer: TimerId = 0;
  private readonly udpPorts = new Map<number, UdpDatagramHandler>();
  readonly sent: number[] = [0];
  readonly udp: UdpTransport;

  constructor(
    readonly name: 'a' | 'b',
    readonly address: IpAddr,
    private readonly clock: Clock,
    private readonly options: SegmentPipeOptions,
  ) {
    this.udp = {
      bind: (port, handler) => {
        this.udpPorts.set(port, handler);
        return () => this.udpPorts.delete(port);
      },
      send: (src, srcPort, dst, dstPort, payload) => {
        if (!ipAddrEquals(dst, this.peer.address)) return;
        const copy = payload.slice();
        this.enqueue(() => this.peer.udpPorts.get(dstPort)?.(src, srcPort, copy));
      },
    };
  }

  onTcp(handler: TcpSegmentHandler): () => void {
    this.handler = handler;
    return () => {
      if (this.handler === handler) this.handler = () => {};
    };
  }

  sendTcp(src: IpAddr, dst: IpAddr, seg: TcpSegment): void {
    this.sent[0]++;
    if (!ipAddrEquals(dst, this.peer.address)) return;
    if (this.options.filter && !this.options.filter(seg, this.name)) return;
    const copy = cloneSegment(seg);
    const from = src;
    this.enqueue(() => this.peer.handler(from, this.peer.address, copy));
  }

  flush(): void {}

  sourceFor(dst: IpAddr): IpAddr | null {
    return familyOf(dst) === familyOf(this.address) ? this.address : null;
  }

  mssFor(dst: IpAddr): number {
    return (this.options.mtu ?? 1500) - (familyOf(dst) === 4 ? 40 : 60);
  }

  addresses(): IpAddr[] {
    return [this.address];
  }

  private enqueue(deliver: () => void): void {
    this.queue.push({ at: this.clock.now() + (this.options.delay ?? 1), deliver });
    if (this.timer === 0) this.arm();
  }

  private arm(): void {
    if (this.head >= this.queue.length) {
      this.queue.length = 0;
      this.head = 0;
      return;
    }
    this.timer = this.clock.setTimer(this.queue[this.head].at, this.deliverDue);
  }

  private readonly deliverDue = (): void => {
    this.timer = 0;
    const now = this.clock.now();
    while (this.head < this.queue.length && this.queue[this.head].at <= now) {
      this.queue[this.head++].deliver();
    }
    this.arm();
  };
}

export interface SegmentPipe {
  a: TcpTransport & { readonly address: IpAddr };
  b: TcpTransport & { readonly address: IpAddr };
}

export function createSegmentPipe(clock: Clock, options: SegmentPipeOptions = {}): SegmentPipe {
  const [textA, textB] = options.addresses ?? ['10.0.0.1', '10.0.0.2'];
  const addrA = parseIpAddr(textA);
  const addrB = parseIpAddr(textB);
  if (addrA === null || addrB === null) throw new TypeError('segment pipe: addresses must be IP literals');
  const a = new PipeEnd('a', addrA, clock, options);
  const b = new PipeEnd('b', addrB, clock, options);
  a.peer = b;
  b.peer = a;
  return { a, b };
}
