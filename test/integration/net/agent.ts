// A userspace stack in a child process, for the integration tests: opens a link in one of the three
// modes and then either stays up (answering ARP/ND/ping) until SIGTERM/SIGINT, or sends one SYN with
// sendTcp and reports the SYN-ACK. Prints one JSON object per line on stdout.
//   node --import tsx agent.ts '{"link": {...NetLinkOptions}, "action": "serve"}'
//   node --import tsx agent.ts '{"link": {...}, "action": "syn", "dst": "10.99.0.2", "port": 8080, "srcPort": 61000}'

import { formatIp, parseIp } from '../../../src/net/ip-addr.js';
import { type NetLinkOptions, openNetLink } from '../../../src/net/modes.js';
import { emptySegment, TcpFlags, type TcpSegment } from '../../../src/tcp/segment.js';

interface AgentRequest {
  link: NetLinkOptions;
  action: 'serve' | 'syn';
  dst?: string;
  port?: number;
  srcPort?: number;
  /** After the SYN-ACK, stay this long so a kernel RST (if any) would show up in a capture. */
  lingerMs?: number;
  /** Wait for a line on stdin before acting (the test starts a capture first). */
  waitForGo?: boolean;
}

function emit(obj: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

const req = JSON.parse(process.argv[2]) as AgentRequest;
const link = openNetLink(req.link);
emit({
  event: 'ready',
  mode: link.mode,
  explanation: link.explanation,
  addresses: link.iface.addresses().map(formatIp),
});

function finish(code: number): void {
  emit({ event: 'stats', stats: link.iface.stats() });
  link.close();
  process.exit(code);
}

process.on('SIGTERM', () => finish(0));
process.on('SIGINT', () => finish(0));

if (req.action === 'serve') {
  setInterval(() => {}, 1 << 30);
} else if (req.waitForGo) {
  process.stdin.once('data', () => sendSyn());
} else {
  sendSyn();
}

function sendSyn(): void {
  const dst = parseIp(req.dst as string);
  const src = link.iface.sourceFor(dst);
  if (src === undefined) {
    emit({ event: 'error', message: 'no source address' });
    finish(1);
  }
  const seg: TcpSegment = {
    ...emptySegment(),
    srcPort: req.srcPort ?? 61000,
    dstPort: req.port ?? 80,
    seq: 0x1234567,
    flags: TcpFlags.SYN,
    window: 64240,
    options: { mss: 1400, sackPermitted: true, wscale: 7, timestamp: { value: 1, echo: 0 } },
  };
  link.iface.onTcp((s, ip) => {
    if (s.srcPort !== seg.dstPort || s.dstPort !== seg.srcPort) return;
    emit({
      event: 'segment',
      from: formatIp(ip.src),
      flags: s.flags,
      ack: s.ack,
      synAck:
        (s.flags & (TcpFlags.SYN | TcpFlags.ACK)) === (TcpFlags.SYN | TcpFlags.ACK) && s.ack === seg.seq + 1,
      mss: s.options.mss,
    });
  });
  const result = link.iface.sendTcp(src as typeof dst, dst, seg);
  link.iface.flush();
  emit({ event: 'sent', result, from: formatIp(src as typeof dst) });
  setTimeout(() => finish(0), req.lingerMs ?? 1500);
}
