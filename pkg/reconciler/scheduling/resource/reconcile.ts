// The resource labeller's reconcile, one namespace per key. For every object of a synced type
// in the namespace (shared/synced-objects.ts):
//   - it carries `state.workload.kcp.io/<key>: Sync` for exactly those SyncTargets the namespace
//     is placed on (and not leaving) whose syncer reported the type Accepted — kcp's rule that
//     a synced object is labelled like its namespace;
//   - a key it must lose (the namespace left that SyncTarget, or the type is no longer synced
//     there): if the syncer of that key has synced it (finalizer `workload.kcp.io/syncer-<key>`)
//     it gets the deletion annotation, with the namespace's time when the namespace is leaving
//     too, and keeps the label until that syncer has removed the downstream copy; never synced,
//     it loses the label at once;
//   - the fallback (shared/eviction.ts fallbackOf): a departure, or a deletion held by a syncer
//     finalizer, whose SyncTarget is gone or whose syncer has been down longer than the
//     eviction grace is finished here: finalizer, label and annotation removed.
// One merge patch per object that differs, carrying the resourceVersion read. The reconcile
// reports the earliest moment a pending fallback becomes due, for an exact requeue.
import { deletionAnnotation } from '../../../../apis/workload/v1alpha1/sync-contract.ts';
import { formatTime } from '../../../../apis/meta/v1/time.ts';
import { stateLabelKey } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
import { isNotFound } from '../../../client/errors.ts';
import type { GVR } from '../../../client/gvr.ts';
import type { KubeObject, SyncTarget } from '../../../client/index.ts';
import { splitKey } from '../../../informer/keys.ts';
import { KEY_LABEL } from '../../workload/synctarget/types.ts';
import { STATE_SYNC } from '../namespace/types.ts';
import { fallbackOf } from '../shared/eviction.ts';
import { activeKeys, finalizerKeys, hasSyncerFinalizer, leavingKeys, MetaPatch, stateKeys } from '../shared/leaving.ts';
import { accepts, objectsIn } from '../shared/synced-objects.ts';
import type { ResourceDeps } from './types.ts';

export { accepts };

export interface ObjectPlan {
  patch: MetaPatch;
  /** Keys whose departure the fallback finished. */
  fallback: string[];
  /** When a pending fallback of this object becomes due (ms since the epoch). */
  recheckAt?: number;
}

export interface PlanContext {
  /** The namespace as cached; undefined when it is gone. */
  namespace: KubeObject | undefined;
  syncTargetByKey: (key: string) => SyncTarget | undefined;
  now: number;
  graceMs: number;
}

/** The SyncTarget keys a namespace is placed on now (label Sync, not leaving). */
export function placedKeys(ns: KubeObject | undefined): string[] {
  return ns ? activeKeys(ns).filter((k) => ns.metadata.labels?.[stateLabelKey(k)] === STATE_SYNC) : [];
}

/** What one object of type `gvr` should change, pure over the caches and the clock. */
export function planObject(obj: KubeObject, gvr: GVR, ctx: PlanContext): ObjectPlan {
  const patch = new MetaPatch(obj);
  const plan: ObjectPlan = { patch, fallback: [] };
  const later = (at: number | undefined) => {
    if (at !== undefined) plan.recheckAt = plan.recheckAt === undefined ? at : Math.min(plan.recheckAt, at);
  };
  const tryFallback = (key: string, since: number): void => {
    const v = fallbackOf(ctx.syncTargetByKey(key), since, ctx.now, ctx.graceMs);
    if (v.due) {
      patch.forget(key);
      plan.fallback.push(key);
    } else later(v.at);
  };

  if (obj.metadata.deletionTimestamp) {
    // Deleted upstream: the syncer deletes the copy and drops its finalizer. A syncer that
    // cannot (gone, or down past the grace) would hold the deletion for ever.
    const since = Date.parse(obj.metadata.deletionTimestamp);
    for (const k of finalizerKeys(obj)) tryFallback(k, since);
    return plan;
  }

  const want = placedKeys(ctx.namespace).filter((k) => accepts(ctx.syncTargetByKey(k), gvr));
  const leaving = leavingKeys(obj);
  const labelled = new Set(stateKeys(obj));
  // Already leaving a key it is wanted on again (moved back): the syncer finishes the
  // departure first; the next reconcile labels it afresh.
  for (const k of want) if (!leaving.has(k)) patch.label(k, STATE_SYNC);
  for (const k of labelled) {
    if (leaving.has(k)) {
      tryFallback(k, leaving.get(k)!);
    } else if (!want.includes(k)) {
      if (hasSyncerFinalizer(obj, k)) patch.deletion(k, ctx.namespace?.metadata.annotations?.[deletionAnnotation(k)] ?? formatTime(new Date(ctx.now)));
      else patch.label(k, null);
    }
  }
  // A finalizer or deletion annotation without its label: the syncer can no longer see the
  // object (its view requires the label), so nobody else would ever remove them.
  for (const k of new Set([...leaving.keys(), ...finalizerKeys(obj)])) if (!labelled.has(k)) patch.forget(k);
  return plan;
}

export interface ResourceOutcome {
  patched: number;
  fallback: number;
  /** Run again at this time (ms since the epoch): a pending fallback becomes due. */
  recheckAt?: number;
}

export async function reconcileNamespaceResources(deps: ResourceDeps, key: string, signal: AbortSignal): Promise<ResourceOutcome> {
  // Keys are `<cluster>|<namespace>`: splitKey reads the namespace as the name.
  const { cluster, name: namespace } = splitKey(key);
  const byKey = new Map(deps.syncTargets.list().map((st) => [st.metadata.labels?.[KEY_LABEL] ?? '', st]));
  const ctx: PlanContext = { namespace: deps.namespaces.cluster(cluster).get(namespace), syncTargetByKey: (k) => byKey.get(k), now: deps.now(), graceMs: deps.evictionGraceMs };
  const outcome: ResourceOutcome = { patched: 0, fallback: 0 };
  for (const { gvr, obj } of objectsIn(deps.synced, cluster, namespace)) {
    const plan = planObject(obj, gvr, ctx);
    if (plan.recheckAt !== undefined) outcome.recheckAt = Math.min(outcome.recheckAt ?? Infinity, plan.recheckAt);
    if (plan.patch.empty()) continue;
    try {
      await deps.clusterClient.cluster(cluster).resource(gvr, namespace).patch(obj.metadata.name ?? '', 'merge', plan.patch.body(), { signal });
      outcome.patched++;
      outcome.fallback += plan.fallback.length;
    } catch (err) {
      // Deleted meanwhile: nothing to label. Anything else (a 409 included) is retried.
      if (!isNotFound(err)) throw err;
    }
  }
  return outcome;
}
