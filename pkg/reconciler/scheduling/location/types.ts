// What the Location reconcile sees: the shared caches and the client.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import type { Location, SyncTarget } from '../../../client/index.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import type { Lister } from '../../../informer/lister.ts';

export const CONTROLLER_NAME = 'kplane-scheduling-location';
/** The Location created in a workspace that has SyncTargets but no Location (as kcp did). */
export const DEFAULT_LOCATION = 'default';

export interface LocationDeps {
  clusterClient: ClusterClient;
  locations: Lister<Location>;
  syncTargets: Lister<SyncTarget>;
  recorder: EventRecorder;
  now: () => number;
}
