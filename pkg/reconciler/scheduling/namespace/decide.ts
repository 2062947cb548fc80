// The scheduling decision for one namespace, pure over the caches: which SyncTarget (by key)
// it should be placed on, or none. A namespace stays where it is while its SyncTarget is still
// an instance of the winning Placement's Location (moving away from a failed target is
// rescheduling, not done here); otherwise it goes to the schedulable instance with the fewest
// namespaces already placed on it, ties broken by name.
import { STATE_LABEL_PREFIX, toSyncTargetKey } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
import { clusterOf, type KubeObject } from '../../../client/object.ts';
import { keyOf } from '../../../informer/keys.ts';
import type { Placement, SyncTarget } from '../../../client/index.ts';
import { instancesOf, isSchedulable, winningPlacement } from '../shared/selection.ts';
import type { NamespaceDeps } from './types.ts';

export type Decision =
  | { kind: 'unplaced'; reason: string }
  | { kind: 'placed'; placement: Placement; syncTarget: SyncTarget; key: string; kept: boolean };

export function currentKeys(ns: KubeObject): string[] {
  return Object.keys(ns.metadata.labels ?? {}).filter((l) => l.startsWith(STATE_LABEL_PREFIX)).map((l) => l.slice(STATE_LABEL_PREFIX.length));
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
  const have = new Set(currentKeys(ns));
  const kept = instances.find((i) => have.has(i.key) && !i.st.metadata.deletionTimestamp);
  if (kept) return { kind: 'placed', placement, syncTarget: kept.st, key: kept.key, kept: true };
  const now = deps.now();
  const candidates = instances.filter((i) => isSchedulable(i.st, now));
  if (candidates.length === 0) return { kind: 'unplaced', reason: `Location ${ref.locationName} of workspace ${ref.path} has no Ready, schedulable SyncTarget` };
  const load = (key: string) => placedKeys(deps).filter((keys) => keys.includes(key)).length;
  const scored = candidates.map((c) => ({ ...c, load: load(c.key) }));
  scored.sort((a, b) => a.load - b.load || ((a.st.metadata.name ?? '') < (b.st.metadata.name ?? '') ? -1 : 1));
  const best = scored[0]!;
  return { kind: 'placed', placement, syncTarget: best.st, key: best.key, kept: false };
}
