// What the resource labeller sees: the shared caches (namespaces, SyncTargets, the
// metadata-only caches of synced types), the client, the clock and the eviction grace.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import type { KubeObject, SyncTarget } from '../../../client/index.ts';
import type { Lister } from '../../../informer/lister.ts';
import type { SyncedObjectsView } from '../shared/synced-objects.ts';

export const CONTROLLER_NAME = 'kplane-scheduling-resource';

export interface ResourceDeps {
  clusterClient: ClusterClient;
  namespaces: Lister<KubeObject>;
  syncTargets: Lister<SyncTarget>;
  synced: SyncedObjectsView;
  now: () => number;
  /** --eviction-grace: how long a departure waits for a syncer that is down before the fallback. */
  evictionGraceMs: number;
}
