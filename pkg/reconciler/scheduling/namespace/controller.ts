// The namespace scheduler (kcp's workload namespace scheduler): keys are namespaces
// (`<cluster>|<name>`). A namespace change re-runs it; a Placement change re-runs every
// namespace of its workspace; a SyncTarget or Location change in workspace W re-runs the
// namespaces of every workspace whose Placements take Locations from W.
import type { ClusterClient } from '../../../client/clusterclient.ts';
import { LocationGVR, NamespaceGVR, PlacementGVR, SyncTargetGVR } from '../../../client/gvr.ts';
import { clusterOf, type KubeObject } from '../../../client/object.ts';
import type { Location, Placement, SyncTarget } from '../../../client/index.ts';
import { Controller } from '../../../controller/runner.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import { deletedObject, type EventHandler } from '../../../informer/handlers.ts';
import type { SharedInformerFactory } from '../../../informer/factory.ts';
import { keyOf } from '../../../informer/keys.ts';
import type { Logger } from '../../../log/logger.ts';
import type { ControllerMetrics } from '../../../controller/metrics-hooks.ts';
import type { QueueMetricsProvider } from '../../../workqueue/metrics-hooks.ts';
import { RateLimitingQueue } from '../../../workqueue/rate-limiting-queue.ts';
import { locationWorkspaceOf } from '../shared/selection.ts';
import { reconcileNamespace } from './reconcile.ts';
import { CONTROLLER_NAME, type NamespaceDeps } from './types.ts';

export interface NamespaceSchedulerOptions {
  clusterClient: ClusterClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  logger: Logger;
  now?: () => number;
  metrics?: ControllerMetrics;
  queueMetrics?: QueueMetricsProvider;
}

export class NamespaceScheduler {
  readonly queue: RateLimitingQueue<string>;
  readonly deps: NamespaceDeps;
  private readonly controller: Controller<string>;

  constructor(opts: NamespaceSchedulerOptions) {
    const logger = opts.logger.child({ controller: CONTROLLER_NAME });
    this.queue = new RateLimitingQueue<string>({ name: CONTROLLER_NAME, ...(opts.queueMetrics ? { metricsProvider: opts.queueMetrics } : {}) });
    const namespaces = opts.informers.forResource(NamespaceGVR);
    const placements = opts.informers.forResource<Placement>(PlacementGVR);
    const locations = opts.informers.forResource<Location>(LocationGVR);
    const syncTargets = opts.informers.forResource<SyncTarget>(SyncTargetGVR);
    this.deps = {
      clusterClient: opts.clusterClient,
      namespaces: namespaces.lister,
      placements: placements.lister,
      locations: locations.lister,
      syncTargets: syncTargets.lister,
      recorder: opts.recorder,
      now: opts.now ?? Date.now,
      assumed: new Map(),
    };
    const nsOf = (cluster: string) => this.deps.namespaces.cluster(cluster).list().map(keyOf);
    const usersOf = (workspace: string) => {
      const clusters = new Set(this.deps.placements.list().filter((p) => locationWorkspaceOf(p) === workspace).map(clusterOf));
      return [...clusters].flatMap(nsOf);
    };
    namespaces.addEventHandler(this.fanOut((ns) => [keyOf(ns)]));
    namespaces.addEventHandler({ onDelete: (ns) => this.deps.assumed.delete(keyOf(deletedObject(ns))) });
    placements.addEventHandler(this.fanOut((p) => nsOf(clusterOf(p))));
    locations.addEventHandler(this.fanOut((l) => usersOf(clusterOf(l))));
    syncTargets.addEventHandler(this.fanOut((st) => usersOf(clusterOf(st))));
    const informers = [namespaces, placements, locations, syncTargets];
    this.controller = new Controller<string>({
      name: CONTROLLER_NAME,
      queue: this.queue,
      // One worker: each decision must see the previous one (through `assumed`), or
      // concurrent decisions would read the same loads and pile onto one SyncTarget.
      workers: 1,
      hasSynced: () => informers.every((i) => i.hasSynced()),
      logger,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      reconcile: async (key, rctx) => {
        const outcome = await reconcileNamespace(this.deps, key, rctx.signal);
        rctx.logger.debug('namespace scheduled', { key, ...outcome });
      },
    });
  }

  private fanOut<T extends KubeObject>(keys: (o: T) => string[]): EventHandler<T> {
    const enqueue = (o: T) => {
      for (const k of keys(o)) this.queue.add(k);
    };
    return {
      onAdd: (o) => enqueue(o),
      onUpdate: (a, b) => {
        if (a.metadata.resourceVersion !== b.metadata.resourceVersion) enqueue(b);
      },
      onDelete: (o) => enqueue(deletedObject(o)),
    };
  }

  resyncAll(): void {
    for (const ns of this.deps.namespaces.list()) this.queue.add(keyOf(ns));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }
}
