// The Location reconcile, one workspace per key: create Location `default` (selecting every
// SyncTarget) when the workspace has SyncTargets and no Location, then bring every Location's
// instance counts and Labels annotation up to date. Writes happen only on change.
import { LOCATION_LABELS_ANNOTATION } from '../../../../apis/scheduling/v1alpha1/location.ts';
import { SYNC_TARGETS } from '../../../../apis/scheduling/v1alpha1/common.ts';
import { isAlreadyExists } from '../../../client/errors.ts';
import type { Location, SyncTarget } from '../../../client/index.ts';
import { countInstances } from '../shared/selection.ts';
import { commitLocationStatus } from './status.ts';
import { DEFAULT_LOCATION, type LocationDeps } from './types.ts';

export interface LocationOutcome {
  createdDefault: boolean;
  statusWrites: number;
  /** Count again at this time (ms since the epoch): a SyncTarget's spec.evictAfter arrives. */
  recheckAt?: number;
}

/** The earliest spec.evictAfter still in the future: availableInstances drops then, with no event to say so. */
export function nextEviction(syncTargets: SyncTarget[], nowMs: number): number | undefined {
  let next: number | undefined;
  for (const st of syncTargets) {
    const at = st.spec?.evictAfter ? Date.parse(st.spec.evictAfter) : NaN;
    if (Number.isFinite(at) && at > nowMs && (next === undefined || at < next)) next = at;
  }
  return next;
}

export async function reconcileWorkspaceLocations(deps: LocationDeps, cluster: string, signal: AbortSignal): Promise<LocationOutcome> {
  const client = deps.clusterClient.cluster(cluster);
  const syncTargets = deps.syncTargets.cluster(cluster).list();
  let locations = deps.locations.cluster(cluster).list();
  let createdDefault = false;
  if (locations.length === 0 && syncTargets.length > 0) {
    const location: Location = {
      apiVersion: 'scheduling.kcp.io/v1alpha1',
      kind: 'Location',
      metadata: { name: DEFAULT_LOCATION, annotations: { [LOCATION_LABELS_ANNOTATION]: '' } },
      spec: { resource: { ...SYNC_TARGETS }, instanceSelector: {} },
    };
    try {
      const created = await client.locations().create(location, { signal });
      await deps.recorder.event(created, 'Normal', 'DefaultLocationCreated', 'Location "default" selecting every SyncTarget of this workspace was created for the first SyncTarget');
      locations = [created];
      createdDefault = true;
    } catch (err) {
      // Another writer (a second replica, a user) got there first: its object is used next time.
      if (!isAlreadyExists(err)) throw err;
      return { createdDefault: false, statusWrites: 0 };
    }
  }
  let statusWrites = 0;
  const now = deps.now();
  for (const location of locations) {
    if (location.metadata.deletionTimestamp) continue;
    const status = countInstances(location, syncTargets, now);
    let current = location;
    const labels = formatLabels(location.metadata.labels);
    if ((location.metadata.annotations?.[LOCATION_LABELS_ANNOTATION] ?? undefined) !== labels) {
      current = await client.locations().patch(location.metadata.name ?? '', 'merge', { metadata: { annotations: { [LOCATION_LABELS_ANNOTATION]: labels } } }, { signal });
    }
    if (await commitLocationStatus(deps, cluster, current, status, signal)) statusWrites++;
  }
  const recheckAt = nextEviction(syncTargets, now);
  return { createdDefault, statusWrites, ...(recheckAt !== undefined ? { recheckAt } : {}) };
}

/** labels.FormatLabels without `<none>`: sorted `k=v` joined by commas. */
export function formatLabels(labels: Record<string, string> | undefined): string {
  return Object.keys(labels ?? {}).sort().map((k) => `${k}=${labels![k]}`).join(',');
}
