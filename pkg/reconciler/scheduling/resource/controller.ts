// The resource labeller (kcp's workload resource scheduler): keys are namespaces
// (`<cluster>|<namespace>`). An object of a syncable type re-runs its namespace; a namespace
// change re-runs itself; a SyncTarget change (its syncedResources) re-runs the namespaces
// placed on it. Syncable types are kplane's namespaced workload types a syncer can sync:
// ConfigMaps and Deployments. (Secrets are left out until the syncer is confined to what is
// placed on it: labelling them would advertise them for sync before that is safe, and it
// would need every tenant's Secrets in this process's cache.)
import { ConfigMapGVR, DeploymentGVR, NamespaceGVR, SyncTargetGVR } from '../../../client/gvr.ts';
import { clusterOf } from '../../../client/object.ts';
import type { SyncTarget } from '../../../client/index.ts';
import { clusterKey } from '../../../informer/keys.ts';
import { stateLabelKey } from '../../../../apis/workload/v1alpha1/synctargetkey.ts';
import { KEY_LABEL } from '../../workload/synctarget/types.ts';
import { SchedulingController, type SchedulingControllerOptions } from '../shared/controller-base.ts';
import { reconcileNamespaceResources } from './reconcile.ts';
import { CONTROLLER_NAME, type ResourceDeps } from './types.ts';

export const SYNCABLE_TYPES = [ConfigMapGVR, DeploymentGVR];

export type ResourceLabellerOptions = SchedulingControllerOptions;

export class ResourceLabeller extends SchedulingController {
  readonly deps: ResourceDeps;

  constructor(opts: ResourceLabellerOptions) {
    super(CONTROLLER_NAME, opts);
    const namespaces = opts.informers.forResource(NamespaceGVR);
    const syncTargets = opts.informers.forResource<SyncTarget>(SyncTargetGVR);
    const typed = SYNCABLE_TYPES.map((gvr) => ({ gvr, informer: opts.informers.forResource(gvr) }));
    this.deps = {
      clusterClient: opts.clusterClient,
      namespaces: namespaces.lister,
      syncTargets: syncTargets.lister,
      types: typed.map((t) => ({ gvr: t.gvr, lister: t.informer.lister })),
    };
    const nsKey = (cluster: string, ns: string) => clusterKey(cluster, '', ns);
    namespaces.addEventHandler(this.fanOut((ns) => [nsKey(clusterOf(ns), ns.metadata.name ?? '')]));
    for (const t of typed) t.informer.addEventHandler(this.fanOut((o) => [nsKey(clusterOf(o), o.metadata.namespace ?? '')]));
    syncTargets.addEventHandler(this.fanOut((st) => {
      const key = st.metadata.labels?.[KEY_LABEL];
      if (!key) return [];
      return this.deps.namespaces.list().filter((ns) => ns.metadata.labels?.[stateLabelKey(key)] !== undefined).map((ns) => nsKey(clusterOf(ns), ns.metadata.name ?? ''));
    }));
    const informers = [namespaces, syncTargets, ...typed.map((t) => t.informer)];
    this.wire({
      workers: 4,
      informers,
      reconcile: async (key, rctx) => {
        const patched = await reconcileNamespaceResources(this.deps, key, rctx.signal);
        if (patched > 0) rctx.logger.debug('labelled objects', { key, patched });
      },
    });
  }

  resyncAll(): void {
    for (const ns of this.deps.namespaces.list()) this.queue.add(clusterKey(clusterOf(ns), '', ns.metadata.name ?? ''));
  }
}
