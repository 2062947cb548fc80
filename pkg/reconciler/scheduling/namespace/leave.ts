// Leaving a SyncTarget, the namespace's side (docs/workloads.md "Rescheduling and leaving a
// SyncTarget"): whether the old label may go at once (nothing synced) or must wait for that
// syncer behind a deletion annotation, and the fallback that finishes a departure the syncer
// cannot (SyncTarget gone, or its syncer down past the eviction grace).
import type { KubeObject, SyncTarget } from '../../../client/index.ts';
import { clusterOf } from '../../../client/object.ts';
import { KEY_LABEL } from '../../workload/synctarget/types.ts';
import { fallbackOf } from '../shared/eviction.ts';
import { finalizerKeys, hasSyncerFinalizer, leavingKeys, type MetaPatch, stateKeys } from '../shared/leaving.ts';
import { objectsIn } from '../shared/synced-objects.ts';
import type { NamespaceDeps } from './types.ts';

/** Has the syncer of `key` synced the namespace or any object in it (its finalizer is there)? */
export function mayHaveSynced(deps: NamespaceDeps, ns: KubeObject, key: string): boolean {
  if (hasSyncerFinalizer(ns, key)) return true;
  return objectsIn(deps.synced, clusterOf(ns), ns.metadata.name ?? '').some(({ obj }) => hasSyncerFinalizer(obj, key));
}

export interface Fallback {
  key: string;
  reason: string;
}

/** The fallback for every departure (or stray finalizer) of the namespace; returns what it finished and when to look again. */
export function planFallback(deps: NamespaceDeps, ns: KubeObject, patch: MetaPatch, now: number): { done: Fallback[]; recheckAt?: number } {
  const byKey = new Map<string, SyncTarget>(deps.syncTargets.list().map((st) => [st.metadata.labels?.[KEY_LABEL] ?? '', st]));
  const labelled = new Set(stateKeys(ns));
  const done: Fallback[] = [];
  let recheckAt: number | undefined;
  for (const [k, since] of leavingKeys(ns)) {
    if (!labelled.has(k)) continue;
    const v = fallbackOf(byKey.get(k), since, now, deps.evictionGraceMs);
    if (v.due) {
      patch.forget(k);
      done.push({ key: k, reason: v.reason });
    } else if (v.at !== undefined) recheckAt = Math.min(recheckAt ?? Infinity, v.at);
  }
  // Annotation or finalizer without the label: that syncer can no longer see the namespace.
  for (const k of new Set([...leavingKeys(ns).keys(), ...finalizerKeys(ns)])) if (!labelled.has(k)) patch.forget(k);
  return { done, ...(recheckAt !== undefined ? { recheckAt } : {}) };
}
