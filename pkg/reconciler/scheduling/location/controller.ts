// The Location controller (kcp's default-location and location-status controllers in one):
// SyncTargets and Locations anywhere map to their workspace as the key, so a workspace's
// Locations are recounted whenever one of its SyncTargets changes readiness or labels, and at
// the moment a SyncTarget's spec.evictAfter arrives (no event marks it).
import { LocationGVR, SyncTargetGVR } from '../../../client/gvr.ts';
import { clusterOf } from '../../../client/object.ts';
import type { Location, SyncTarget } from '../../../client/index.ts';
import { schedulingView } from '../shared/eviction.ts';
import type { Result } from '../../../controller/result.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import { SchedulingController, type SchedulingControllerOptions } from '../shared/controller-base.ts';
import { reconcileWorkspaceLocations } from './reconcile.ts';
import { CONTROLLER_NAME, type LocationDeps } from './types.ts';

export interface LocationControllerOptions extends SchedulingControllerOptions {
  recorder: EventRecorder;
  workers?: number;
  now?: () => number;
}

export class LocationController extends SchedulingController {
  readonly deps: LocationDeps;

  constructor(opts: LocationControllerOptions) {
    super(CONTROLLER_NAME, opts);
    const syncTargets = opts.informers.forResource<SyncTarget>(SyncTargetGVR);
    const locations = opts.informers.forResource<Location>(LocationGVR);
    this.deps = { clusterClient: opts.clusterClient, locations: locations.lister, syncTargets: syncTargets.lister, recorder: opts.recorder, now: opts.now ?? Date.now };
    // A heartbeat rewrites the SyncTarget every period; only what counting reads re-runs the workspace.
    syncTargets.addEventHandler(this.toWorkspace(schedulingView));
    locations.addEventHandler(this.toWorkspace());
    this.wire({
      workers: opts.workers ?? 4,
      informers: [syncTargets, locations],
      reconcile: async (cluster, rctx): Promise<Result> => {
        const outcome = await reconcileWorkspaceLocations(this.deps, cluster, rctx.signal);
        rctx.logger.debug('locations reconciled', { cluster, ...outcome });
        return outcome.recheckAt !== undefined ? { requeueAfter: Math.max(1, outcome.recheckAt - this.deps.now()) } : {};
      },
    });
  }

  resyncAll(): void {
    for (const st of this.deps.syncTargets.list()) this.queue.add(clusterOf(st));
    for (const l of this.deps.locations.list()) this.queue.add(clusterOf(l));
  }
}
