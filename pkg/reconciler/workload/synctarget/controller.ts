// The SyncTarget controller: informers (SyncTargets everywhere, plus the Secrets and identity
// objects they depend on), handlers that only turn events into keys, a rate-limited work
// queue, and workers that run reconcileSyncTarget. Keys are `<cluster>|<name>`.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import { ClusterRoleBindingGVR, ClusterRoleGVR, SecretGVR, ServiceAccountGVR, SyncTargetGVR } from '../../../client/gvr.ts';
import { clusterOf, type KubeObject } from '../../../client/object.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { Controller } from '../../../controller/runner.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import { deletedObject, type EventHandler } from '../../../informer/handlers.ts';
import type { SharedInformerFactory } from '../../../informer/factory.ts';
import { clusterKey, keyOf } from '../../../informer/keys.ts';
import type { Logger } from '../../../log/logger.ts';
import type { ControllerMetrics } from '../../../controller/metrics-hooks.ts';
import { RateLimitingQueue } from '../../../workqueue/rate-limiting-queue.ts';
import { isSyncTargetOwnerRef } from '../../../syncer/manifests/identity-apply.ts';
import type { QueueMetricsProvider } from '../../../workqueue/metrics-hooks.ts';
import type { SyncerDeployer } from './deployer.ts';
import { reconcileSyncTarget } from './reconcile.ts';
import { SECRET_SELECTOR, tokenSecretForm } from './secrets.ts';
import { CONTROLLER_NAME, type Deps } from './types.ts';
import type { HeartbeatJudge } from '../heartbeat/judge.ts';
import { heartbeatOf } from '../heartbeat/judge.ts';
import { beatOnlyChange, verdictOnlyChange } from './beat-only.ts';

/** Index of SyncTargets by the Secret their kubeconfigSecretRef names (`cluster|ns/name`). */
export const BY_KUBECONFIG_SECRET = 'byKubeconfigSecret';

/** The label the identity objects carry naming their SyncTarget (as a valid label value, see toLabelValue). */
export const SYNC_TARGET_NAME_LABEL = 'workload.kcp.io/sync-target-name';

/**
 * Concurrent reconciles (client-go controllers commonly use 10–50). Each reconcile of a new
 * target waits for several durable writes in turn, and writes in flight at once share one
 * transaction and one fsync: 48 instead of 16 took 10,000 new targets from 53.4 / 64.3 s to
 * 45.9 / 51.4 s with less CPU (73.4 / 81.0 s against 81.4 / 100.7 s; docs/design.md §11,
 * eleventh round).
 */
export const DEFAULT_WORKERS = 48;

export interface SyncTargetControllerOptions {
  clusterClient: ClusterClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  deployer: SyncerDeployer;
  /** kplane's URL as syncers reach it, for status.virtualWorkspaces (the syncer view URL). */
  kplaneURL: string;
  logger: Logger;
  workers?: number;
  now?: () => number;
  metrics?: ControllerMetrics;
  queueMetrics?: QueueMetricsProvider;
  maxUndeployAttempts?: number;
  /** The heartbeat controller's judge when it runs beside this one (types.ts Deps.heartbeat). */
  heartbeat?: HeartbeatJudge;
}

export class SyncTargetController {
  readonly queue: RateLimitingQueue<string>;
  readonly deps: Deps;
  private readonly controller: Controller<string>;
  private readonly logger: Logger;
  /** Reconciles run, for tests and benchmarks (counts every completed reconcile). */
  reconciles = 0;

  constructor(opts: SyncTargetControllerOptions) {
    this.logger = opts.logger.child({ controller: CONTROLLER_NAME });
    this.queue = new RateLimitingQueue<string>({ name: CONTROLLER_NAME, ...(opts.queueMetrics ? { metricsProvider: opts.queueMetrics } : {}) });
    const syncTargets = opts.informers.forResource<SyncTarget>(SyncTargetGVR);
    // Only the Secrets this controller reads (secrets.ts), not every tenant's, and of the
    // token Secrets not the tokens.
    const secrets = opts.informers.forResource(SecretGVR, { labelSelector: SECRET_SELECTOR, transform: tokenSecretForm });
    const serviceAccounts = opts.informers.forResource(ServiceAccountGVR);
    const clusterRoles = opts.informers.forResource(ClusterRoleGVR);
    const clusterRoleBindings = opts.informers.forResource(ClusterRoleBindingGVR);
    syncTargets.addIndexers({
      [BY_KUBECONFIG_SECRET]: (st) => {
        const ref = st.spec?.kubeconfigSecretRef;
        return ref ? [clusterKey(clusterOf(st), ref.namespace, ref.name)] : [];
      },
    });

    this.deps = {
      ...(opts.heartbeat ? { heartbeat: opts.heartbeat } : {}),
      clusterClient: opts.clusterClient,
      listers: {
        syncTargets: syncTargets.lister,
        secrets: secrets.lister,
        serviceAccounts: serviceAccounts.lister,
        clusterRoles: clusterRoles.lister,
        clusterRoleBindings: clusterRoleBindings.lister,
      },
      recorder: opts.recorder,
      logger: this.logger,
      now: opts.now ?? Date.now,
      deployer: opts.deployer,
      kplaneURL: opts.kplaneURL,
      maxUndeployAttempts: opts.maxUndeployAttempts ?? 5,
      undeployAttempts: new Map(),
      mintedTokens: new Map(),
    };

    syncTargets.addEventHandler(this.syncTargetHandler());
    // Drift of an identity object (deleted binding, edited role) re-runs its SyncTarget, found
    // through the controller ownerReference (the name label may be shortened, see toLabelValue).
    const owner = (o: KubeObject) => {
      const ref = o.metadata.ownerReferences?.find(isSyncTargetOwnerRef);
      // Objects applied by `kplane workload sync` carry only the name label.
      const name = ref?.name ?? o.metadata.labels?.[SYNC_TARGET_NAME_LABEL];
      return name ? [clusterKey(clusterOf(o), '', name)] : [];
    };
    for (const inf of [serviceAccounts, clusterRoles, clusterRoleBindings]) inf.addEventHandler(this.fanOut(owner));
    // A Secret appearing, changing or going away re-checks the SyncTargets that name it as
    // their kubeconfig, and the one that owns it as its token Secret: a deployed target's token
    // Secret, once deleted, is minted again, and one a hand-deployed target should not have (an
    // older kplane wrote one for every target) is deleted, as identity drift is repaired.
    secrets.addEventHandler(this.fanOut((secret) => [...syncTargets.indexer.byIndex(BY_KUBECONFIG_SECRET, keyOf(secret)).map(keyOf), ...owner(secret)]));

    const informers = [syncTargets, secrets, serviceAccounts, clusterRoles, clusterRoleBindings];
    this.controller = new Controller<string>({
      name: CONTROLLER_NAME,
      queue: this.queue,
      // Many workers let status writes run concurrently, which the storage commits in groups.
      workers: opts.workers ?? DEFAULT_WORKERS,
      hasSynced: () => informers.every((i) => i.hasSynced()),
      logger: this.logger,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      reconcile: async (key, rctx) => {
        const outcome = await reconcileSyncTarget(this.deps, key, rctx.signal);
        this.reconciles++;
        rctx.logger.debug('reconciled', { key, summary: outcome.summaryLine });
        return outcome.result;
      },
    });
  }

  private syncTargetHandler(): EventHandler<SyncTarget> {
    const judge = this.deps.heartbeat;
    return {
      onAdd: (o) => this.queue.add(keyOf(o)),
      onUpdate: (a, b) => {
        // Resyncs deliver the same object: nothing changed, nothing to do.
        if (a.metadata.resourceVersion === b.metadata.resourceVersion) return;
        // A heartbeat alone changes nothing this controller decides (beat-only.ts); nor does
        // the first one while the heartbeat controller runs beside it.
        if (beatOnlyChange(a, b, { firstBeat: judge !== undefined })) return;
        // Nor does the heartbeat controller's own verdict write (beat-only.ts verdictOnlyChange).
        if (judge !== undefined && verdictOnlyChange(a, b, (st) => heartbeatOf(judge, st) !== undefined)) return;
        this.queue.add(keyOf(b));
      },
      onDelete: (o) => this.queue.add(keyOf(deletedObject(o))),
    };
  }

  private fanOut(keys: (o: KubeObject) => string[]): EventHandler<KubeObject> {
    const enqueue = (o: KubeObject) => {
      for (const k of keys(o)) this.queue.add(k);
    };
    return {
      onAdd: (o, initial) => {
        if (!initial) enqueue(o);
      },
      onUpdate: (a, b) => {
        if (a.metadata.resourceVersion !== b.metadata.resourceVersion) enqueue(b);
      },
      onDelete: (o) => enqueue(deletedObject(o)),
    };
  }

  /** Re-enqueue every SyncTarget (the periodic safety net; cheap because idle reconciles write nothing). */
  resyncAll(): void {
    for (const st of this.deps.listers.syncTargets.list()) this.queue.add(keyOf(st));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }
}
