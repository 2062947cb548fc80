// The SyncTarget reconcile: read from the cache, clone, run the named steps, then commit the
// status once (only if it changed). Steps, in order:
//   live object:  finalizer → validate → identity → deploy
//   being deleted: cleanup (undeploy → remove identity → release finalizer)
// One summary line per reconcile names what each step did. HeartbeatHealthy is not ours: the
// heartbeat controller (pkg/reconciler/workload/heartbeat) owns it on its own queue and exact
// timing; this reconcile carries the stored condition over and summarises it into Ready.
import { type Condition } from '../../../conditions/conditions.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { runSteps, toControllerResult, type Step } from '../../../controller/tasks.ts';
import type { Result } from '../../../controller/result.ts';
import { splitKey } from '../../../informer/keys.ts';
import { isConflict } from '../../../client/errors.ts';
import { cleanup, ensureFinalizer } from './reconcile-finalizer.ts';
import { deploy } from './reconcile-deploy.ts';
import { ensureIdentity } from './reconcile-identity.ts';
import { validate } from './reconcile-validate.ts';
import { commitStatus, computeStatus } from './status.ts';
import type { Deps, StepContext } from './types.ts';

export const LIVE_STEPS: Step<StepContext>[] = [ensureFinalizer, validate, ensureIdentity, deploy];
export const DELETION_STEPS: Step<StepContext>[] = [cleanup];

export interface ReconcileOutcome {
  result: Result;
  summaryLine: string;
  wroteStatus: boolean;
}

/** `signal` is the reconcile's (pkg/controller): every API call made here is aborted with it. */
export async function reconcileSyncTarget(deps: Deps, key: string, signal: AbortSignal = new AbortController().signal): Promise<ReconcileOutcome> {
  const { cluster, name } = splitKey(key);
  const original = deps.listers.syncTargets.cluster(cluster).get(name);
  if (!original) {
    deps.undeployAttempts.delete(key);
    deps.mintedTokens.delete(key);
    return { result: {}, summaryLine: 'gone', wroteStatus: false };
  }
  const draft: SyncTarget = structuredClone(original);
  const conditions: Condition[] = structuredClone((draft.status?.conditions ?? []) as Condition[]);
  const ctx: StepContext = {
    key,
    client: deps.clusterClient.withSignal(signal),
    signal,
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
    // An aborted reconcile writes nothing more: its view may be one a newer leader replaced.
    signal.throwIfAborted();
    computeStatus(ctx);
    try {
      wroteStatus = await commitStatus(ctx);
    } catch (err) {
      // A 409: a newer version exists (typically the heartbeat controller's write on a first
      // beat) and its informer event re-adds this key, so the next reconcile works from it at
      // once; the steps above are idempotent. Failing would put the key behind the queue's
      // shared retry bucket (10/s), which a fleet's first beats would fill for minutes.
      if (!isConflict(err)) throw err;
      return { result: {}, summaryLine: summary.summaryLine + ' status=conflict (newer version next)', wroteStatus: false };
    }
  }
  return { result: toControllerResult(summary), summaryLine: summary.summaryLine + (wroteStatus ? ' status=written' : ''), wroteStatus };
}
