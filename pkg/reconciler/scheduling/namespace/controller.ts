// The namespace scheduler (kcp's workload namespace scheduler): keys are namespaces
// (`<cluster>|<name>`). A namespace change re-runs it; a Placement change re-runs every
// namespace of its workspace; a Location change in workspace W, or a SyncTarget change in W
// that matters to scheduling (not a mere heartbeat), re-runs the namespaces of every workspace
// whose Placements take Locations from W, and a SyncTarget change also the namespaces that
// carry or are leaving its key (their Placement may be gone). Evictions and fallbacks that
// become due later are requeued for exactly then.
import { isDeepStrictEqual } from 'node:util';
import { LocationGVR, NamespaceGVR, PlacementGVR, SyncTargetGVR } from '../../../client/gvr.ts';
import { clusterOf } from '../../../client/object.ts';
import type { Location, Placement, SyncTarget } from '../../../client/index.ts';
import type { Result } from '../../../controller/result.ts';
import type { EventRecorder } from '../../../events/recorder.ts';
import { deletedObject } from '../../../informer/handlers.ts';
import { keyOf } from '../../../informer/keys.ts';
import { KEY_LABEL } from '../../workload/synctarget/types.ts';
import { schedulingView } from '../shared/eviction.ts';
import { concernedKeys, SYNC_KEY_INDEX } from '../shared/leaving.ts';
import { locationWorkspaceOf } from '../shared/selection.ts';
import { SchedulingController, type SchedulingControllerOptions } from '../shared/controller-base.ts';
import { SyncedObjects } from '../shared/synced-objects.ts';
import { reconcileNamespace } from './reconcile.ts';
import { CONTROLLER_NAME, type NamespaceDeps } from './types.ts';

export interface NamespaceSchedulerOptions extends SchedulingControllerOptions {
  recorder: EventRecorder;
  evictionGraceMs: number;
  now?: () => number;
}

/** While a newly accepted type's cache fills, the namespace is looked at again this soon. */
const UNSYNCED_RETRY_MS = 500;

export class NamespaceScheduler extends SchedulingController {
  readonly deps: NamespaceDeps;

  constructor(opts: NamespaceSchedulerOptions) {
    super(CONTROLLER_NAME, opts);
    const namespaces = opts.informers.forResource(NamespaceGVR);
    if (!namespaces.indexer.hasIndex(SYNC_KEY_INDEX)) namespaces.addIndexers({ [SYNC_KEY_INDEX]: concernedKeys });
    const placements = opts.informers.forResource<Placement>(PlacementGVR);
    const locations = opts.informers.forResource<Location>(LocationGVR);
    const syncTargets = opts.informers.forResource<SyncTarget>(SyncTargetGVR);
    // Only finalizers are read from synced objects, and only when a namespace leaves a
    // SyncTarget: their events need not re-run anything.
    const synced = new SyncedObjects(opts.informers, {});
    this.deps = {
      clusterClient: opts.clusterClient,
      namespaces: namespaces.lister,
      placements: placements.lister,
      locations: locations.lister,
      syncTargets: syncTargets.lister,
      synced,
      recorder: opts.recorder,
      now: opts.now ?? Date.now,
      evictionGraceMs: opts.evictionGraceMs,
      assumed: new Map(),
      blocked: new Map(),
    };
    const nsOf = (cluster: string) => this.deps.namespaces.cluster(cluster).list().map(keyOf);
    const usersOf = (workspace: string) => {
      const clusters = new Set(this.deps.placements.list().filter((p) => locationWorkspaceOf(p) === workspace).map(clusterOf));
      return [...clusters].flatMap(nsOf);
    };
    const concerning = (st: SyncTarget) => {
      const key = st.metadata.labels?.[KEY_LABEL];
      return key ? namespaces.indexer.byIndex(SYNC_KEY_INDEX, key).map(keyOf) : [];
    };
    const affected = (st: SyncTarget) => [...new Set([...usersOf(clusterOf(st)), ...concerning(st)])];
    namespaces.addEventHandler(this.fanOut((ns) => [keyOf(ns)]));
    namespaces.addEventHandler({
      onDelete: (ns) => {
        this.deps.assumed.delete(keyOf(deletedObject(ns)));
        this.deps.blocked.delete(keyOf(deletedObject(ns)));
      },
    });
    placements.addEventHandler(this.fanOut((p) => nsOf(clusterOf(p))));
    locations.addEventHandler(this.fanOut((l) => usersOf(clusterOf(l))));
    syncTargets.addEventHandler({
      onAdd: (st) => {
        // Types are only ever added, and every SyncTarget passes through here: the one that
        // changed is all there is to look at (listing them all was quadratic in a fleet).
        synced.ensure([st]);
        for (const k of affected(st)) this.queue.add(k);
      },
      onUpdate: (a, b) => {
        if (isDeepStrictEqual(schedulingView(a), schedulingView(b))) return;
        synced.ensure([b]);
        for (const k of affected(b)) this.queue.add(k);
      },
      onDelete: (o) => {
        for (const k of affected(deletedObject(o))) this.queue.add(k);
      },
    });
    const informers = [namespaces, placements, locations, syncTargets];
    this.wire({
      // One worker: each decision must see the previous one (through `assumed`), or
      // concurrent decisions would read the same loads and pile onto one SyncTarget.
      workers: 1,
      informers,
      reconcile: async (key, rctx): Promise<Result> => {
        const outcome = await reconcileNamespace(this.deps, key, rctx.signal);
        rctx.logger.debug('namespace scheduled', { key, ...outcome });
        if (outcome.notSynced) return { requeueAfter: UNSYNCED_RETRY_MS };
        return outcome.recheckAt !== undefined ? { requeueAfter: Math.max(1, outcome.recheckAt - this.deps.now()) } : {};
      },
    });
  }

  resyncAll(): void {
    for (const ns of this.deps.namespaces.list()) this.queue.add(keyOf(ns));
  }
}
