// The heartbeat verdict on one SyncTarget now: its beat as this process observed it (the
// shared tracker) judged against the threshold. The heartbeat controller uses it for every
// reconcile; the SyncTarget controller, when it runs beside it in one manager, uses the same
// tracker for the statuses it writes anyway — so a first beat, which makes both controllers
// write, is one write with the whole verdict instead of two racing into a conflict.
import type { SyncTarget } from '../../../client/index.ts';
import { assessHeartbeat, type HeartbeatAssessment } from './assess.ts';
import type { HeartbeatJudge } from '../synctarget/types.ts';
import type { BeatValues } from './heartbeat-tracker.ts';

export type { HeartbeatJudge };

/**
 * A SyncTarget's current beat on both channels (heartbeat-tracker.ts). The values are only
 * compared for equality: staleness runs on the controller's clock, never on the times a syncer
 * writes.
 */
export interface Heartbeat extends BeatValues {
  /** The later of the two times, for messages. */
  at: string;
}

/** The beat of `st` by status or by Lease (KEP-589), or undefined when its syncer never beat. */
export function heartbeatOf(judge: Pick<HeartbeatJudge, 'leaseOf'>, st: SyncTarget): Heartbeat | undefined {
  const status = st.status?.lastSyncerHeartbeatTime ?? undefined;
  const renewed = judge.leaseOf?.(st)?.spec?.renewTime ?? undefined;
  if (!status && !renewed) return undefined;
  if (!renewed) return { status, at: status! };
  if (!status) return { lease: renewed, at: renewed };
  return { status, lease: renewed, at: Date.parse(renewed) > Date.parse(status) ? renewed : status };
}

/** The verdict on the target at `key` whose current beat is `beat` (heartbeatOf). */
export function judgeHeartbeat(judge: HeartbeatJudge, key: string, beat: Heartbeat | undefined, now: number): HeartbeatAssessment {
  // Normally the informer handler recorded the beat when it arrived; this covers a reconcile
  // that gets there first (the initial list), at the same moment.
  const observedAt = beat ? judge.heartbeats.observe(key, beat, now) : now;
  return assessHeartbeat(beat?.at, observedAt, now, judge.thresholdMs);
}
