// The Placement controller: Placements, Locations and Namespaces from shared wildcard
// informers. A Placement's key is `<cluster>|<name>`; a Location change re-runs the Placements
// that take Locations from its workspace, and a Namespace or sibling Placement change re-runs
// every Placement of that workspace (phase and conflicts depend on them).
import { ClusterRoleBindingGVR, ClusterRoleGVR, LocationGVR, NamespaceGVR, PlacementGVR } from '../../../client/gvr.ts';
import { clusterOf } from '../../../client/object.ts';
import type { Location, Placement } from '../../../client/index.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import { keyOf } from '../../../informer/keys.ts';
import { locationWorkspaceOf } from '../shared/selection.ts';
import { SchedulingController, type SchedulingControllerOptions } from '../shared/controller-base.ts';
import { reconcilePlacement } from './reconcile.ts';
import { CONTROLLER_NAME, type PlacementDeps } from './types.ts';

export interface PlacementControllerOptions extends SchedulingControllerOptions {
  recorder: EventRecorder;
  workers?: number;
  now?: () => number;
}

export class PlacementController extends SchedulingController {
  readonly deps: PlacementDeps;

  constructor(opts: PlacementControllerOptions) {
    super(CONTROLLER_NAME, opts);
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
    this.wire({
      workers: opts.workers ?? 4,
      informers: [placements, locations, namespaces, ...rbac],
      reconcile: async (key, rctx) => {
        const outcome = await reconcilePlacement(this.deps, key, rctx.signal);
        rctx.logger.debug('placement reconciled', { key, ...outcome });
      },
    });
  }

  resyncAll(): void {
    for (const p of this.deps.placements.list()) this.queue.add(keyOf(p));
  }
}
