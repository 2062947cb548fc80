// Step "finalizer": our finalizer and the internal key label on first sight (one metadata
// patch, never together with status), and the whole clean-up when the object is deleted.
import { complete, fail, type Step, type StepResult, wait } from '../../../controller/tasks.ts';
import { isNotFound } from '../../../client/errors.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { FINALIZER, KEY_LABEL, type StepContext } from './types.ts';
import { toSyncTargetKey } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
import { removeIdentity } from './reconcile-identity.ts';
import { undeploy } from './reconcile-deploy.ts';

export const ensureFinalizer: Step<StepContext> = {
  name: 'finalizer',
  async run(ctx): Promise<StepResult> {
    const meta = ctx.draft.metadata;
    if (meta.deletionTimestamp) return complete('being deleted');
    const wantLabel = toSyncTargetKey(ctx.cluster, ctx.name);
    const hasFinalizer = (meta.finalizers ?? []).includes(FINALIZER);
    if (hasFinalizer && meta.labels?.[KEY_LABEL] === wantLabel) return complete();
    // A JSON patch guarded by resourceVersion: a concurrent writer makes it fail with 409
    // and the key is retried, never clobbering someone else's finalizer list.
    const ops: unknown[] = [{ op: 'test', path: '/metadata/resourceVersion', value: meta.resourceVersion }];
    if (!meta.finalizers) ops.push({ op: 'add', path: '/metadata/finalizers', value: [FINALIZER] });
    else if (!hasFinalizer) ops.push({ op: 'add', path: '/metadata/finalizers/-', value: FINALIZER });
    if (!meta.labels) ops.push({ op: 'add', path: '/metadata/labels', value: { [KEY_LABEL]: wantLabel } });
    else ops.push({ op: 'add', path: `/metadata/labels/${KEY_LABEL.replace(/~/g, '~0').replace(/\//g, '~1')}`, value: wantLabel });
    try {
      const updated = await ctx.client.cluster(ctx.cluster).syncTargets().patch(ctx.name, 'json', ops);
      ctx.draft.metadata = updated.metadata;
      return complete('added finalizer');
    } catch (err) {
      return fail(err);
    }
  },
};

/** Step "cleanup": only for an object being deleted. Undeploy, remove identity, drop finalizer. */
export const cleanup: Step<StepContext> = {
  name: 'cleanup',
  async run(ctx): Promise<StepResult> {
    const st: SyncTarget = ctx.draft;
    if (!st.metadata.deletionTimestamp) return complete();
    if (!(st.metadata.finalizers ?? []).includes(FINALIZER)) return wait('waiting for other finalizers');
    const undeployed = await undeploy(ctx);
    if (undeployed.status !== 'complete') return undeployed;
    try {
      await removeIdentity(ctx);
    } catch (err) {
      return fail(err);
    }
    const finalizers = (st.metadata.finalizers ?? []).filter((f) => f !== FINALIZER);
    try {
      await ctx.client.cluster(ctx.cluster).syncTargets().patch(ctx.name, 'json', [
        { op: 'test', path: '/metadata/resourceVersion', value: st.metadata.resourceVersion },
        { op: 'replace', path: '/metadata/finalizers', value: finalizers },
      ]);
    } catch (err) {
      if (isNotFound(err)) {
        ctx.gone = true;
        return complete('already gone');
      }
      return fail(err);
    }
    // Our part is done: the object is gone, or other finalizers now hold it. Either way no
    // further status is written by us.
    ctx.gone = true;
    await ctx.deps.recorder.event(st, 'Normal', 'SyncerRemoved', 'Syncer identity and deployment removed; finalizer released');
    return complete(finalizers.length === 0 ? 'deleted' : 'finalizer released; other finalizers remain');
  },
};
