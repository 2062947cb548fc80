// The heartbeat verdict on one SyncTarget now: its beat as this process observed it (the
// shared tracker) judged against the threshold. The heartbeat controller uses it for every
// reconcile; the SyncTarget controller, when it runs beside it in one manager, uses the same
// tracker for the statuses it writes anyway — so a first beat, which makes both controllers
// write, is one write with the whole verdict instead of two racing into a conflict.
import type { SyncTarget } from '../../../client/index.ts';
import { assessHeartbeat, type HeartbeatAssessment } from './assess.ts';
import type { HeartbeatJudge } from '../synctarget/types.ts';

export type { HeartbeatJudge };

export function judgeHeartbeat(judge: HeartbeatJudge, key: string, st: SyncTarget, now: number): HeartbeatAssessment {
  const beat = st.status?.lastSyncerHeartbeatTime;
  // Normally the informer handler recorded the beat when it arrived; this covers a reconcile
  // that gets there first (the initial list), at the same moment.
  const observedAt = beat ? judge.heartbeats.observe(key, beat, now) : now;
  return assessHeartbeat(beat, observedAt, now, judge.thresholdMs);
}
