// Placement status write (PUT /status with the resourceVersion read; nothing when equal) and
// the Events that tell `kubectl describe placement` what changed: Location selected or lost,
// a namespace conflict appearing.
import { isDeepStrictEqual } from 'node:util';
import type { Condition } from '../../../conditions/conditions.ts';
import type { Placement, PlacementStatus } from '../../../client/index.ts';
import { clusterOf } from '../../../client/object.ts';
import { COND_NAMESPACES_OWNED, type PlacementDeps } from './types.ts';

export async function commitPlacementStatus(deps: PlacementDeps, original: Placement, status: PlacementStatus, signal: AbortSignal): Promise<boolean> {
  if (isDeepStrictEqual(original.status ?? {}, status)) return false;
  const updated = await deps.clusterClient.cluster(clusterOf(original)).placements().updateStatus({ ...original, status }, { signal });
  const before = original.status?.selectedLocation;
  const after = status.selectedLocation;
  if (after && (before?.path !== after.path || before.locationName !== after.locationName)) {
    await deps.recorder.event(updated, 'Normal', 'LocationSelected', `Location ${after.locationName} of workspace ${after.path} selected`);
  } else if (before && !after) {
    const ready = (status.conditions as Condition[] | undefined)?.find((c) => c.type === 'Ready');
    await deps.recorder.event(updated, 'Warning', 'LocationLost', ready?.message ?? 'No Location is selected any more');
  }
  const owned = (c: PlacementStatus | undefined) => (c?.conditions as Condition[] | undefined)?.find((x) => x.type === COND_NAMESPACES_OWNED);
  const ownedAfter = owned(status);
  if (ownedAfter?.status === 'False' && ownedAfter.message !== owned(original.status)?.message) {
    await deps.recorder.event(updated, 'Warning', 'NamespacesPlacedElsewhere', ownedAfter.message ?? '');
  }
  return true;
}
