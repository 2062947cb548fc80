// The resource labeller's reconcile, one namespace per key: every object of a syncable type in
// the namespace carries `state.workload.kcp.io/<key>: Sync` for exactly those SyncTargets the
// namespace is placed on whose syncer reported the type Accepted (status.syncedResources) —
// kcp's rule that a synced object is labelled like its namespace. Labels for other keys are
// removed (the namespace was unscheduled, or the type is not synced there). One merge patch
// per object that differs, carrying the resourceVersion read.
import { STATE_LABEL_PREFIX, stateLabelKey } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
import { isNotFound } from '../../../client/errors.ts';
import type { GVR } from '../../../client/gvr.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { splitKey } from '../../../informer/keys.ts';
import { KEY_LABEL } from '../../workload/synctarget/types.ts';
import { currentKeys } from '../namespace/decide.ts';
import { STATE_SYNC } from '../namespace/types.ts';
import type { ResourceDeps } from './types.ts';

/** Whether the SyncTarget's syncer reported the type Accepted. */
export function accepts(st: SyncTarget | undefined, gvr: GVR): boolean {
  return (st?.status?.syncedResources ?? []).some((r) => (r.group ?? '') === gvr.group && r.resource === gvr.resource && r.state === 'Accepted');
}

/** The label changes (null = remove) that make `labels` carry exactly `want` keys. */
export function labelDelta(labels: Record<string, string> | undefined, want: string[]): Record<string, string | null> {
  const delta: Record<string, string | null> = {};
  for (const l of Object.keys(labels ?? {})) {
    if (l.startsWith(STATE_LABEL_PREFIX) && !want.includes(l.slice(STATE_LABEL_PREFIX.length))) delta[l] = null;
  }
  for (const k of want) if (labels?.[stateLabelKey(k)] !== STATE_SYNC) delta[stateLabelKey(k)] = STATE_SYNC;
  return delta;
}

export async function reconcileNamespaceResources(deps: ResourceDeps, key: string, signal: AbortSignal): Promise<number> {
  // Keys are `<cluster>|<namespace>`: splitKey reads the namespace as the name.
  const { cluster, name: namespace } = splitKey(key);
  const ns = deps.namespaces.cluster(cluster).get(namespace);
  const keys = ns ? currentKeys(ns).filter((k) => ns.metadata.labels?.[stateLabelKey(k)] === STATE_SYNC) : [];
  const byKey = new Map(keys.map((k) => [k, deps.syncTargets.list().find((st) => st.metadata.labels?.[KEY_LABEL] === k)]));
  let patched = 0;
  for (const type of deps.types) {
    const want = keys.filter((k) => accepts(byKey.get(k), type.gvr));
    for (const obj of type.lister.cluster(cluster).namespace(namespace).list()) {
      if (obj.metadata.deletionTimestamp) continue;
      const delta = labelDelta(obj.metadata.labels, want);
      if (Object.keys(delta).length === 0) continue;
      try {
        await deps.clusterClient.cluster(cluster).resource(type.gvr, namespace).patch(obj.metadata.name ?? '', 'merge', {
          metadata: { resourceVersion: obj.metadata.resourceVersion, labels: delta },
        }, { signal });
        patched++;
      } catch (err) {
        // Deleted meanwhile: nothing to label. Anything else (a 409 included) is retried.
        if (!isNotFound(err)) throw err;
      }
    }
  }
  return patched;
}
