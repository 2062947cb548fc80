// The spec (down) controller: one queue of upstream namespace and object keys, fed by the
// upstream informers (through the syncer view) and by the downstream ones (a downstream object
// or namespace maps back to its upstream key through the namespace locator, so a copy deleted
// or changed downstream is put back, and one whose upstream is gone is removed). Retries use a
// jittered per-key exponential backoff; every key is re-examined every `resyncMs` (the
// periodic garbage collection of downstream namespaces no longer placed here).
import type { KubeObject } from '../../client/object.ts';
import { Controller } from '../../controller/runner.ts';
import { deletedObject, type EventHandler } from '../../informer/handlers.ts';
import { clusterOf } from '../../client/object.ts';
import { RateLimitingQueue } from '../../workqueue/rate-limiting-queue.ts';
import { errorFields } from '../../log/errors.ts';
import type { SyncContext, TypeInformers } from '../shared/context.ts';
import { isOurs, locatorOf } from '../shared/locator.ts';
import { JitteredRateLimiter } from '../shared/rate-limiter.ts';
import { DownstreamConflictError } from './downstream.ts';
import { NAMESPACES, namespaceKey, parseSpecKey, specKey } from './keys.ts';
import { reconcileNamespace } from './reconcile-namespace.ts';
import { type ObjectReconcileState, reconcileObject } from './reconcile-object.ts';

export const SPEC_CONTROLLER = 'kplane-syncer-spec';

export interface SpecControllerOptions {
  workers?: number;
  /** How often every key is looked at again; defaults to 5 minutes. */
  resyncMs?: number;
}

export class SpecController {
  readonly queue: RateLimitingQueue<string>;
  private readonly ctx: SyncContext;
  private readonly controller: Controller<string>;
  private readonly state: ObjectReconcileState = { lastApplied: new Map() };
  private readonly resyncMs: number;

  constructor(ctx: SyncContext, o: SpecControllerOptions = {}) {
    this.ctx = ctx;
    this.resyncMs = o.resyncMs ?? 5 * 60_000;
    this.queue = new RateLimitingQueue<string>({ name: SPEC_CONTROLLER, rateLimiter: new JitteredRateLimiter(500, 30_000) });
    this.controller = new Controller<string>({
      name: SPEC_CONTROLLER,
      queue: this.queue,
      workers: o.workers ?? 4,
      logger: ctx.logger,
      hasSynced: () => ctx.upNamespaces.hasSynced() && ctx.downNamespaces.hasSynced() && [...ctx.types.values()].every((t) => t.up.hasSynced() && t.down.hasSynced()),
      // A conflict waits for a change (or the periodic resync), not a hot retry.
      classify: (err) => (err instanceof DownstreamConflictError ? 'terminal' : 'transient'),
      reconcile: (key, rctx) => this.reconcile(key, rctx.signal),
    });
    this.register();
  }

  private async reconcile(queueKey: string, signal: AbortSignal) {
    const k = parseSpecKey(queueKey);
    try {
      if (k.type === NAMESPACES) return await reconcileNamespace(this.ctx, k, signal, (c, ns) => this.enqueueObjectsIn(c, ns));
      const t = this.ctx.types.get(k.type);
      if (!t) return;
      return await reconcileObject(this.ctx, t, k, queueKey, this.state, signal);
    } catch (err) {
      if (err instanceof DownstreamConflictError) {
        this.ctx.health.conflict(queueKey, `${k.type} ${k.cluster}/${k.namespace ? k.namespace + '/' : ''}${k.name}: ${err.message}`);
      }
      throw err;
    }
  }

  private register(): void {
    const { ctx } = this;
    ctx.upNamespaces.addEventHandler(this.handler((o) => {
      const cluster = clusterOf(o);
      this.queue.add(namespaceKey(cluster, o.metadata.name ?? ''));
      // A namespace arriving, leaving or asked to leave changes what its objects must do.
      this.enqueueObjectsIn(cluster, o.metadata.name ?? '');
    }));
    ctx.downNamespaces.addEventHandler(this.handler((o) => {
      const loc = locatorOf(o.metadata.annotations);
      if (isOurs(loc, ctx.me)) this.queue.add(namespaceKey(loc.cluster, loc.namespace));
    }));
    for (const t of ctx.types.values()) {
      t.up.addEventHandler(this.handler((o) => this.queue.add(specKey(t.type.name, clusterOf(o), o.metadata.namespace ?? '', o.metadata.name ?? ''))));
      t.down.addEventHandler(this.handler((o) => this.enqueueFromDownstream(t, o)));
    }
  }

  private handler(enqueue: (o: KubeObject) => void): EventHandler<KubeObject> {
    return { onAdd: enqueue, onUpdate: (_old, o) => enqueue(o), onDelete: (o) => enqueue(deletedObject(o)) };
  }

  private enqueueFromDownstream(t: TypeInformers, o: KubeObject): void {
    const ns = this.ctx.downNamespaces.lister.cluster('').get(o.metadata.namespace ?? '');
    const loc = locatorOf(ns?.metadata.annotations);
    if (isOurs(loc, this.ctx.me)) this.queue.add(specKey(t.type.name, loc.cluster, loc.namespace, o.metadata.name ?? ''));
  }

  private enqueueObjectsIn(cluster: string, namespace: string): void {
    for (const t of this.ctx.types.values()) {
      for (const o of t.up.lister.cluster(cluster).namespace(namespace).list()) this.queue.add(specKey(t.type.name, cluster, namespace, o.metadata.name ?? ''));
    }
  }

  /** Every key either side knows of: upstream objects and namespaces, downstream copies. */
  resyncAll(): void {
    const { ctx } = this;
    for (const ns of ctx.upNamespaces.lister.list()) this.queue.add(namespaceKey(clusterOf(ns), ns.metadata.name ?? ''));
    for (const ns of ctx.downNamespaces.lister.list()) {
      const loc = locatorOf(ns.metadata.annotations);
      if (isOurs(loc, ctx.me)) this.queue.add(namespaceKey(loc.cluster, loc.namespace));
    }
    for (const t of ctx.types.values()) {
      for (const o of t.up.lister.list()) this.queue.add(specKey(t.type.name, clusterOf(o), o.metadata.namespace ?? '', o.metadata.name ?? ''));
      for (const o of t.down.lister.list()) this.enqueueFromDownstream(t, o);
    }
  }

  async run(signal: AbortSignal): Promise<void> {
    const timer = setInterval(() => {
      try {
        this.resyncAll();
      } catch (err) {
        this.ctx.logger.error('resync failed', errorFields(err));
      }
    }, this.resyncMs);
    timer.unref();
    try {
      await this.controller.run(signal);
    } finally {
      clearInterval(timer);
    }
  }
}
