// SyncTarget strategy: a new SyncTarget is stored with its key label and the SyncTarget
// controller's finalizer already in place, as kube's namespace strategy gives every new
// Namespace its `kubernetes` finalizer. Before, the controller's first act on every target was a
// metadata PATCH adding both: one more write, one more watch event for every informer and one
// more reconcile for each of a fleet's new targets (issue 15). The controller still adds them to
// a target stored without them (created by an older kplane, or edited since), and the reserved
// metadata rules keep a client from setting or dropping the label.
import { SYNC_TARGET_FINALIZER } from '../../../apis/workload/v1alpha1/synctarget.ts';
import { SYNC_TARGET_KEY_LABEL, toSyncTargetKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import type { KObject } from '../registry/object.ts';
import type { Strategy } from '../registry/strategy.ts';

export function syncTargetStrategy(): Strategy {
  return {
    prepareForCreate(cluster: string, obj: KObject): void {
      const meta = obj.metadata;
      // The store resolved generateName before the strategy runs, so the name is final here.
      meta.labels = { ...meta.labels, [SYNC_TARGET_KEY_LABEL]: toSyncTargetKey(cluster, meta.name ?? '') };
      const finalizers = meta.finalizers ?? [];
      if (!finalizers.includes(SYNC_TARGET_FINALIZER)) meta.finalizers = [...finalizers, SYNC_TARGET_FINALIZER];
    },
  };
}
