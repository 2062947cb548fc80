// The scheduling rules the three scheduling controllers share, as pure functions over cached
// objects: which workspace a Placement takes Locations from, which Locations and namespaces it
// selects, which SyncTargets a Location holds and which of them can take new work, and which
// Placement wins a namespace two of them select. Keeping them in one place means the
// Placement's status and the namespace scheduler can never disagree about a winner.
import { SYNC_TARGETS } from '../../../../apis/scheduling/v1alpha1/common.ts';
import { clusterOf, type KubeObject } from '../../../client/object.ts';
import type { Location, Placement, SyncTarget } from '../../../client/index.ts';
import { labelsMatch, labelSelectorFromMeta, type MetaLabelSelector } from '../../../labels/index.ts';

/** The condition kplane's SyncTarget controller summarises readiness into. */
const READY = 'Ready';

/** The workspace whose Locations a Placement selects from: spec.locationWorkspace or its own. */
export function locationWorkspaceOf(placement: Placement): string {
  return placement.spec?.locationWorkspace || clusterOf(placement);
}

/**
 * A metav1.LabelSelector's verdict on labels. A missing selector matches nothing, an empty
 * one everything (LabelSelectorAsSelector). The API rejects invalid selectors, so a throw
 * here means stored data predates validation: treated as matching nothing.
 */
export function selectorMatches(selector: MetaLabelSelector | undefined, labels: Record<string, string> | undefined): boolean {
  return compileSelector(selector)(labels);
}

/**
 * selectorMatches with the selector parsed once: a Location's instanceSelector is judged
 * against every SyncTarget of its workspace on each recount, and parsing it per target was
 * most of that recount's cost.
 */
export function compileSelector(selector: MetaLabelSelector | undefined): (labels: Record<string, string> | undefined) => boolean {
  if (selector === undefined) return () => false;
  let parsed: ReturnType<typeof labelSelectorFromMeta>;
  try {
    parsed = labelSelectorFromMeta(selector);
  } catch {
    // Deliberately not an error: an unparseable selector selects nothing (see above).
    return () => false;
  }
  return (labels) => labelsMatch(parsed, labels ?? {});
}

function isSyncTargetResource(gvr: { group?: string; version?: string; resource?: string } | undefined): boolean {
  return (gvr?.group ?? '') === SYNC_TARGETS.group && gvr?.version === SYNC_TARGETS.version && gvr?.resource === SYNC_TARGETS.resource;
}

/** Locations of one workspace that a Placement's selectors (ORed) pick, sorted by name. */
export function matchingLocations(placement: Placement, locations: Location[]): Location[] {
  if (!isSyncTargetResource(placement.spec?.locationResource)) return [];
  const selectors = (placement.spec?.locationSelectors ?? []).map(compileSelector);
  return locations
    .filter((l) => isSyncTargetResource(l.spec?.resource))
    .filter((l) => selectors.some((matches) => matches(l.metadata.labels)))
    .sort(byName);
}

export function placementSelectsNamespace(placement: Placement, namespace: KubeObject): boolean {
  return selectorMatches(placement.spec?.namespaceSelector, namespace.metadata.labels);
}

/** SyncTargets of the Location's workspace its instanceSelector picks. */
export function instancesOf(location: Location, syncTargets: SyncTarget[]): SyncTarget[] {
  const matches = compileSelector(location.spec?.instanceSelector);
  return syncTargets.filter((st) => matches(st.metadata.labels)).sort(byName);
}

/**
 * How many SyncTargets the Location holds and how many of them are schedulable: instancesOf's
 * counts in one pass, with no array built and none sorted (a Location's status needs only the
 * numbers, and a workspace's Locations are recounted on every readiness change of its targets).
 */
export function countInstances(location: Location, syncTargets: SyncTarget[], nowMs: number): { instances: number; availableInstances: number } {
  const matches = compileSelector(location.spec?.instanceSelector);
  let instances = 0;
  let availableInstances = 0;
  for (const st of syncTargets) {
    if (!matches(st.metadata.labels)) continue;
    instances++;
    if (isSchedulable(st, nowMs)) availableInstances++;
  }
  return { instances, availableInstances };
}

/** Ready, not cordoned, not being evicted, not being deleted: may take new namespaces. */
export function isSchedulable(st: SyncTarget, nowMs: number): boolean {
  if (st.metadata.deletionTimestamp) return false;
  if (st.spec?.unschedulable) return false;
  const evictAfter = st.spec?.evictAfter ? Date.parse(st.spec.evictAfter) : NaN;
  if (Number.isFinite(evictAfter) && evictAfter <= nowMs) return false;
  return (st.status?.conditions ?? []).some((c) => c.type === READY && c.status === 'True');
}

/** A Placement that has chosen a Location (Unbound or Bound) can claim namespaces. */
export function hasLocation(placement: Placement): boolean {
  return placement.status?.selectedLocation !== undefined && !placement.metadata.deletionTimestamp;
}

/**
 * The Placement that places `namespace`, among the Placements of its workspace: those with a
 * selected Location whose namespaceSelector matches. Two or more → the oldest wins, then the
 * smallest name: deterministic, and stable when a newer Placement is added.
 */
export function winningPlacement(placements: Placement[], namespace: KubeObject): Placement | undefined {
  const candidates = placements.filter((p) => hasLocation(p) && placementSelectsNamespace(p, namespace));
  candidates.sort((a, b) => {
    const ta = a.metadata.creationTimestamp ?? '';
    const tb = b.metadata.creationTimestamp ?? '';
    if (ta !== tb) return ta < tb ? -1 : 1;
    return byName(a, b);
  });
  return candidates[0];
}

function byName(a: KubeObject, b: KubeObject): number {
  const na = a.metadata.name ?? '';
  const nb = b.metadata.name ?? '';
  return na < nb ? -1 : na > nb ? 1 : 0;
}
