// The status (up) controller: the `.status` the physical cluster writes on a downstream copy
// goes to the upstream object's /status subresource, through the syncer view. Keys are
// downstream objects (`<type> <namespace>/<name>`); the upstream object is found through the
// downstream namespace's locator. No write when the upstream status already equals it.
import type { KubeObject } from '../../client/object.ts';
import { Controller } from '../../controller/runner.ts';
import { deletedObject, type EventHandler } from '../../informer/handlers.ts';
import { clusterOf } from '../../client/object.ts';
import { RateLimitingQueue } from '../../workqueue/rate-limiting-queue.ts';
import type { SyncContext } from '../shared/context.ts';
import { downstreamNamespaceName, locatorFor } from '../shared/locator.ts';
import { JitteredRateLimiter } from '../shared/rate-limiter.ts';
import { reconcileStatus } from './reconcile.ts';

export const STATUS_CONTROLLER = 'kplane-syncer-status';

export function statusKey(type: string, downstreamNamespace: string, name: string): string {
  return `${type} ${downstreamNamespace}/${name}`;
}

export function parseStatusKey(key: string): { type: string; namespace: string; name: string } {
  const sp = key.indexOf(' ');
  const rest = key.slice(sp + 1);
  const slash = rest.indexOf('/');
  return { type: key.slice(0, sp), namespace: rest.slice(0, slash), name: rest.slice(slash + 1) };
}

export class StatusController {
  readonly queue: RateLimitingQueue<string>;
  private readonly controller: Controller<string>;

  constructor(ctx: SyncContext, o: { workers?: number } = {}) {
    this.queue = new RateLimitingQueue<string>({ name: STATUS_CONTROLLER, rateLimiter: new JitteredRateLimiter(500, 30_000) });
    this.controller = new Controller<string>({
      name: STATUS_CONTROLLER,
      queue: this.queue,
      workers: o.workers ?? 2,
      logger: ctx.logger,
      hasSynced: () => ctx.upNamespaces.hasSynced() && ctx.downNamespaces.hasSynced() && [...ctx.types.values()].every((t) => t.up.hasSynced() && t.down.hasSynced()),
      reconcile: async (key, rctx) => {
        const k = parseStatusKey(key);
        const t = ctx.types.get(k.type);
        if (t) await reconcileStatus(ctx, t, k.namespace, k.name, rctx.signal);
      },
    });
    for (const t of ctx.types.values()) {
      const enqueueDown = (o: KubeObject) => this.queue.add(statusKey(t.type.name, o.metadata.namespace ?? '', o.metadata.name ?? ''));
      // An upstream status changed by someone else is put back too.
      const enqueueUp = (o: KubeObject) => {
        const dns = downstreamNamespaceName(locatorFor(ctx.me, clusterOf(o), o.metadata.namespace ?? ''));
        this.queue.add(statusKey(t.type.name, dns, o.metadata.name ?? ''));
      };
      t.down.addEventHandler(handler(enqueueDown));
      t.up.addEventHandler({ onAdd: enqueueUp, onUpdate: (_o, n) => enqueueUp(n) });
    }
  }

  run(signal: AbortSignal): Promise<void> {
    return this.controller.run(signal);
  }
}

function handler(enqueue: (o: KubeObject) => void): EventHandler<KubeObject> {
  return { onAdd: enqueue, onUpdate: (_old, o) => enqueue(o), onDelete: (o) => enqueue(deletedObject(o)) };
}
