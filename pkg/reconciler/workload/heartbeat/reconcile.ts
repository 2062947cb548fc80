// The heartbeat reconcile: read the SyncTarget from the shared cache, judge its heartbeat,
// re-summarise Ready, write status only if it changed, and ask to run again exactly when the
// beat would go stale. It runs on its own queue (controller.ts), so a failing step of the
// SyncTarget controller (an unreachable physical cluster in backoff) never delays it.
// Objects being deleted are left to the SyncTarget controller, which owns their status.
import { type Condition, copyConditions, getCondition, setCondition } from '../../../conditions/conditions.ts';
import { COND_HEARTBEAT, COND_READY, COND_SYNCER_DEPLOYED } from '../synctarget/types.ts';
import type { SyncTargetStatus } from '../../../client/index.ts';
import type { Result } from '../../../controller/result.ts';
import { splitKey } from '../../../informer/keys.ts';
import { isConflict } from '../../../client/errors.ts';
import { summariseReady } from '../synctarget/status.ts';
import { heartbeatOf, judgeHeartbeat } from './judge.ts';
import { AWAITING_MANUAL_DEPLOYMENT, manualDeployCondition } from '../synctarget/reconcile-deploy.ts';
import { commitHeartbeatStatus } from './status.ts';
import type { HeartbeatDeps } from './types.ts';

export interface HeartbeatOutcome {
  result: Result;
  summary: string;
  wroteStatus: boolean;
  /** Set when the status write lost to a newer version: the resourceVersion it was based on. */
  conflictedAt?: string;
}

export async function reconcileHeartbeat(deps: HeartbeatDeps, key: string, signal: AbortSignal = new AbortController().signal): Promise<HeartbeatOutcome> {
  const { cluster, name } = splitKey(key);
  const original = deps.syncTargets.cluster(cluster).get(name);
  if (!original) {
    deps.heartbeats.forget(key);
    return { result: {}, summary: 'gone', wroteStatus: false };
  }
  if (original.metadata.deletionTimestamp) return { result: {}, summary: 'being deleted', wroteStatus: false };
  const now = deps.now();
  const beat = heartbeatOf(deps, original);
  // A new target nobody has beaten for and the SyncTarget controller has not yet written
  // (no Ready): its first status write carries this same "no heartbeat yet" verdict
  // (synctarget/status.ts computeStatus). Writing it here too would cost a second write and
  // make the two controllers conflict on every new target. Its update event brings it back.
  if (!beat && !getCondition((original.status?.conditions ?? []) as Condition[], COND_HEARTBEAT) && !getCondition((original.status?.conditions ?? []) as Condition[], COND_READY)) {
    return { result: {}, summary: 'new: first status left to the SyncTarget controller', wroteStatus: false };
  }
  const assessment = judgeHeartbeat(deps, key, beat, now);
  const conditions = copyConditions(original.status?.conditions as Condition[] | undefined);
  setCondition(conditions, assessment.condition, now);
  // The first beat of a syncer deployed by hand also turns SyncerDeployed True (the SyncTarget
  // controller's deploy step, the same pure function): written here together, that beat costs
  // one status write instead of one per controller plus a conflict.
  const deployed = getCondition(conditions, COND_SYNCER_DEPLOYED);
  if (beat && !original.spec?.kubeconfigSecretRef && deployed?.status === 'False' && deployed.reason === AWAITING_MANUAL_DEPLOYMENT) {
    setCondition(conditions, manualDeployCondition(original, true), now);
  }
  const phase = summariseReady(original, conditions, now);
  const status: SyncTargetStatus = { ...original.status, conditions, phase };
  let wroteStatus: boolean;
  try {
    wroteStatus = await commitHeartbeatStatus(deps, cluster, original, status, signal);
  } catch (err) {
    // A 409 means a newer version exists; its informer event re-adds this key, and that
    // reconcile judges the newer object (and schedules the stale-time recheck) at once. A
    // rate-limited retry would only add delay: with many targets beating for the first time,
    // both controllers write each one, and the queue's shared retry bucket allows 10/s.
    if (isConflict(err)) {
      return { result: {}, summary: `${assessment.summary}; conflict: the newer version is reconciled next`, wroteStatus: false, conflictedAt: original.metadata.resourceVersion ?? '' };
    }
    throw err;
  }
  const result: Result = assessment.recheckAfterMs !== undefined ? { requeueAfter: Math.max(1, assessment.recheckAfterMs) } : {};
  return { result, summary: assessment.summary + (wroteStatus ? ' status=written' : ''), wroteStatus };
}
