// The dump printed when a simulation fails: each engine's sequence, window, recovery and timer state,
// what each application did, and the last frames each end saw.
import type { VirtualClock } from '../link/clock.js';
import type { TcpConnection } from '../tcp/connection.js';
import type { SimEndpoint } from './endpoint.js';
import type { Network } from './topology.js';

export function diagnosticDump(
  clock: VirtualClock,
  net: Network,
  ends: { client: SimEndpoint; server: SimEndpoint },
): string {
  const out: string[] = [
    `at ${clock.now().toFixed(3)} ms; next clock event at ${clock.nextTimerAt() ?? 'none'}`,
  ];
  for (const end of [ends.client, ends.server]) {
    const conn = end.entry?.conn;
    out.push(
      `${end.name}: app wrote ${end.source.total - end.source.remaining}/${end.source.total}, ` +
        `read ${end.sink.received}, ended ${end.ended}, peer FIN ${end.remoteFin}`,
    );
    if (conn === undefined) out.push(`  ${end.name}: no connection`);
    else out.push(...engineLines(conn));
  }
  if (net.injector !== null) {
    out.push(`impairments client->server ${JSON.stringify(net.injector.stats.out)}`);
    out.push(`impairments server->client ${JSON.stringify(net.injector.stats.in)}`);
  }
  out.push(`wire client->server ${JSON.stringify(net.wire.a.stats)}`);
  out.push(`wire server->client ${JSON.stringify(net.wire.b.stats)}`);
  out.push('last frames at the client:', ...net.client.probe.recentLines().map((l) => `  ${l}`));
  out.push('last frames at the server:', ...net.server.probe.recentLines().map((l) => `  ${l}`));
  return out.join('\n');
}

function engineLines(conn: TcpConnection): string[] {
  const { sender: s, receiver: r } = conn.internals();
  const timers =
    conn
      .timerList()
      .map((t) => `${t.kind}@${t.expiresAt.toFixed(3)}`)
      .join(' ') || 'none';
  return [
    `  state ${conn.state}${conn.error ? ` (error ${conn.error.code}: ${conn.error.message})` : ''}`,
    `  snd una ${s.una} nxt ${s.nxt} max ${s.max} dataEnd ${s.dataEnd} finQueued ${s.finQueued} ` +
      `lossState ${s.lossState} rxtNext ${s.rxtNext} retries ${s.retries}`,
    `  cwnd ${s.cc.cwnd} ssthresh ${s.cc.ssthresh} pipe ${s.pipe()} sndWnd ${s.sndWnd} mss ${s.mss} ` +
      `rto ${s.rtt.rto} srtt ${s.rtt.srtt} sacked ${s.scoreboard.sackedBytes} blocked ${s.blocked}`,
    `  rcv delivered ${r.deliveredEnd} readable ${r.readable} window ${r.window} ` +
      `ooo ${JSON.stringify(r.oooRangesArray())}`,
    `  timers ${timers}; pollAt ${conn.pollAt()}`,
  ];
}
