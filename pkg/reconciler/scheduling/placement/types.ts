// What the Placement reconcile sees: the shared caches and the client.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import type { KubeObject, Location, Placement } from '../../../client/index.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import type { Lister } from '../../../informer/lister.ts';

export const CONTROLLER_NAME = 'kplane-scheduling-placement';

/** kcp's PlacementReady: a valid Location is selected. */
export const COND_READY = 'Ready';
/** kplane's: every namespace the Placement selects is placed by it (none lost to an older Placement). */
export const COND_NAMESPACES_OWNED = 'NamespacesOwned';

export const REASON_LOCATION_NOT_FOUND = 'LocationNotFound';
export const REASON_LOCATION_NO_MATCH = 'LocationNoMatch';
export const REASON_LOCATION_INVALID = 'LocationInvalid';
export const REASON_WORKSPACE_FORBIDDEN = 'LocationWorkspaceForbidden';
export const REASON_PLACED_ELSEWHERE = 'NamespacesPlacedElsewhere';

/** The verdict on using another workspace's Locations (always allowed for the own workspace). */
export interface WorkspaceAccess {
  allowed: boolean;
  message?: string;
}

export interface PlacementDeps {
  clusterClient: ClusterClient;
  placements: Lister<Placement>;
  locations: Lister<Location>;
  namespaces: Lister<KubeObject>;
  recorder: EventRecorder;
  now: () => number;
}
