// The Placement controller: Placements, Locations and Namespaces from shared wildcard
// informers. A Placement's key is `<cluster>|<name>`; a Location change re-runs the Placements
// that take Locations from its workspace, and a Namespace or sibling Placement change re-runs
// every Placement of that workspace (phase and conflicts depend on them).
import type { ClusterClient } from '../../../client/clusterclient.ts';
import { ClusterRoleBindingGVR, ClusterRoleGVR, LocationGVR, NamespaceGVR, PlacementGVR } from '../../../client/gvr.ts';
import { clusterOf, type KubeObject } from '../../../client/object.ts';
import type { Location, Placement } from '../../../client/index.ts';
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
import { reconcilePlacement } from './reconcile.ts';
import { CONTROLLER_NAME, type PlacementDeps } from './types.ts';

export interface PlacementControllerOptions {
  clusterClient: ClusterClient;
  informers: SharedInformerFactory;
  recorder: EventRecorder;
  logger: Logger;
  workers?: number;
  now?: () => number;
  metrics?: ControllerMetrics;
  queueMetrics?: QueueMetricsProvider;
}

export class PlacementController {
  readonly queue: RateLimitingQueue<string>;
  readonly deps: PlacementDeps;
  private readonly controller: Controller<string>;

  constructor(opts: PlacementControllerOptions) {
    const logger = opts.logger.child({ controller: CONTROLLER_NAME });
    this.queue = new RateLimitingQueue<string>({ name: CONTROLLER_NAME, ...(opts.queueMetrics ? { metricsProvider: opts.queueMetrics } : {}) });
    const placements = opts.informers.forResource<Placement>(PlacementGVR);
    const locations = opts.informers.forResource<Location>(LocationGVR);
    const namespaces = opts.informers.forResource(NamespaceGVR);
    this.deps = {
      clusterClient: opts.clusterClient,
      placements: placements.lister,
      locations: locations.lister,
      namespaces: namespaces.lister,
      recorder: opts.recorder,
      now: opts.now ?? Date.now,
    };
    const inWorkspace = (cluster: string) => this.deps.placements.cluster(cluster).list().map(keyOf);
    placements.addEventHandler(this.fanOut((p) => [keyOf(p), ...inWorkspace(clusterOf(p))]));
    namespaces.addEventHandler(this.fanOut((ns) => inWorkspace(clusterOf(ns))));
    const usersOf = (workspace: string) => this.deps.placements.list().filter((p) => locationWorkspaceOf(p) === workspace).map(keyOf);
    locations.addEventHandler(this.fanOut((l) => usersOf(clusterOf(l))));
    // Access to another workspace's Locations is RBAC there: a changed (Cluster)Role or binding
    // re-checks the Placements from other workspaces that use it.
    const rbac = [opts.informers.forResource(ClusterRoleGVR), opts.informers.forResource(ClusterRoleBindingGVR)];
    for (const inf of rbac) inf.addEventHandler(this.fanOut((o) => usersOf(clusterOf(o)).filter((k) => !k.startsWith(`${clusterOf(o)}|`))));
    this.controller = new Controller<string>({
      name: CONTROLLER_NAME,
      queue: this.queue,
      workers: opts.workers ?? 4,
      hasSynced: () => [placements, locations, namespaces, ...rbac].every((i) => i.hasSynced()),
      logger,
      ...(opts.metrics ? { metrics: opts.metrics } : {}),
      reconcile: async (key, rctx) => {
        const outcome = await reconcilePlacement(this.deps, key, rctx.signal);
        rctx.logger.debug('placement reconciled', { key, ...outcome });
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
    for (const p of this.deps.placements.list()) this.queue.add(keyOf(p));
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }
}
