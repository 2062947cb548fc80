// The Namespace strategy and lifecycle, as kube's namespace registry and namespace controller:
// a namespace is created Active with spec.finalizers ["kubernetes"] (only the system changes
// that list); DELETE marks it Terminating, its contents are removed, then "kubernetes" is
// released and the namespace goes once metadata.finalizers are empty too. Creating into a
// missing or terminating namespace is refused (kube's NamespaceLifecycle admission), on
// every create path. Before a namespace is created, leftovers under its name are swept.
import { newNotFound, StatusError } from '../../apierrors/errors.ts';
import { isPlainObject, type KObject } from '../registry/object.ts';
import type { Strategy } from '../registry/strategy.ts';
import { errorFields } from '../../log/errors.ts';
import { deleteNamespaceContents } from './contents.ts';
import { inBackground, type LifecycleContext, pauseAfterFirstRemoval } from './context.ts';

export const NAMESPACES = { group: '', plural: 'namespaces' } as const;
/** kube's namespace finalizer (in spec.finalizers, not metadata.finalizers). */
export const KUBERNETES_FINALIZER = 'kubernetes';

function specFinalizers(obj: KObject): string[] {
  const spec = isPlainObject(obj.spec) ? obj.spec : {};
  return Array.isArray(spec.finalizers) ? spec.finalizers.filter((f): f is string => typeof f === 'string') : [];
}

function setSpecFinalizers(obj: KObject, finalizers: string[] | undefined): void {
  // Nothing to remove from an absent spec: do not invent one (a no-op update stays a no-op).
  if (finalizers === undefined && !isPlainObject(obj.spec)) return;
  const spec = { ...(isPlainObject(obj.spec) ? obj.spec : {}) };
  if (finalizers === undefined) delete spec.finalizers;
  else spec.finalizers = finalizers;
  obj.spec = spec;
}

export class NamespaceLifecycle {
  private readonly ctx: LifecycleContext;

  constructor(ctx: LifecycleContext) {
    this.ctx = ctx;
  }

  private get store() {
    return this.ctx.registry.store(NAMESPACES.group, NAMESPACES.plural);
  }

  private key(cluster: string, namespace: string): string {
    return `namespace:${cluster}/${namespace}`;
  }

  /** Refuse content in a namespace that is missing or being terminated. */
  async requireNamespace(cluster: string, namespace: string): Promise<void> {
    const ns = await this.store.tryGet(cluster, '', namespace);
    if (!ns) throw newNotFound('', 'namespaces', namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new StatusError('Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  /** For every namespaced resource: creates need a live namespace. */
  contentStrategy(): Strategy {
    return { validateCreate: (cluster, namespace) => this.requireNamespace(cluster, namespace) };
  }

  strategy(): Strategy {
    return {
      prepareForCreate: (_cluster, obj) => {
        const finalizers = specFinalizers(obj);
        setSpecFinalizers(obj, finalizers.includes(KUBERNETES_FINALIZER) ? finalizers : [...finalizers, KUBERNETES_FINALIZER]);
        obj.status = { phase: 'Active' };
      },
      prepareForUpdate: (live, next, subresource) => {
        if (subresource === 'finalize') return;
        const kept = specFinalizers(live);
        setSpecFinalizers(next, isPlainObject(live.spec) && Array.isArray(live.spec.finalizers) ? kept : undefined);
        // Terminating is the system's word: a status write cannot revive the namespace.
        if (live.metadata.deletionTimestamp) next.status = { ...(isPlainObject(next.status) ? next.status : {}), phase: 'Terminating' };
      },
      beforeCreate: async (cluster, _namespace, obj) => {
        const name = obj.metadata.name ?? '';
        await this.ctx.queue.run(this.key(cluster, name), async () => {
          const swept = await deleteNamespaceContents(this.ctx.registry, cluster, name);
          if (swept > 0) this.ctx.logger.warn('removed leftovers of a previous namespace before creating it', { cluster, namespace: name, objects: swept });
        });
      },
      prepareForDelete: (obj) => {
        const finalizers = specFinalizers(obj);
        if (!finalizers.includes(KUBERNETES_FINALIZER)) setSpecFinalizers(obj, [...finalizers, KUBERNETES_FINALIZER]);
        obj.status = { ...(isPlainObject(obj.status) ? obj.status : {}), phase: 'Terminating' };
      },
      holdsDeletion: (obj) => specFinalizers(obj).length > 0,
      afterDeletionStarted: async (cluster, obj) => this.finalizeLater(cluster, obj),
      afterDelete: async (cluster, obj) => {
        try {
          await deleteNamespaceContents(this.ctx.registry, cluster, obj.metadata.name ?? '');
        } catch (err) {
          this.ctx.logger.error('sweeping a deleted namespace failed; its next creation sweeps again', { cluster, namespace: obj.metadata.name, ...errorFields(err) });
        }
      },
    };
  }

  finalizeLater(cluster: string, ns: KObject): void {
    inBackground(this.ctx, 'namespace cleanup', { cluster, namespace: ns.metadata.name }, () => this.finalize(cluster, ns));
  }

  /** Empty a terminating namespace, then release "kubernetes" from its spec.finalizers. */
  async finalize(cluster: string, ns: KObject): Promise<void> {
    const name = ns.metadata.name ?? '';
    await this.ctx.queue.run(this.key(cluster, name), async () => {
      const live = await this.store.tryGet(cluster, '', name);
      if (!live || live.metadata.uid !== ns.metadata.uid || !live.metadata.deletionTimestamp) return;
      if (!specFinalizers(live).includes(KUBERNETES_FINALIZER)) return;
      await deleteNamespaceContents(this.ctx.registry, cluster, name, pauseAfterFirstRemoval(this.ctx));
      await this.store.update(
        cluster,
        '',
        name,
        (cur) => {
          const next: KObject = { ...cur!, metadata: { ...cur!.metadata, uid: live.metadata.uid } };
          const rest = specFinalizers(cur!).filter((f) => f !== KUBERNETES_FINALIZER);
          setSpecFinalizers(next, rest);
          return next;
        },
        { subresource: 'finalize' },
      );
    });
  }
}
