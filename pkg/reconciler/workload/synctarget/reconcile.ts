// The SyncTarget reconcile: read from the cache, clone, run the named steps, then commit the
// status once (only if it changed). Steps, in order:
//   live object:  finalizer → heartbeat (non-blocking) → validate → identity → deploy
//   being deleted: cleanup (undeploy → remove identity → release finalizer)
// One summary line per reconcile names what each step did.
import { type Condition } from '../../../conditions/conditions.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { runSteps, toControllerResult, type Step } from '../../../controller/tasks.ts';
import type { Result } from '../../../controller/result.ts';
import { splitKey } from '../../../informer/keys.ts';
import { checkHeartbeat } from './reconcile-heartbeat.ts';
import { cleanup, ensureFinalizer } from './reconcile-finalizer.ts';
import { deploy } from './reconcile-deploy.ts';
import { ensureIdentity } from './reconcile-identity.ts';
import { validate } from './reconcile-validate.ts';
import { commitStatus, computeStatus } from './status.ts';
import type { Deps, StepContext } from './types.ts';

export const LIVE_STEPS: Step<StepContext>[] = [ensureFinalizer, checkHeartbeat, validate, ensureIdentity, deploy];
export const DELETION_STEPS: Step<StepContext>[] = [cleanup];

export interface ReconcileOutcome {
  result: Result;
  summaryLine: string;
  wroteStatus: boolean;
}

export async function reconcileSyncTarget(deps: Deps, key: string): Promise<ReconcileOutcome> {
  const { cluster, name } = splitKey(key);
  const original = deps.listers.syncTargets.cluster(cluster).get(name);
  if (!original) {
    deps.heartbeats.forget(key);
    deps.undeployAttempts.delete(key);
    return { result: {}, summaryLine: 'gone', wroteStatus: false };
  }
  const draft: SyncTarget = structuredClone(original);
  const conditions: Condition[] = structuredClone((draft.status?.conditions ?? []) as Condition[]);
  const ctx: StepContext = {
    key,
    cluster,
    name,
    original,
    draft,
    conditions,
    gone: false,
    deps,
  };
  const summary = await runSteps(original.metadata.deletionTimestamp ? DELETION_STEPS : LIVE_STEPS, ctx);
  let wroteStatus = false;
  if (!ctx.gone) {
    computeStatus(ctx);
    wroteStatus = await commitStatus(ctx);
  }
  return { result: toControllerResult(summary), summaryLine: summary.summaryLine + (wroteStatus ? ' status=written' : ''), wroteStatus };
}
