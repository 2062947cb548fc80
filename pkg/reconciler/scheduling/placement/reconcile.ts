// The Placement reconcile: resolve the Location workspace, pick ONE Location (the selected one
// while it still matches, else the first match by name), then derive the phase from the
// namespaces it places: Pending (no Location), Unbound (Location, no namespace), Bound.
//
// Location workspace access: kplane allows only the Placement's own workspace. kcp let a user
// use another workspace's Locations when RBAC allowed it; doing that properly needs the
// creating user recorded on the Placement and an access review as that user, which kplane does
// not have yet, so any other workspace is refused with a condition (never a silent Pending).
import { type Condition, falseCondition, setCondition, trueCondition } from '../../../conditions/conditions.ts';
import { clusterOf } from '../../../client/object.ts';
import type { Placement, PlacementStatus } from '../../../client/index.ts';
import { splitKey } from '../../../informer/keys.ts';
import { locationWorkspaceOf, matchingLocations, placementSelectsNamespace, winningPlacement } from '../shared/selection.ts';
import { commitPlacementStatus } from './status.ts';
import {
  COND_NAMESPACES_OWNED, COND_READY, type PlacementDeps, REASON_LOCATION_INVALID, REASON_LOCATION_NO_MATCH,
  REASON_LOCATION_NOT_FOUND, REASON_PLACED_ELSEWHERE, REASON_WORKSPACE_FORBIDDEN,
} from './types.ts';

export interface PlacementOutcome {
  summary: string;
  wroteStatus: boolean;
}

export async function reconcilePlacement(deps: PlacementDeps, key: string, signal: AbortSignal): Promise<PlacementOutcome> {
  const { cluster, name } = splitKey(key);
  const original = deps.placements.cluster(cluster).get(name);
  if (!original) return { summary: 'gone', wroteStatus: false };
  if (original.metadata.deletionTimestamp) return { summary: 'being deleted', wroteStatus: false };
  const status = computeStatus(deps, original);
  const wroteStatus = await commitPlacementStatus(deps, original, status, signal);
  return { summary: `phase=${status.phase}`, wroteStatus };
}

/** The status the Placement should have given the caches (pure apart from the clock). */
export function computeStatus(deps: PlacementDeps, placement: Placement): PlacementStatus {
  const now = deps.now();
  const cluster = clusterOf(placement);
  const conditions: Condition[] = structuredClone((placement.status?.conditions ?? []) as Condition[]);
  const workspace = locationWorkspaceOf(placement);
  const previous = placement.status?.selectedLocation;

  if (workspace !== cluster) {
    setCondition(conditions, falseCondition(COND_READY, REASON_WORKSPACE_FORBIDDEN, 'Error',
      `Locations of workspace ${JSON.stringify(workspace)} cannot be used: kplane allows only the Placement's own workspace ${JSON.stringify(cluster)}`), now);
    conditions.splice(0, conditions.length, ...conditions.filter((c) => c.type !== COND_NAMESPACES_OWNED));
    return { phase: 'Pending', conditions };
  }

  const locations = deps.locations.cluster(workspace).list().filter((l) => !l.metadata.deletionTimestamp);
  const matching = matchingLocations(placement, locations);
  const kept = previous && previous.path === workspace ? matching.find((l) => l.metadata.name === previous.locationName) : undefined;
  const chosen = kept ?? matching[0];
  if (!chosen) {
    const reason = previous ? REASON_LOCATION_INVALID : locations.length === 0 ? REASON_LOCATION_NOT_FOUND : REASON_LOCATION_NO_MATCH;
    const message = reason === REASON_LOCATION_NOT_FOUND
      ? `No Location exists in workspace ${workspace}`
      : `No Location in workspace ${workspace} matches spec.locationSelectors`;
    setCondition(conditions, falseCondition(COND_READY, reason, 'Error', message), now);
    conditions.splice(0, conditions.length, ...conditions.filter((c) => c.type !== COND_NAMESPACES_OWNED));
    return { phase: 'Pending', conditions };
  }
  setCondition(conditions, trueCondition(COND_READY), now);
  const selectedLocation = { path: workspace, locationName: chosen.metadata.name ?? '' };

  // Who wins each selected namespace, judged with this Placement's new status in place.
  const draft: Placement = { ...placement, status: { ...placement.status, selectedLocation } };
  const siblings = deps.placements.cluster(cluster).list().map((p) => (p.metadata.name === placement.metadata.name ? draft : p));
  const selected = deps.namespaces.cluster(cluster).list().filter((ns) => placementSelectsNamespace(placement, ns));
  const won: string[] = [];
  const lost: string[] = [];
  for (const ns of selected) {
    const winner = winningPlacement(siblings, ns);
    if (winner?.metadata.name === placement.metadata.name) won.push(ns.metadata.name ?? '');
    else lost.push(`${ns.metadata.name} (placed by ${winner?.metadata.name})`);
  }
  if (lost.length === 0) setCondition(conditions, trueCondition(COND_NAMESPACES_OWNED), now);
  else {
    setCondition(conditions, falseCondition(COND_NAMESPACES_OWNED, REASON_PLACED_ELSEWHERE, 'Warning',
      `Namespaces also selected by an older Placement are placed by it: ${lost.sort().join(', ')}`), now);
  }
  return { phase: won.length > 0 ? 'Bound' : 'Unbound', selectedLocation, conditions };
}
