// Undoing a congestion window reduction that a spurious retransmission caused (Linux tcp_try_undo_*):
// the state of one loss episode (fast recovery or RTO). On entry the window before the cut is saved;
// the reduction is undone when every retransmission of the episode comes back as a D-SACK (the receiver
// had the data already: RFC 2883 §4, RFC 3708), or when the first ACK for retransmitted data echoes a
// timestamp older than the first retransmission, i.e. it was sent for the original (Eifel detection,
// RFC 3522 §3.2; response in the spirit of RFC 4015: restore the window).

export class UndoState {
  /** An episode's reduction can still be undone. */
  armed = false;
  priorCwnd = 0;
  priorSsthresh = 0;
  /** Retransmitted segments of the episode not yet reported as duplicates (Linux undo_retrans). */
  private unproven = 0;
  private retransmitted = false;

  /** A loss episode starts: remember the window (only at its start; an RTO inside recovery keeps it). */
  begin(cwnd: number, ssthresh: number, continuing: boolean): void {
    if (continuing && this.armed) return;
    this.armed = true;
    this.priorCwnd = cwnd;
    this.priorSsthresh = ssthresh;
    this.unproven = 0;
    this.retransmitted = false;
  }

  onRetransmit(): void {
    if (!this.armed) return;
    this.unproven++;
    this.retransmitted = true;
  }

  /** `segments` retransmitted segments were reported as duplicates by D-SACK. Returns true when all were. */
  onDuplicates(segments: number): boolean {
    if (!this.armed || !this.retransmitted) return false;
    this.unproven = Math.max(0, this.unproven - segments);
    return this.unproven === 0;
  }

  disarm(): void {
    this.armed = false;
  }
}
