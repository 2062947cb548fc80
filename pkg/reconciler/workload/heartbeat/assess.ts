// Is a SyncTarget's heartbeat healthy, and when must we look again? A pure function of the
// beat value, when this controller observed it (heartbeat-tracker.ts) and the threshold: a
// fresh beat asks to be looked at again exactly when it would turn stale, so staleness is
// detected on time without a polling sweep.
import { type ConditionInput, falseCondition, trueCondition } from '../../../conditions/conditions.ts';
import { COND_HEARTBEAT } from '../synctarget/types.ts';

export const HEARTBEAT_REASON = 'ErrorHeartbeat';

export interface HeartbeatAssessment {
  condition: ConditionInput;
  /** Look again after this long (only while the beat is fresh). */
  recheckAfterMs?: number;
  /** For the reconcile's log line. */
  summary: string;
}

export function assessHeartbeat(beat: string | undefined, observedAt: number, now: number, thresholdMs: number): HeartbeatAssessment {
  if (!beat) return { condition: falseCondition(COND_HEARTBEAT, HEARTBEAT_REASON, 'Error', 'No heartbeat yet seen'), summary: 'no heartbeat yet' };
  const staleAt = observedAt + thresholdMs;
  if (now >= staleAt) return { condition: falseCondition(COND_HEARTBEAT, HEARTBEAT_REASON, 'Error', `No heartbeat since ${beat}`), summary: 'stale' };
  return { condition: trueCondition(COND_HEARTBEAT), recheckAfterMs: staleAt - now, summary: 'fresh beat' };
}
