// What the spec (down) and status (up) controllers share: who the syncer is, the two sides'
// clients and informers, and the health the heartbeat reports.
import type { ClusterClient, ScopedClient } from '../../client/clusterclient.ts';
import type { KubeObject } from '../../client/object.ts';
import type { SharedInformer } from '../../informer/informer.ts';
import type { Logger } from '../../log/logger.ts';
import type { SyncHealth } from './health.ts';
import type { SyncTargetIdentity } from './locator.ts';
import type { SyncedType } from './types.ts';

export interface TypeInformers {
  type: SyncedType;
  /** Upstream, through the syncer view: objects labelled for this SyncTarget, every workspace. */
  up: SharedInformer<KubeObject>;
  /** Downstream: objects labelled `internal.workload.kcp.io/cluster=<key>`. */
  down: SharedInformer<KubeObject>;
}

export interface SyncContext {
  me: SyncTargetIdentity;
  /** kplane, through the syncer view (`cluster(path)` for writes, `wildcard()` for list/watch). */
  upstream: ClusterClient;
  /** The physical cluster (plain Kubernetes paths). */
  downstream: ScopedClient;
  upNamespaces: SharedInformer<KubeObject>;
  downNamespaces: SharedInformer<KubeObject>;
  /** By SyncedType.name. */
  types: Map<string, TypeInformers>;
  health: SyncHealth;
  logger: Logger;
  now: () => number;
}
