// The objects of synced types, as the scheduling controllers see them: one metadata-only
// shared informer per namespaced type the server serves that some SyncTarget's syncer reported
// Accepted (status.syncedResources), created when the first such report appears and kept from
// then on (objects labelled while the type was synced must still be unlabelled after it is
// not). Metadata only, so a fleet's Secrets and Deployments are not cached whole: labels,
// annotations and finalizers are all the labelling, leaving and fallback steps read.
import { ALL_RESOURCES } from '../../../../apis/index.ts';
import { gvrOf, type GVR } from '../../../client/gvr.ts';
import type { KubeObject, SyncTarget } from '../../../client/index.ts';
import { clusterOf } from '../../../client/object.ts';
import type { SharedInformerFactory } from '../../../informer/factory.ts';
import type { EventHandler } from '../../../informer/handlers.ts';
import { clusterAndNamespace, CLUSTER_AND_NAMESPACE_INDEX } from '../../../informer/indexer.ts';
import type { SharedInformer } from '../../../informer/informer.ts';
import { clusterKey } from '../../../informer/keys.ts';
import { concernedKeys, SYNC_KEY_INDEX } from './leaving.ts';

/**
 * Namespaced types kplane serves that can be watched and patched: the ones a syncer can sync
 * and the labeller can label. kplane serves a fixed set (apis/index.ts), so this is known here
 * without discovery.
 */
export const SERVED_NAMESPACED_TYPES: GVR[] = ALL_RESOURCES
  .filter((r) => r.namespaced && ['list', 'watch', 'patch'].every((v) => r.verbs.includes(v)))
  .map(gvrOf);

export function sameType(a: { group?: string; resource: string }, b: { group?: string; resource: string }): boolean {
  return (a.group ?? '') === (b.group ?? '') && a.resource === b.resource;
}

/** Whether the SyncTarget's syncer reported the type Accepted. */
export function accepts(st: SyncTarget | undefined, gvr: GVR): boolean {
  return (st?.status?.syncedResources ?? []).some((r) => sameType(r, gvr) && r.state === 'Accepted');
}

/** The served namespaced types at least one of the SyncTargets accepts. */
export function acceptedTypes(syncTargets: SyncTarget[]): GVR[] {
  return SERVED_NAMESPACED_TYPES.filter((gvr) => syncTargets.some((st) => accepts(st, gvr)));
}

export interface SyncedType {
  gvr: GVR;
  informer: SharedInformer<KubeObject>;
}

/** What the reconciles read: the types and their objects in one namespace. */
export interface SyncedObjectsView {
  types(): SyncedType[];
  /** False while an informer created for a newly accepted type has not listed yet. */
  hasSynced(): boolean;
}

export function objectsIn(view: SyncedObjectsView, cluster: string, namespace: string): Array<{ gvr: GVR; obj: KubeObject }> {
  const out: Array<{ gvr: GVR; obj: KubeObject }> = [];
  for (const t of view.types()) for (const obj of t.informer.indexer.byIndex(CLUSTER_AND_NAMESPACE_INDEX, clusterAndNamespace(cluster, namespace))) out.push({ gvr: t.gvr, obj });
  return out;
}

export class SyncedObjects implements SyncedObjectsView {
  readonly #factory: SharedInformerFactory;
  readonly #handler: EventHandler<KubeObject>;
  readonly #types = new Map<string, SyncedType>();

  /** `handler` is added to every type's informer (each controller its own). */
  constructor(factory: SharedInformerFactory, handler: EventHandler<KubeObject>) {
    this.#factory = factory;
    this.#handler = handler;
  }

  /** Start caching the types the SyncTargets accept that are not cached yet. */
  ensure(syncTargets: SyncTarget[]): void {
    for (const gvr of acceptedTypes(syncTargets)) {
      const id = `${gvr.group}/${gvr.resource}`;
      if (this.#types.has(id)) continue;
      const informer = this.#factory.forResource(gvr, { metadataOnly: true });
      if (!informer.indexer.hasIndex(SYNC_KEY_INDEX)) informer.addIndexers({ [SYNC_KEY_INDEX]: concernedKeys });
      informer.addEventHandler(this.#handler);
      this.#types.set(id, { gvr, informer });
    }
  }

  types(): SyncedType[] {
    return [...this.#types.values()];
  }

  hasSynced(): boolean {
    return this.types().every((t) => t.informer.hasSynced());
  }

  /** `<cluster>|<namespace>` of every namespace holding an object that concerns `key`. */
  namespacesConcerning(key: string): string[] {
    const out = new Set<string>();
    for (const t of this.types()) for (const o of t.informer.indexer.byIndex(SYNC_KEY_INDEX, key)) out.add(clusterKey(clusterOf(o), '', o.metadata.namespace ?? ''));
    return [...out];
  }
}
