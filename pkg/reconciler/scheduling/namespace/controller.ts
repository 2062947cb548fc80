// The namespace scheduler (kcp's workload namespace scheduler): keys are namespaces
// (`<cluster>|<name>`). A namespace change re-runs it; a Placement change re-runs every
// namespace of its workspace; a SyncTarget or Location change in workspace W re-runs the
// namespaces of every workspace whose Placements take Locations from W.
import { LocationGVR, NamespaceGVR, PlacementGVR, SyncTargetGVR } from '../../../client/gvr.ts';
import { clusterOf } from '../../../client/object.ts';
import type { Location, Placement, SyncTarget } from '../../../client/index.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import { deletedObject } from '../../../informer/handlers.ts';
import { keyOf } from '../../../informer/keys.ts';
import { locationWorkspaceOf } from '../shared/selection.ts';
import { SchedulingController, type SchedulingControllerOptions } from '../shared/controller-base.ts';
import { reconcileNamespace } from './reconcile.ts';
import { CONTROLLER_NAME, type NamespaceDeps } from './types.ts';

export interface NamespaceSchedulerOptions extends SchedulingControllerOptions {
  recorder: EventRecorder;
  now?: () => number;
}

export class NamespaceScheduler extends SchedulingController {
  readonly deps: NamespaceDeps;

  constructor(opts: NamespaceSchedulerOptions) {
    super(CONTROLLER_NAME, opts);
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
    this.wire({
      // One worker: each decision must see the previous one (through `assumed`), or
      // concurrent decisions would read the same loads and pile onto one SyncTarget.
      workers: 1,
      informers,
      reconcile: async (key, rctx) => {
        const outcome = await reconcileNamespace(this.deps, key, rctx.signal);
        rctx.logger.debug('namespace scheduled', { key, ...outcome });
      },
    });
  }

  resyncAll(): void {
    for (const ns of this.deps.namespaces.list()) this.queue.add(keyOf(ns));
  }
}
