// Invariants of a connection, checked after every step in the simulation tests (and usable by the
// fuller simulator later). Throws an Error naming the broken rule.

import type { TcpConnection } from './connection.js';
import { LossState } from './sender.js';
import { TimerKind } from './timers.js';

/** States in which unacknowledged data must be covered by a running timer. */
const RETRANSMITTING = new Set(['ESTABLISHED', 'CLOSE-WAIT', 'FIN-WAIT-1', 'CLOSING', 'LAST-ACK']);

/**
 * Check the structural invariants. With `afterPoll`, also the liveness ones that hold once poll() has
 * re-armed the timers: outstanding data has a retransmission timer, a blocked sender a persist timer.
 */
export function assertInvariants(conn: TcpConnection, afterPoll = false): void {
  const { sender: s, receiver: r, timers } = conn.internals();
  const fail = (rule: string): never => {
    throw new Error(`TCP invariant broken (${conn.state}): ${rule}`);
  };
  // Sequence space (RFC 9293 §3.3.1): SND.UNA <= SND.NXT <= highest sent <= end of stream (+SYN).
  if (!(s.una <= s.nxt)) fail(`snd.una ${s.una} <= snd.nxt ${s.nxt}`);
  if (!(s.nxt <= s.max)) fail(`snd.nxt ${s.nxt} <= snd.max ${s.max}`);
  if (!(s.max <= s.streamEnd)) fail(`snd.max ${s.max} <= stream end ${s.streamEnd}`);
  if (!(s.rxtNext >= s.una || s.lossState === LossState.OPEN)) fail('retransmit cursor below snd.una');
  // Send buffer holds exactly the unacknowledged data.
  const unackedData = s.dataEnd - Math.max(1, Math.min(s.una, s.dataEnd));
  if (s.buffer.length !== unackedData) fail(`send buffer ${s.buffer.length} == unacked data ${unackedData}`);
  if (s.buffer.length > s.buffer.maxSize) fail('send buffer within its bound');
  if (s.buffer.allocated > s.buffer.maxSize) fail('send buffer allocation within its bound');
  // Scoreboard: ranges strictly above SND.UNA, within what was sent, byte count consistent.
  const sb = s.scoreboard;
  if (!sb.isEmpty) {
    if (sb.lowest() <= s.una - 0 && sb.lowest() < s.una) fail('SACKed range below snd.una');
    if (sb.highSacked > s.max) fail('SACKed range beyond snd.max');
  }
  if (sb.recount() !== sb.sackedBytes) fail(`scoreboard bytes ${sb.sackedBytes} == recount ${sb.recount()}`);
  if (s.pipe() < 0) fail(`pipe ${s.pipe()} >= 0`);
  if (!(s.cc.cwnd >= 1)) fail('cwnd >= 1');
  if (!(s.cc.ssthresh >= 2 * Math.min(s.mss, 1))) fail('ssthresh sane');
  // Receiver: read <= delivered <= advertised right edge; out-of-order data above RCV.NXT and inside the window.
  if (!(r.readOff <= r.deliveredEnd)) fail('read offset <= delivered end');
  if (r.readable > r.maxBuffer + (1 << 14)) fail(`readable ${r.readable} within the receive buffer`);
  // Checked after every simulated step: walk the ranges by index, without copying them.
  for (let i = 0; i < r.oooRanges; i++) {
    const a = r.oooStart(i);
    const b = r.oooEnd(i);
    if (!(a > r.deliveredEnd)) fail('out-of-order range above rcv.nxt (with a gap)');
    if (!(b > a)) fail('out-of-order range non-empty');
    if (i > 0 && !(a > r.oooEnd(i - 1))) fail('out-of-order ranges sorted and disjoint');
    if (b > r.advertisedRight) fail('out-of-order data within the advertised window');
  }
  if (r.allocated > r.maxBuffer + (1 << 14) + 65536) fail('receive ring allocation within its bound');
  if (afterPoll && RETRANSMITTING.has(conn.state)) {
    if (s.una < s.nxt && !timers.isRunning(TimerKind.RETRANSMIT))
      fail('outstanding data without a retransmission timer');
    if (s.needsPersist && !timers.isRunning(TimerKind.PERSIST)) fail('zero window without a persist timer');
  }
  if (afterPoll && r.ackPending && !r.ackNow && !timers.isRunning(TimerKind.DELAYED_ACK))
    fail('delayed ACK without a timer');
}
