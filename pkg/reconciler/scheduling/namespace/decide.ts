// The scheduling decision for one namespace, pure over the caches and the clock: which
// SyncTarget (by key) it should be placed on, or none.
//   - It stays where it is while that SyncTarget is an instance of the winning Placement's
//     Location and need not be evicted (shared/eviction.ts evictionOf: drained/cordoned with
//     spec.evictAfter passed, or syncer down longer than the eviction grace). Not yet evicted
//     but going to be: `recheckAt` says when, for an exact requeue.
//   - Evicted: it moves to the least loaded other schedulable instance; with none it stays,
//     and `blocked` says why.
//   - Not placed (or its SyncTarget left the Location): the schedulable instance with the
//     fewest namespaces already placed on it, ties broken by name.
// A SyncTarget the namespace is still leaving (deletion annotation) is no candidate until the
// departure is finished.
import { toSyncTargetKey } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
import { clusterOf, type KubeObject } from '../../../client/object.ts';
import { keyOf } from '../../../informer/keys.ts';
import type { Placement, SyncTarget } from '../../../client/index.ts';
import { evictionOf } from '../shared/eviction.ts';
import { activeKeys, leavingKeys } from '../shared/leaving.ts';
import { instancesOf, isSchedulable, winningPlacement } from '../shared/selection.ts';
import type { NamespaceDeps } from './types.ts';

export interface Move {
  key: string;
  syncTarget: SyncTarget | undefined;
  reason: string;
}

export type Decision =
  | { kind: 'unplaced'; reason: string }
  | {
      kind: 'placed';
      placement: Placement;
      syncTarget: SyncTarget;
      key: string;
      kept: boolean;
      /** Set when the namespace leaves a SyncTarget it is placed on for this one. */
      from?: Move;
      /** Kept although evicted: no other SyncTarget can take it. */
      blocked?: string;
      /** Decide again at this time (ms since the epoch): an eviction becomes due. */
      recheckAt?: number;
    };

/** Keys the namespace is placed on now (state label, no deletion annotation). */
export function currentKeys(ns: KubeObject): string[] {
  return activeKeys(ns);
}

/** Every namespace's SyncTarget keys: the cache, overridden by what this scheduler just wrote. */
function placedKeys(deps: NamespaceDeps): string[][] {
  return deps.namespaces.list().map((n) => {
    const key = keyOf(n);
    const cached = currentKeys(n);
    const assumed = deps.assumed.get(key);
    if (assumed === undefined) return cached;
    // The informer has caught up: the assumption is no longer needed.
    if (assumed.length === cached.length && assumed.every((k) => cached.includes(k))) deps.assumed.delete(key);
    return assumed;
  });
}

export function decide(deps: NamespaceDeps, ns: KubeObject): Decision {
  const cluster = clusterOf(ns);
  const placement = winningPlacement(deps.placements.cluster(cluster).list(), ns);
  if (!placement) return { kind: 'unplaced', reason: 'no Placement with a Location selects this namespace' };
  const ref = placement.status!.selectedLocation!;
  const location = deps.locations.cluster(ref.path).get(ref.locationName);
  if (!location) return { kind: 'unplaced', reason: `Location ${ref.locationName} of workspace ${ref.path} does not exist` };
  const instances = instancesOf(location, deps.syncTargets.cluster(ref.path).list()).map((st) => ({ st, key: toSyncTargetKey(ref.path, st.metadata.name ?? '') }));
  const have = currentKeys(ns);
  const leaving = leavingKeys(ns);
  const now = deps.now();
  const candidates = instances.filter((i) => isSchedulable(i.st, now) && !leaving.has(i.key));
  const leastLoaded = (among: typeof candidates) => {
    const loads = placedKeys(deps);
    const scored = among.map((c) => ({ ...c, load: loads.filter((keys) => keys.includes(c.key)).length }));
    scored.sort((a, b) => a.load - b.load || ((a.st.metadata.name ?? '') < (b.st.metadata.name ?? '') ? -1 : 1));
    return scored[0];
  };

  const current = instances.find((i) => have.includes(i.key) && !i.st.metadata.deletionTimestamp);
  if (current) {
    const eviction = evictionOf(current.st, now, deps.evictionGraceMs);
    if (!eviction.due) {
      return { kind: 'placed', placement, syncTarget: current.st, key: current.key, kept: true, ...(eviction.at !== undefined ? { recheckAt: eviction.at } : {}) };
    }
    const next = leastLoaded(candidates.filter((c) => c.key !== current.key));
    if (!next) {
      return {
        kind: 'placed', placement, syncTarget: current.st, key: current.key, kept: true,
        blocked: `${eviction.reason}, but no other Ready, schedulable SyncTarget of Location ${ref.locationName} (workspace ${ref.path}) can take the namespace: it stays`,
      };
    }
    return { kind: 'placed', placement, syncTarget: next.st, key: next.key, kept: false, from: { key: current.key, syncTarget: current.st, reason: eviction.reason } };
  }
  const best = leastLoaded(candidates);
  if (!best) return { kind: 'unplaced', reason: `Location ${ref.locationName} of workspace ${ref.path} has no Ready, schedulable SyncTarget` };
  // Placed on a SyncTarget that is no instance any more (deleted, relabelled, Location changed): a move too.
  const old = have[0];
  const from = old !== undefined
    ? { key: old, syncTarget: deps.syncTargets.list().find((st) => toSyncTargetKey(clusterOf(st), st.metadata.name ?? '') === old), reason: `its SyncTarget (key ${old}) is no longer a usable instance of Location ${ref.locationName}` }
    : undefined;
  return { kind: 'placed', placement, syncTarget: best.st, key: best.key, kept: false, ...(from ? { from } : {}) };
}
