// The Location controller (kcp's default-location and location-status controllers in one):
// SyncTargets and Locations anywhere map to their workspace as the key, so a workspace's
// Locations are recounted whenever one of its SyncTargets changes readiness or labels.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import { LocationGVR, SyncTargetGVR } from '../../../client/gvr.ts';
import { clusterOf, type KubeObject } from '../../../client/object.ts';
import type { Location, SyncTarget } from '../../../client/index.ts';
import { Controller } from '../../../controller/runner.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import { deletedObject, type EventHandler } from '../../../informer/handlers.ts';
import type { SharedInformerFactory } from '../../../informer/factory.ts';
import type { Logger } from '../../../log/logger.ts';
import type { ControllerMetrics } from '../../../controller/metrics-hooks.ts';
import type { QueueMetricsProvider } from '../../../workqueue/metrics-hooks.ts';
import { RateLimitingQueue } from '../../../workqueue/rate-limiting-queue.ts';
import { reconcileWorkspaceLocations } from './reconcile.ts';
import { CONTROLLER_NAME, type LocationDeps } from './types.ts';

export interface LocationControllerOptions {
  clusterClient: ClusterClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  logger: Logger;
  workers?: number;
  now?: () => number;
  metrics?: ControllerMetrics;
  queueMetrics?: QueueMetricsProvider;
}

export class LocationController {
  readonly queue: RateLimitingQueue<string>;
  readonly deps: LocationDeps;
  private readonly controller: Controller<string>;

  constructor(opts: LocationControllerOptions) {
    const logger = opts.logger.child({ controller: CONTROLLER_NAME });
    this.queue = new RateLimitingQueue<string>({ name: CONTROLLER_NAME, ...(opts.queueMetrics ? { metricsProvider: opts.queueMetrics } : {}) });
    const syncTargets = opts.informers.forResource<SyncTarget>(SyncTargetGVR);
    const locations = opts.informers.forResource<Location>(LocationGVR);
    this.deps = { clusterClient: opts.clusterClient, locations: locations.lister, syncTargets: syncTargets.lister, recorder: opts.recorder, now: opts.now ?? Date.now };
    syncTargets.addEventHandler(this.toWorkspace());
    locations.addEventHandler(this.toWorkspace());
    this.controller = new Controller<string>({
      name: CONTROLLER_NAME,
      queue: this.queue,
      workers: opts.workers ?? 4,
      hasSynced: () => syncTargets.hasSynced() && locations.hasSynced(),
      logger,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      reconcile: async (cluster, rctx) => {
        const outcome = await reconcileWorkspaceLocations(this.deps, cluster, rctx.signal);
        rctx.logger.debug('locations reconciled', { cluster, ...outcome });
      },
    });
  }

  private toWorkspace<T extends KubeObject>(): EventHandler<T> {
    return {
      onAdd: (o) => this.queue.add(clusterOf(o)),
      onUpdate: (a, b) => {
        if (a.metadata.resourceVersion !== b.metadata.resourceVersion) this.queue.add(clusterOf(b));
      },
      onDelete: (o) => this.queue.add(clusterOf(deletedObject(o))),
    };
  }

  resyncAll(): void {
    for (const st of this.deps.syncTargets.list()) this.queue.add(clusterOf(st));
    for (const l of this.deps.locations.list()) this.queue.add(clusterOf(l));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }
}
