// What the resource labeller sees: the shared caches (one lister per syncable type) and the client.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import type { GVR } from '../../../client/gvr.ts';
import type { KubeObject, SyncTarget } from '../../../client/index.ts';
import type { Lister } from '../../../informer/lister.ts';

export const CONTROLLER_NAME = 'kplane-scheduling-resource';

export interface SyncableType {
  gvr: GVR;
  lister: Lister<KubeObject>;
}

export interface ResourceDeps {
  clusterClient: ClusterClient;
  namespaces: Lister<KubeObject>;
  syncTargets: Lister<SyncTarget>;
  types: SyncableType[];
}
