// The seam between the reconciler's deploy step and the code that renders the syncer's
// manifests and applies them to a physical cluster (pkg/syncer/deploy). An interface so that
// step tests can pass an object literal; the real one is wired in the controller manager.
import type { SyncTarget } from '../../../client/index.ts';

export interface DeployRequest {
  syncTarget: SyncTarget;
  /** Logical cluster (workspace) of the SyncTarget. */
  cluster: string;
  /** Kubeconfig text for the physical cluster (from spec.kubeconfigSecretRef). */
  physicalKubeconfig: string;
  /** Bearer token of the syncer identity, for the kubeconfig the syncer gets. */
  token: string;
  /** The reconcile's signal: calls to the physical cluster are cut off when it aborts. */
  signal?: AbortSignal;
}

export interface DeployStatus {
  /** The syncer Deployment exists and is available. */
  available: boolean;
  /** CamelCase reason for the SyncerDeployed condition. */
  reason: string;
  message: string;
}

export interface SyncerDeployer {
  /**
   * Apply (idempotently) and report availability. Throws DeployError when the physical cluster
   * cannot be reached or refuses (its `reason` goes into SyncerDeployed), RequestAbortedError
   * when `signal` aborted the work.
   */
  deploy(req: DeployRequest): Promise<DeployStatus>;
  /** Remove everything deploy created, in reverse order; missing objects are fine. */
  undeploy(req: Omit<DeployRequest, 'token'>): Promise<void>;
}
