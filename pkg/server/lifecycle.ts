// Lifecycle rules that span resources, kept out of the generic handlers and store:
//  - a logical cluster exists when it is `root` or its Workspace exists (and is not being
//    deleted) in the parent;
//  - a namespaced object needs its live Namespace (kube's NamespaceLifecycle admission);
//  - Workspaces and Namespaces follow their strategies (lifecycle/workspaces.ts,
//    lifecycle/namespaces.ts), installed into the registry here so every write path runs
//    them: initialisation, contents cleanup on deletion, sweeping before re-creation;
//  - reads of a recreated workspace never reach its predecessor's history (lifecycle/incarnation.ts).
// Background work is recorded durably in the objects themselves (Initializing phase, contents
// finalizers), so run() finishes on start whatever a crash interrupted, and resyncs periodically.
import type { Logger } from '../log/logger.ts';
import { baseName, parentOf, ROOT } from '../logicalcluster/path.ts';
import { StatusError } from '../apierrors/errors.ts';
import type { Registry } from './registry/registry.ts';
import { CLUSTER_ANNOTATION, type KObject } from './registry/object.ts';
import type { ResourceStore } from './registry/store.ts';
import type { LifecycleContext, PausePoint } from './lifecycle/context.ts';
import { IncarnationGuard } from './lifecycle/incarnation.ts';
import { KeyedQueue } from './lifecycle/keyed-queue.ts';
import { KUBERNETES_FINALIZER, NamespaceLifecycle, NAMESPACES } from './lifecycle/namespaces.ts';
import {
  CONTENTS_FINALIZER,
  type WorkspaceCreationHook,
  type WorkspaceInitializer,
  WorkspaceLifecycle,
  WORKSPACES,
} from './lifecycle/workspaces.ts';
import { errorFields } from '../log/errors.ts';

export type { PausePoint } from './lifecycle/context.ts';

export interface LifecycleOptions {
  now?: () => number;
  /** Test-only: stop background work at a pause point (crash-resume tests). */
  pause?: (point: PausePoint) => Promise<void>;
}

/** How often pending initialisations and cleanups are looked for after start. */
const DEFAULT_RESYNC_MS = 60_000;

export class Lifecycle {
  private readonly registry: Registry;
  private readonly logger: Logger;
  private readonly queue = new KeyedQueue();
  private readonly workspaces: WorkspaceLifecycle;
  private readonly namespaces: NamespaceLifecycle;
  /** Run when a new workspace is initialised, before it turns Ready (bootstrap RBAC, creator's binding). */
  readonly workspaceInitializers: WorkspaceInitializer[] = [];
  /** Run on every new Workspace before it is stored (the creator's owner annotation). */
  readonly workspaceCreationHooks: WorkspaceCreationHook[] = [];

  constructor(registry: Registry, logger: Logger, externalURL: string, opts: LifecycleOptions = {}) {
    this.registry = registry;
    this.logger = logger;
    const ctx: LifecycleContext = { registry, logger, queue: this.queue, now: opts.now ?? Date.now, pause: opts.pause };
    this.namespaces = new NamespaceLifecycle(ctx);
    this.workspaces = new WorkspaceLifecycle(ctx, {
      externalURL,
      initializers: this.workspaceInitializers,
      creationHooks: this.workspaceCreationHooks,
      ensureDefaultNamespace: (cluster) => this.ensureDefaultNamespace(cluster),
    });
    for (const store of registry.storedResources()) {
      if (store.def.namespaced) store.strategy = this.namespaces.contentStrategy();
    }
    registry.store(NAMESPACES.group, NAMESPACES.plural).strategy = this.namespaces.strategy();
    registry.store(WORKSPACES.group, WORKSPACES.plural).strategy = this.workspaces.strategy();
    registry.setHistoryGuard(new IncarnationGuard(registry));
  }

  async clusterExists(path: string): Promise<boolean> {
    if (path === ROOT) return true;
    const parent = parentOf(path);
    if (parent === undefined) return false;
    const store = this.registry.store(WORKSPACES.group, WORKSPACES.plural);
    // Asked by every request to a workspace. A live Workspace in the watch cache settles it, as
    // kcp asks its informers: the read and decode from storage was ~3 % of the API server's
    // CPU while a fleet was set up (docs/design.md §11). A cache a moment behind a deletion
    // widens by that moment the race every existence check has with a concurrent delete (the
    // check was never a lock); anything else, a workspace the cache has not seen yet included,
    // is asked of storage.
    const cached = store.peekCached(parent, '', baseName(path));
    if (cached !== undefined && !cached.metadata.deletionTimestamp) return true;
    const ws = await store.tryGet(parent, '', baseName(path));
    return ws !== undefined && !ws.metadata.deletionTimestamp;
  }

  async requireCluster(path: string): Promise<void> {
    if (!(await this.clusterExists(path))) {
      throw new StatusError('NotFound', `logical cluster "${path}" not found`, { name: path, kind: 'logicalclusters', group: 'core.kcp.io' });
    }
  }

  /** Create the `default` namespace of a logical cluster if missing (root at start, children on creation). */
  async ensureDefaultNamespace(cluster: string): Promise<void> {
    const store = this.registry.store(NAMESPACES.group, NAMESPACES.plural);
    if (await store.tryGet(cluster, '', 'default')) return;
    const obj: KObject = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } };
    try {
      await store.create(cluster, '', store.prepareForCreate(cluster, '', obj));
    } catch (err) {
      if (!(err instanceof StatusError && err.reason === 'AlreadyExists')) throw err;
    }
  }

  /**
   * Finish what is pending — workspaces still Initializing, workspaces and namespaces marked
   * for deletion whose contents are not yet removed — now and then every resyncMs, until
   * signal aborts. Resolves after the first pass.
   */
  async run(signal: AbortSignal, resyncMs = DEFAULT_RESYNC_MS): Promise<void> {
    const pass = async () => {
      try {
        await this.resume();
      } catch (err) {
        this.logger.error('lifecycle resync failed; will retry', errorFields(err));
      }
    };
    await pass();
    const timer = setInterval(() => void pass(), resyncMs);
    timer.unref();
    signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  }

  /** One pass over every Workspace and Namespace; each pending step runs (queued per object). */
  async resume(): Promise<void> {
    const work: Promise<void>[] = [];
    await forEachObject(this.registry.store(WORKSPACES.group, WORKSPACES.plural), (cluster, ws) => {
      if (ws.metadata.deletionTimestamp) {
        if ((ws.metadata.finalizers ?? []).includes(CONTENTS_FINALIZER)) work.push(this.workspaces.finalize(cluster, ws));
      } else if ((ws.status as { phase?: string } | undefined)?.phase === 'Initializing') {
        work.push(this.workspaces.initialize(cluster, ws));
      }
    });
    await forEachObject(this.registry.store(NAMESPACES.group, NAMESPACES.plural), (cluster, ns) => {
      const spec = ns.spec as { finalizers?: unknown } | undefined;
      if (ns.metadata.deletionTimestamp && Array.isArray(spec?.finalizers) && spec.finalizers.includes(KUBERNETES_FINALIZER)) {
        work.push(this.namespaces.finalize(cluster, ns));
      }
    });
    if (work.length > 0) this.logger.info('finishing pending workspace/namespace initialisations and cleanups', { pending: work.length });
    const failed = (await Promise.allSettled(work)).filter((r) => r.status === 'rejected');
    for (const f of failed) this.logger.error('pending lifecycle step failed; will retry', errorFields(f.reason));
  }
}

/** Visit every object of a cluster-scoped resource in every logical cluster. */
async function forEachObject(store: ResourceStore, visit: (cluster: string, obj: KObject) => void): Promise<void> {
  let cont: string | undefined;
  do {
    const page = await store.listPage({ cluster: undefined, namespace: '' }, { limit: 500, ...(cont ? { continue: cont } : {}) });
    for (const obj of page.items) {
      const cluster = obj.metadata.annotations?.[CLUSTER_ANNOTATION];
      if (cluster !== undefined) visit(cluster, obj);
    }
    cont = page.continue;
  } while (cont);
}
