// When did *this controller* see each heartbeat value change? Staleness is measured on the
// controller's clock from that moment (as Kubernetes' node lifecycle controller and Karmada
// do). The value a syncer writes is only a token that changes on every beat: its meaning as a
// time is ignored, so a syncer whose clock runs minutes behind or ahead is judged by when its
// beats arrive, never by what they claim. After a controller restart every existing beat gets
// a full threshold of grace, the same trade-off kube makes.
export interface ObservedBeat {
  beat: string;
  observedAt: number;
}

export class HeartbeatTracker {
  private readonly seen = new Map<string, ObservedBeat>();

  /** Record the beat value for key; a value different from the last one is observed `now`. Returns when the current value was first observed. */
  observe(key: string, beat: string, now: number): number {
    const prev = this.seen.get(key);
    if (prev && prev.beat === beat) return prev.observedAt;
    this.seen.set(key, { beat, observedAt: now });
    return now;
  }

  forget(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }
}
