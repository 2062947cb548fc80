// One upstream namespace: placed on this SyncTarget → its downstream `kcp-<hash>` namespace
// with the locator; asked to leave (deletion annotation) → delete the downstream namespace,
// then drop the state label and the annotation upstream; gone from the view or being deleted
// → delete the downstream namespace (the garbage collection of namespaces no longer placed here).
import { deletionAnnotation } from '../../../apis/workload/v1alpha1/sync-contract.ts';
import { stateLabelKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import type { SyncContext } from '../shared/context.ts';
import type { Result } from '../../controller/result.ts';
import { deletionRequested, hasFinalizer, isPlaced } from '../shared/placement.ts';
import { deleteDownstreamNamespace, ensureDownstreamNamespace } from './downstream.ts';
import type { SpecKey } from './keys.ts';

/** Pause before looking again at a leaving namespace whose objects still hold our finalizer. */
const WAIT_FOR_OBJECTS_MS = 1_000;

export async function reconcileNamespace(ctx: SyncContext, k: SpecKey, signal: AbortSignal, enqueueObjects: (cluster: string, namespace: string) => void): Promise<Result | void> {
  const key = ctx.me.key;
  const up = ctx.upNamespaces.lister.cluster(k.cluster).get(k.name);
  if (up && isPlaced(up, key)) {
    await ensureDownstreamNamespace(ctx, k.cluster, k.name, signal);
    return;
  }
  await deleteDownstreamNamespace(ctx, k.cluster, k.name, signal);
  if (up && deletionRequested(up, key) && !up.metadata.deletionTimestamp) {
    // Objects release themselves (they see the namespace's annotation) while the namespace is
    // still in our view; only then may the namespace leave it.
    const holding = [...ctx.types.values()].some((t) => t.up.lister.cluster(k.cluster).namespace(k.name).list().some((o) => hasFinalizer(o, key)));
    if (holding) {
      enqueueObjects(k.cluster, k.name);
      return { requeueAfter: WAIT_FOR_OBJECTS_MS };
    }
    await ctx.upstream.cluster(k.cluster).namespaces().patch(k.name, 'merge', {
      metadata: { resourceVersion: up.metadata.resourceVersion, labels: { [stateLabelKey(key)]: null }, annotations: { [deletionAnnotation(key)]: null } },
    }, { signal });
  }
}
