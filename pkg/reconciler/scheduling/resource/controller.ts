// The resource labeller (kcp's workload resource scheduler): keys are namespaces
// (`<cluster>|<namespace>`). An object of a synced type re-runs its namespace; a namespace
// change re-runs itself; a SyncTarget change that matters to scheduling (not a mere heartbeat)
// re-runs the namespaces that carry its key or hold objects that do. The synced types are
// every namespaced type kplane serves that a SyncTarget's syncer reported Accepted
// (shared/synced-objects.ts), cached metadata-only.
import { NamespaceGVR, SyncTargetGVR } from '../../../client/gvr.ts';
import { clusterOf, type KubeObject } from '../../../client/object.ts';
import type { SyncTarget } from '../../../client/index.ts';
import type { Result } from '../../../controller/result.ts';
import { deletedObject } from '../../../informer/handlers.ts';
import { clusterKey } from '../../../informer/keys.ts';
import { isDeepStrictEqual } from 'node:util';
import { KEY_LABEL } from '../../workload/synctarget/types.ts';
import { SchedulingController, type SchedulingControllerOptions } from '../shared/controller-base.ts';
import { schedulingView } from '../shared/eviction.ts';
import { concernedKeys, SYNC_KEY_INDEX } from '../shared/leaving.ts';
import { SyncedObjects } from '../shared/synced-objects.ts';
import { reconcileNamespaceResources } from './reconcile.ts';
import { CONTROLLER_NAME, type ResourceDeps } from './types.ts';

export interface ResourceLabellerOptions extends SchedulingControllerOptions {
  evictionGraceMs: number;
  now?: () => number;
}

/** While a newly accepted type's cache fills, its namespaces are looked at again this soon. */
const UNSYNCED_RETRY_MS = 500;

export class ResourceLabeller extends SchedulingController {
  readonly deps: ResourceDeps;
  readonly synced: SyncedObjects;

  constructor(opts: ResourceLabellerOptions) {
    super(CONTROLLER_NAME, opts);
    const namespaces = opts.informers.forResource(NamespaceGVR);
    if (!namespaces.indexer.hasIndex(SYNC_KEY_INDEX)) namespaces.addIndexers({ [SYNC_KEY_INDEX]: concernedKeys });
    const syncTargets = opts.informers.forResource<SyncTarget>(SyncTargetGVR);
    const nsKey = (cluster: string, ns: string) => clusterKey(cluster, '', ns);
    this.synced = new SyncedObjects(opts.informers, this.fanOut((o: KubeObject) => [nsKey(clusterOf(o), o.metadata.namespace ?? '')]));
    this.deps = {
      clusterClient: opts.clusterClient,
      namespaces: namespaces.lister,
      syncTargets: syncTargets.lister,
      synced: this.synced,
      now: opts.now ?? Date.now,
      evictionGraceMs: opts.evictionGraceMs,
    };
    namespaces.addEventHandler(this.fanOut((ns) => [nsKey(clusterOf(ns), ns.metadata.name ?? '')]));
    const concerning = (st: SyncTarget): string[] => {
      const key = st.metadata.labels?.[KEY_LABEL];
      if (!key) return [];
      const fromNamespaces = namespaces.indexer.byIndex(SYNC_KEY_INDEX, key).map((ns) => nsKey(clusterOf(ns), ns.metadata.name ?? ''));
      return [...new Set([...fromNamespaces, ...this.synced.namespacesConcerning(key)])];
    };
    syncTargets.addEventHandler({
      onAdd: (st) => {
        // Types are only ever added, and every SyncTarget passes through here: looking at the
        // one that changed is enough (listing them all made a fleet's first reconcile quadratic).
        this.synced.ensure([st]);
        for (const k of concerning(st)) this.queue.add(k);
      },
      onUpdate: (a, b) => {
        if (isDeepStrictEqual(schedulingView(a), schedulingView(b))) return;
        this.synced.ensure([b]);
        for (const k of concerning(b)) this.queue.add(k);
      },
      onDelete: (o) => {
        for (const k of concerning(deletedObject(o))) this.queue.add(k);
      },
    });
    this.wire({
      workers: 4,
      informers: [namespaces, syncTargets],
      reconcile: async (key, rctx): Promise<Result> => {
        // A type accepted a moment ago is still listing: deciding now could take a synced
        // object for a never-synced one. Its list's adds re-run the namespaces it fills anyway.
        if (!this.synced.hasSynced()) return { requeueAfter: UNSYNCED_RETRY_MS };
        const outcome = await reconcileNamespaceResources(this.deps, key, rctx.signal);
        if (outcome.patched > 0) rctx.logger.debug('labelled objects', { key, ...outcome });
        return outcome.recheckAt !== undefined ? { requeueAfter: Math.max(1, outcome.recheckAt - this.deps.now()) } : {};
      },
    });
  }

  resyncAll(): void {
    for (const ns of this.deps.namespaces.list()) this.queue.add(clusterKey(clusterOf(ns), '', ns.metadata.name ?? ''));
  }
}
