// When did *this controller* see each heartbeat value change? Staleness is measured on the
// controller's clock from that moment (as Kubernetes' node lifecycle controller and Karmada
// do). The value a syncer writes is only a token that changes on every beat: its meaning as a
// time is ignored, so a syncer whose clock runs minutes behind or ahead is judged by when its
// beats arrive, never by what they claim. After a controller restart every existing beat gets
// a full threshold of grace, the same trade-off kube makes.
//
// A syncer beats on one of two channels (judge.ts): status.lastSyncerHeartbeatTime, or the
// renewTime of its heartbeat Lease. Each is tracked on its own, and a beat is a new value on
// either. A value that disappears (a Lease deleted) is no beat: it leaves the last observation
// as it was, so removing a Lease can never buy a silent syncer more time.
export interface BeatValues {
  /** status.lastSyncerHeartbeatTime */
  status?: string | undefined;
  /** The heartbeat Lease's spec.renewTime */
  lease?: string | undefined;
}

interface Channel {
  value: string;
  observedAt: number;
}

interface Observed {
  status?: Channel;
  lease?: Channel;
}

export class HeartbeatTracker {
  private readonly seen = new Map<string, Observed>();

  /**
   * Record the beat values for key; a value different from the last one on its channel is
   * observed `now`. Returns when the latest beat (on either channel) was first observed.
   */
  observe(key: string, beat: BeatValues, now: number): number {
    let entry = this.seen.get(key);
    if (!entry) {
      entry = {};
      this.seen.set(key, entry);
    }
    for (const channel of ['status', 'lease'] as const) {
      const value = beat[channel];
      if (value === undefined || value === '') continue;
      const prev = entry[channel];
      if (!prev || prev.value !== value) entry[channel] = { value, observedAt: now };
    }
    return Math.max(entry.status?.observedAt ?? Number.NEGATIVE_INFINITY, entry.lease?.observedAt ?? Number.NEGATIVE_INFINITY);
  }

  forget(key: string): void {
    this.seen.delete(key);
  }

  get size(): number {
    return this.seen.size;
  }
}
