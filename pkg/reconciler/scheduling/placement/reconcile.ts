// The Placement reconcile: resolve the Location workspace, pick ONE Location (the selected one
// while it still matches, else the first match by name), then derive the phase from the
// namespaces it places: Pending (no Location), Unbound (Location, no namespace), Bound.
//
// Location workspace access (kcp's rule: the placing user must be allowed to use the
// Locations): the own workspace always; another one only when the user the API server recorded
// as the Placement's creator may list Locations there, asked through an access review
// impersonating that user. Refusal is a condition, never a silent Pending.
import { type Condition, copyConditions, falseCondition, setCondition, trueCondition } from '../../../conditions/conditions.ts';
import { parsePlacementCreator } from '../../../../apis/scheduling/v1alpha1/creator.ts';
import { isForbidden } from '../../../client/errors.ts';
import { clusterOf } from '../../../client/object.ts';
import type { Placement, PlacementStatus } from '../../../client/index.ts';
import { splitKey } from '../../../informer/keys.ts';
import { locationWorkspaceOf, matchingLocations, placementSelectsNamespace, winningPlacement } from '../shared/selection.ts';
import { commitPlacementStatus } from './status.ts';
import {
  COND_NAMESPACES_OWNED, COND_READY, type PlacementDeps, REASON_LOCATION_INVALID, REASON_LOCATION_NO_MATCH,
  REASON_LOCATION_NOT_FOUND, REASON_PLACED_ELSEWHERE, REASON_WORKSPACE_FORBIDDEN, type WorkspaceAccess,
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
  const access = await workspaceAccess(deps, original, signal);
  const status = computeStatus(deps, original, access);
  const wroteStatus = await commitPlacementStatus(deps, original, status, signal);
  return { summary: `phase=${status.phase}`, wroteStatus };
}

/** May the Placement use the Locations of its location workspace? Errors are transient (retried). */
export async function workspaceAccess(deps: PlacementDeps, placement: Placement, signal: AbortSignal): Promise<WorkspaceAccess> {
  const workspace = locationWorkspaceOf(placement);
  if (workspace === clusterOf(placement)) return { allowed: true };
  const creator = parsePlacementCreator(placement.metadata.annotations);
  if (!creator) return { allowed: false, message: `the Placement has no recorded creator, so Locations of workspace ${workspace} cannot be used` };
  const denied = { allowed: false, message: `user ${JSON.stringify(creator.username)}, who created the Placement, may not list Locations in workspace ${workspace}` };
  let review: { allowed: boolean };
  try {
    review = await deps.clusterClient.cluster(workspace).accessReview(creator, { verb: 'list', group: 'scheduling.kcp.io', resource: 'locations' }, { signal });
  } catch (err) {
    // A user without any access to the workspace may not even ask there: that is a "no".
    // A refusal to impersonate is our own misconfiguration and stays an error.
    if (isForbidden(err) && !/impersonate/i.test(err instanceof Error ? err.message : '')) return denied;
    throw err;
  }
  if (review.allowed) return { allowed: true };
  return denied;
}

/** The status the Placement should have given the caches and the access verdict (pure apart from the clock). */
export function computeStatus(deps: PlacementDeps, placement: Placement, access: WorkspaceAccess = { allowed: true }): PlacementStatus {
  const now = deps.now();
  const cluster = clusterOf(placement);
  const conditions = copyConditions(placement.status?.conditions as Condition[] | undefined);
  const workspace = locationWorkspaceOf(placement);
  const previous = placement.status?.selectedLocation;

  if (!access.allowed) {
    setCondition(conditions, falseCondition(COND_READY, REASON_WORKSPACE_FORBIDDEN, 'Error', access.message ?? `Locations of workspace ${workspace} may not be used`), now);
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
