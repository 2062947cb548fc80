// What the namespace scheduler sees: the shared caches and the client.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import type { KubeObject, Location, Placement, SyncTarget } from '../../../client/index.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import type { Lister } from '../../../informer/lister.ts';

export const CONTROLLER_NAME = 'kplane-scheduling-namespace';
/** The value of `state.workload.kcp.io/<key>` on a namespace placed on that SyncTarget. */
export const STATE_SYNC = 'Sync';

export interface NamespaceDeps {
  clusterClient: ClusterClient;
  namespaces: Lister<KubeObject>;
  placements: Lister<Placement>;
  locations: Lister<Location>;
  syncTargets: Lister<SyncTarget>;
  recorder: EventRecorder;
  now: () => number;
  /**
   * Placements written but maybe not yet seen by the informer (kube-scheduler's "assumed"
   * pods), by namespace key: without them two namespaces scheduled back to back would both
   * count the same loads from the cache and land on the same SyncTarget.
   */
  assumed: Map<string, string[]>;
}
