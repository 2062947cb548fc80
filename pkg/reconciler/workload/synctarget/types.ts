// What every step of the SyncTarget reconcile sees: the object as listed (read-only), a
// draft whose status the steps edit, and narrow collaborators (listers, client, clock).
import type { Condition } from '../../../conditions/conditions.ts';
import type { ClusterClient } from '../../../client/clusterclient.ts';
import type { KubeObject, SyncTarget } from '../../../client/index.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import type { Logger } from '../../../log/logger.ts';
import type { Lister } from '../../../informer/lister.ts';
import type { SyncerDeployer } from './deployer.ts';
import type { HeartbeatTracker } from '../heartbeat/heartbeat-tracker.ts';

export const CONTROLLER_NAME = 'kplane-synctarget';
export { SYNC_TARGET_FINALIZER as FINALIZER } from '../../../../apis/workload/v1alpha1/synctarget.ts';
export { SYNC_TARGET_KEY_LABEL as KEY_LABEL } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
/** Set to "true" to finish a deletion even though the physical cluster cannot be cleaned. */
export const FORCE_DELETE_ANNOTATION = 'workload.kcp.io/force-delete';

export const COND_READY = 'Ready';
export const COND_VALID = 'Valid';
export const COND_SYNCER_DEPLOYED = 'SyncerDeployed';
export const COND_HEARTBEAT = 'HeartbeatHealthy';
export const COND_AUTHORIZED = 'SyncerAuthorized';

/**
 * What judges heartbeats (../heartbeat/judge.ts): the tracker of observed beats and the
 * threshold. Declared here so this package's types need nothing else from the heartbeat one.
 */
export interface HeartbeatJudge {
  heartbeats: HeartbeatTracker;
  thresholdMs: number;
  /**
   * The heartbeat Lease of a SyncTarget's syncer, from the Lease cache (syncers started with
   * `--heartbeat-lease` renew it instead of patching status every period). Absent: status only.
   */
  leaseOf?: (st: SyncTarget) => HeartbeatLeaseView | undefined;
}

/** What the judge reads of a heartbeat Lease. */
export interface HeartbeatLeaseView {
  spec?: { renewTime?: string | undefined } | undefined;
}

export interface Listers {
  syncTargets: Lister<SyncTarget>;
  secrets: Lister<KubeObject>;
  serviceAccounts: Lister<KubeObject>;
  clusterRoles: Lister<KubeObject>;
  clusterRoleBindings: Lister<KubeObject>;
}

export interface Deps {
  clusterClient: ClusterClient;
  listers: Listers;
  recorder: EventRecorder;
  logger: Logger;
  now: () => number;
  deployer: SyncerDeployer;
  /**
   * kplane's URL as syncers reach it (the one their kubeconfigs name): status.virtualWorkspaces
   * records the SyncTarget's syncer view under it, as kcp records its syncer virtual workspace.
   */
  kplaneURL: string;
  /** How many failed physical-cluster clean-ups before the Deleting phase says so. */
  maxUndeployAttempts: number;
  /** Failed clean-up attempts per key (kept in memory; a restart starts counting again). */
  undeployAttempts: Map<string, number>;
  /**
   * Token Secrets this controller wrote that its cache may not show yet, per key: the Secret
   * (`namespace/name`), the ServiceAccount uid its token was minted for and the version written
   * (reconcile-identity.ts). An entry goes once the cache shows that version or a later one,
   * or the SyncTarget is gone.
   */
  mintedTokens: Map<string, { secret: string; saUid: string; resourceVersion: string }>;
  /**
   * The heartbeat controller's judge when it runs in the same manager: the statuses this
   * controller writes then carry the current heartbeat verdict (status.ts computeStatus).
   * Without it HeartbeatHealthy is carried over as stored.
   */
  heartbeat?: HeartbeatJudge;
}

export interface StepContext {
  key: string;
  /**
   * The API client for this reconcile, bound to its AbortSignal: every call a step makes is
   * cut off when the reconcile times out, the controller stops or leadership is lost.
   */
  client: ClusterClient;
  signal: AbortSignal;
  cluster: string;
  name: string;
  /** As listed; never mutated. */
  original: SyncTarget;
  /** The working copy: steps update draft.status and (after metadata writes) draft.metadata. */
  draft: SyncTarget;
  conditions: Condition[];
  /** Set by the finalizer step when the object is gone (finalizer removed). */
  gone: boolean;
  /** Secrets read from the server during this reconcile (secrets.ts), by `namespace/name`. */
  secretReads?: Map<string, KubeObject | undefined>;
  /** Why a deletion is stuck, for the Deleting phase's message. */
  deletingMessage?: string;
  deps: Deps;
}
