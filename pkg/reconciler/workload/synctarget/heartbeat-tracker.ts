// When did *this controller* first see each heartbeat value? Staleness is measured on the
// controller's clock from that moment (as Kubernetes' node lifecycle controller and Karmada
// do), so a syncer whose clock is skewed is judged by when its beat arrived, not by the
// time it wrote. After a controller restart every existing beat gets a full threshold of
// grace, the same trade-off kube makes.
export interface ObservedBeat {
  beat: string;
  observedAt: number;
}

export class HeartbeatTracker {
  private readonly seen = new Map<string, ObservedBeat>();

  /** Record the beat value for key if it changed; returns when it was first observed. */
  observe(key: string, beat: string, now: number): number {
    const prev = this.seen.get(key);
    if (prev && prev.beat === beat) return prev.observedAt;
    // A beat written in the past (syncer clock behind, or an old beat after restart) can
    // never be credited with more freshness than it claims when that claim is older.
    const written = Date.parse(beat);
    const observedAt = Number.isFinite(written) && prev ? Math.min(now, Math.max(written, prev.observedAt)) : now;
    this.seen.set(key, { beat, observedAt });
    return observedAt;
  }

  forget(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }
}
