// What the namespace scheduler sees: the shared caches, the client, the clock and the
// eviction grace.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import type { KubeObject, Location, Placement, SyncTarget } from '../../../client/index.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import type { Lister } from '../../../informer/lister.ts';
import type { SyncedObjectsView } from '../shared/synced-objects.ts';

export const CONTROLLER_NAME = 'kplane-scheduling-namespace';
/** The value of `state.workload.kcp.io/<key>` on a namespace placed on that SyncTarget. */
export const STATE_SYNC = 'Sync';

export interface NamespaceDeps {
  clusterClient: ClusterClient;
  namespaces: Lister<KubeObject>;
  placements: Lister<Placement>;
  locations: Lister<Location>;
  syncTargets: Lister<SyncTarget>;
  /** The namespace's objects of synced types: whether a syncer has synced any of them. */
  synced: SyncedObjectsView;
  recorder: EventRecorder;
  now: () => number;
  /** --eviction-grace: how long a SyncTarget's syncer may be down before its namespaces move (and its departures are finished without it). */
  evictionGraceMs: number;
  /**
   * Placements written but maybe not yet seen by the informer (kube-scheduler's "assumed"
   * pods), by namespace key: without them two namespaces scheduled back to back would both
   * count the same loads from the cache and land on the same SyncTarget.
   */
  assumed: Map<string, string[]>;
  /** The last "cannot move" message Evented per namespace key, so a blocked namespace is told once per cause. */
  blocked: Map<string, string>;
}
