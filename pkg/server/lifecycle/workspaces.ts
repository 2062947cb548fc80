// The Workspace strategy and lifecycle (kcp's workspace + logical cluster controllers, in
// process): a new Workspace is Initializing until its child cluster has a `default`
// namespace and its bootstrap policy, then Ready. Deleting it marks it with the system
// finalizer CONTENTS_FINALIZER; the contents of the child cluster (and below) are removed,
// then the finalizer, and the object goes once users' finalizers are gone too. The marked
// object is the durable record of pending work: start and the periodic resync finish
// whatever a crash interrupted. Before a Workspace is created, anything left under its path
// is swept and the birth revision of the new incarnation recorded (incarnation.ts).
import { join } from '../../logicalcluster/path.ts';
import { newAlreadyExists } from '../../apierrors/errors.ts';
import { type KObject } from '../registry/object.ts';
import type { Requester, Strategy } from '../registry/strategy.ts';
import { errorFields } from '../../log/errors.ts';
import { deleteClusterTree } from './contents.ts';
import { inBackground, type LifecycleContext, pauseAfterFirstRemoval } from './context.ts';
import { BIRTH_ANNOTATION } from './incarnation.ts';
import { keepSystemAnnotation, keepSystemFinalizer, withoutFinalizer } from './system-fields.ts';
import { formatTime } from '../../../apis/meta/v1/time.ts';

export const WORKSPACES = { group: 'tenancy.kcp.io', plural: 'workspaces' } as const;
/** Holds a deleted Workspace until its logical cluster is empty. */
export const CONTENTS_FINALIZER = 'tenancy.kcp.io/workspace-contents';

export type WorkspaceInitializer = (cluster: string, ws: KObject) => Promise<void>;
/** Edits a new Workspace before it is stored (e.g. records its owner). No I/O. */
export type WorkspaceCreationHook = (ws: KObject, requester: Requester | undefined) => void;

export interface WorkspaceLifecycleOptions {
  /** Base URL for status.URL, e.g. https://127.0.0.1:6443. */
  externalURL: string;
  /** Run while a workspace initialises, before it turns Ready (bootstrap RBAC, creator's binding). */
  initializers: WorkspaceInitializer[];
  /** Run on every new Workspace, whichever request creates it. */
  creationHooks: WorkspaceCreationHook[];
  /** Creates the `default` namespace of a cluster if missing. */
  ensureDefaultNamespace(cluster: string): Promise<void>;
}

export class WorkspaceLifecycle {
  private readonly ctx: LifecycleContext;
  private readonly opts: WorkspaceLifecycleOptions;

  constructor(ctx: LifecycleContext, opts: WorkspaceLifecycleOptions) {
    this.ctx = ctx;
    this.opts = opts;
  }

  private get store() {
    return this.ctx.registry.store(WORKSPACES.group, WORKSPACES.plural);
  }

  strategy(): Strategy {
    return {
      prepareForCreate: (cluster, obj, requester) => {
        const name = obj.metadata.name ?? '';
        obj.status = { phase: 'Initializing', URL: this.urlOf(join(cluster, name)) };
        // System-owned: a client cannot choose the birth revision (set right before the
        // create is stored).
        const annotations = { ...obj.metadata.annotations };
        delete annotations[BIRTH_ANNOTATION];
        obj.metadata.annotations = annotations;
        for (const hook of this.opts.creationHooks) hook(obj, requester);
        const finalizers = withoutFinalizer(obj, CONTENTS_FINALIZER);
        if (finalizers === undefined) delete obj.metadata.finalizers;
        else obj.metadata.finalizers = finalizers;
      },
      prepareForUpdate: (live, next, subresource) => {
        keepSystemAnnotation(live, next, BIRTH_ANNOTATION);
        if (subresource !== 'finalize') keepSystemFinalizer(live, next, CONTENTS_FINALIZER);
      },
      beforeCreate: async (cluster, _namespace, obj) => {
        const child = join(cluster, obj.metadata.name ?? '');
        await this.ctx.queue.run(child, async () => {
          if (await this.store.tryGet(cluster, '', obj.metadata.name ?? '')) throw newAlreadyExists(WORKSPACES.group, WORKSPACES.plural, obj.metadata.name ?? '');
          // Whatever a predecessor left (an old crash, a write racing its cleanup) goes now,
          // before anyone can reach the path again.
          const swept = await deleteClusterTree(this.ctx.registry, child);
          if (swept > 0) this.ctx.logger.warn('removed leftovers of a previous workspace before creating it', { cluster: child, objects: swept });
          const birth = await this.store.currentRevision();
          obj.metadata.annotations = { ...obj.metadata.annotations, [BIRTH_ANNOTATION]: String(birth) };
        });
      },
      // Initialise in the background so the create returns Initializing and watchers see
      // the Initializing → Ready transition, as in kcp.
      afterCreate: async (cluster, obj) => this.initializeLater(cluster, obj),
      prepareForDelete: (obj) => {
        const finalizers = obj.metadata.finalizers ?? [];
        if (!finalizers.includes(CONTENTS_FINALIZER)) obj.metadata.finalizers = [...finalizers, CONTENTS_FINALIZER];
      },
      afterDeletionStarted: async (cluster, obj) => this.finalizeLater(cluster, obj),
      // Normally empty by now; this catches a write that raced the cleanup, and a Workspace
      // marked for deletion before the contents finalizer existed.
      afterDelete: async (cluster, obj) => {
        const child = join(cluster, obj.metadata.name ?? '');
        try {
          const n = await deleteClusterTree(this.ctx.registry, child);
          if (n > 0) this.ctx.logger.info('deleted logical cluster contents', { cluster: child, objects: n });
        } catch (err) {
          // The object is already gone; the next create of this name sweeps the path again.
          this.ctx.logger.error('sweeping a deleted workspace failed; its next creation sweeps again', { cluster: child, ...errorFields(err) });
        }
      },
    };
  }

  private urlOf(child: string): string {
    return `${this.opts.externalURL}/clusters/${child}`;
  }

  initializeLater(cluster: string, ws: KObject): void {
    inBackground(this.ctx, 'workspace initialization', { cluster, workspace: ws.metadata.name }, () => this.initialize(cluster, ws));
  }

  finalizeLater(cluster: string, ws: KObject): void {
    inBackground(this.ctx, 'workspace cleanup', { cluster, workspace: ws.metadata.name }, () => this.finalize(cluster, ws));
  }

  /** Bring an Initializing workspace to Ready; a no-op for any other state or incarnation. */
  async initialize(cluster: string, ws: KObject): Promise<void> {
    const name = ws.metadata.name ?? '';
    const child = join(cluster, name);
    await this.ctx.queue.run(child, async () => {
      const live = await this.store.tryGet(cluster, '', name);
      if (!live || live.metadata.uid !== ws.metadata.uid || live.metadata.deletionTimestamp) return;
      if ((live.status as { phase?: string } | undefined)?.phase !== 'Initializing') return;
      await this.ctx.pause?.('initialization');
      await this.opts.ensureDefaultNamespace(child);
      for (const init of this.opts.initializers) await init(child, live);
      await this.store.update(
        cluster,
        '',
        name,
        (cur) => {
          const status = { ...(cur!.status as Record<string, unknown> | undefined), phase: 'Ready', URL: this.urlOf(child) };
          const conditions = [{ type: 'WorkspaceInitialized', status: 'True', lastTransitionTime: formatTime(new Date(this.ctx.now())) }];
          // The uid is the precondition: a successor of the same name is not ours to touch.
          return { ...cur!, metadata: { ...cur!.metadata, uid: live.metadata.uid }, status: { ...status, conditions } };
        },
        { subresource: 'status' },
      );
    });
  }

  /** Empty a deleted workspace's logical cluster, then release its contents finalizer. */
  async finalize(cluster: string, ws: KObject): Promise<void> {
    const name = ws.metadata.name ?? '';
    const child = join(cluster, name);
    await this.ctx.queue.run(child, async () => {
      const live = await this.store.tryGet(cluster, '', name);
      if (!live || live.metadata.uid !== ws.metadata.uid || !live.metadata.deletionTimestamp) return;
      if (!(live.metadata.finalizers ?? []).includes(CONTENTS_FINALIZER)) return;
      const removed = await deleteClusterTree(this.ctx.registry, child, pauseAfterFirstRemoval(this.ctx));
      this.ctx.logger.info('deleted logical cluster contents', { cluster: child, objects: removed });
      await this.store.update(
        cluster,
        '',
        name,
        (cur) => ({ ...cur!, metadata: { ...cur!.metadata, uid: live.metadata.uid, finalizers: withoutFinalizer(cur!, CONTENTS_FINALIZER) } }),
        { subresource: 'finalize' },
      );
    });
  }
}
