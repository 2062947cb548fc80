// Lifecycle rules that span resources, kept out of the generic handlers:
//  - a logical cluster exists when it is `root` or its Workspace exists in the parent;
//  - a namespaced object needs its Namespace (kube's NamespaceLifecycle admission);
//  - a new Workspace gets a `default` namespace in its child cluster, then turns Ready;
//  - deleting a Workspace removes everything in the child cluster and below;
//  - deleting a Namespace removes everything in it.
import type { Logger } from '../log/logger.ts';
import { baseName, isWithin, join, parentOf, ROOT } from '../logicalcluster/path.ts';
import { newNotFound, StatusError } from '../apierrors/errors.ts';
import type { Registry } from './registry/registry.ts';
import { CLUSTER_ANNOTATION, type KObject, rfc3339 } from './registry/object.ts';

const WORKSPACES = { group: 'tenancy.kcp.io', plural: 'workspaces' };
const NAMESPACES = { group: '', plural: 'namespaces' };

export class Lifecycle {
  private readonly registry: Registry;
  private readonly logger: Logger;
  private readonly now: () => number;
  /** Base URL used for Workspace status.URL, e.g. https://127.0.0.1:6443 */
  private readonly externalURL: string;
  /** Run when a new workspace is initialised, before it turns Ready (bootstrap RBAC, creator's binding). */
  readonly workspaceInitializers: ((cluster: string, ws: KObject) => Promise<void>)[] = [];

  constructor(registry: Registry, logger: Logger, externalURL: string, now: () => number = Date.now) {
    this.registry = registry;
    this.logger = logger;
    this.externalURL = externalURL;
    this.now = now;
  }

  async clusterExists(path: string): Promise<boolean> {
    if (path === ROOT) return true;
    const parent = parentOf(path);
    if (parent === undefined) return false;
    const ws = await this.registry.store(WORKSPACES.group, WORKSPACES.plural).tryGet(parent, '', baseName(path));
    return ws !== undefined && !ws.metadata.deletionTimestamp;
  }

  async requireCluster(path: string): Promise<void> {
    if (!(await this.clusterExists(path))) {
      throw new StatusError('NotFound', `logical cluster "${path}" not found`, { name: path, kind: 'logicalclusters', group: 'core.kcp.io' });
    }
  }

  async requireNamespace(cluster: string, namespace: string): Promise<void> {
    const ns = await this.registry.store(NAMESPACES.group, NAMESPACES.plural).tryGet(cluster, '', namespace);
    if (!ns) throw newNotFound('', 'namespaces', namespace);
    if (ns.metadata.deletionTimestamp) {
      throw new StatusError('Forbidden', `unable to create new content in namespace ${namespace} because it is being terminated`);
    }
  }

  /** Create the `default` namespace of a logical cluster if missing (root at start, children on creation). */
  async ensureDefaultNamespace(cluster: string): Promise<void> {
    const store = this.registry.store(NAMESPACES.group, NAMESPACES.plural);
    if (await store.tryGet(cluster, '', 'default')) return;
    const obj: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } };
    try {
      const prepared = store.prepareForCreate(cluster, '', obj);
      prepared.status = { phase: 'Active' };
      await store.create(cluster, '', prepared);
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
    }
  }

  /** Called after an object is stored by a create. */
  async afterCreate(group: string, plural: string, cluster: string, obj: KObject): Promise<void> {
    if (group === WORKSPACES.group && plural === WORKSPACES.plural) {
      // Initialise asynchronously so that the create returns with phase Initializing, and
      // watchers see the Initializing → Ready transition as in kcp.
      setImmediate(() => {
        this.initializeWorkspace(cluster, obj).catch((err: unknown) =>
          this.logger.error('workspace initialization failed', { cluster, workspace: obj.metadata.name, err: String(err) }),
        );
      });
    }
    if (group === NAMESPACES.group && plural === NAMESPACES.plural) {
      const store = this.registry.store(NAMESPACES.group, NAMESPACES.plural);
      await store.update(cluster, '', obj.metadata.name ?? '', (live) => ({ ...live!, status: { phase: 'Active' } }), { subresource: 'status' });
    }
  }

  /** Workspace status at creation time: Initializing, with its URL. */
  initialWorkspaceStatus(cluster: string, name: string): Record<string, unknown> {
    return { phase: 'Initializing', URL: `${this.externalURL}/clusters/${join(cluster, name)}` };
  }

  private async initializeWorkspace(cluster: string, ws: KObject): Promise<void> {
    const name = ws.metadata.name ?? '';
    const child = join(cluster, name);
    await this.ensureDefaultNamespace(child);
    for (const init of this.workspaceInitializers) await init(child, ws);
    const store = this.registry.store(WORKSPACES.group, WORKSPACES.plural);
    await store.update(
      cluster,
      '',
      name,
      (live) => {
        const status = { ...(live!.status as Record<string, unknown> | undefined), phase: 'Ready', URL: `${this.externalURL}/clusters/${child}` };
        const conditions = [{ type: 'WorkspaceInitialized', status: 'True', lastTransitionTime: rfc3339(this.now()) }];
        return { ...live!, status: { ...status, conditions } };
      },
      { subresource: 'status' },
    );
  }

  /** Called after an object is gone from storage (not merely marked for deletion). */
  async afterDelete(group: string, plural: string, cluster: string, obj: KObject): Promise<void> {
    if (group === WORKSPACES.group && plural === WORKSPACES.plural) {
      await this.deleteClusterContents(join(cluster, obj.metadata.name ?? ''));
    }
    if (group === NAMESPACES.group && plural === NAMESPACES.plural) {
      await this.deleteNamespaceContents(cluster, obj.metadata.name ?? '');
    }
  }

  /** Remove every object of a logical cluster and of the clusters below it. */
  async deleteClusterContents(root: string): Promise<void> {
    let removed = 0;
    for (const store of this.registry.storedResources()) {
      // Scan the wildcard prefix and keep the subtree: keys of `root:x` do not share the
      // `root/` prefix, so one prefix scan per cluster would miss descendants.
      let cont: string | undefined;
      do {
        const page = await store.listPage({ cluster: undefined, namespace: '' }, { limit: 500, ...(cont ? { continue: cont } : {}) });
        for (const obj of page.items) {
          const c = obj.metadata.annotations?.[CLUSTER_ANNOTATION];
          if (c === undefined || !isWithin(c, root)) continue;
          try {
            await store.storageDelete(c, obj.metadata.namespace ?? '', obj.metadata.name ?? '');
            removed++;
          } catch (err) {
            if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
          }
        }
        cont = page.continue;
      } while (cont);
    }
    this.logger.info('deleted logical cluster contents', { cluster: root, objects: removed });
  }

  private async deleteNamespaceContents(cluster: string, namespace: string): Promise<void> {
    for (const store of this.registry.storedResources()) {
      if (!store.def.namespaced) continue;
      let cont: string | undefined;
      do {
        const page = await store.listPage({ cluster, namespace }, { limit: 500, ...(cont ? { continue: cont } : {}) });
        for (const obj of page.items) {
          try {
            await store.storageDelete(cluster, namespace, obj.metadata.name ?? '');
          } catch (err) {
            if (!(err instanceof StatusError && err.reason === 'NotFound')) throw err;
          }
        }
        cont = page.continue;
      } while (cont);
    }
  }
}
