// The RBAC escalation check (authz/escalation.ts) applied to a request: the handlers own the
// request context, so the wrapper lives here and authz stays below the handlers.
import { EscalationGuard, GUARDED } from '../authz/escalation.ts';
import { RBAC_GROUP, StoreRBACReader } from '../authz/reader.ts';
import type { KObject } from '../registry/object.ts';
import type { ResourceStore } from '../registry/store.ts';
import type { HandlerContext } from './context.ts';

/**
 * The handler context with its store wrapped by the escalation check when the request
 * writes one of the four RBAC resources; otherwise `ctx` unchanged. Without security
 * services (bare test servers: no authorization at all) nothing is checked.
 */
export function withEscalationCheck(ctx: HandlerContext): HandlerContext {
  const kind = ctx.def.group === RBAC_GROUP ? GUARDED[ctx.def.plural] : undefined;
  if (!kind || !ctx.security) return ctx;
  const guard = new EscalationGuard(ctx.security.authorizer, new StoreRBACReader(ctx.registry));
  const inner = ctx.store;
  const check = (cluster: string, namespace: string, name: string, object: KObject, live?: KObject) =>
    guard.confirm({ user: ctx.user, cluster, namespace, kind, plural: ctx.def.plural, name, object, live });
  // A view of the same store whose two write entry points check first; every other method
  // (reads, delete) is the store's own, reached through the prototype.
  const guarded = Object.create(inner) as ResourceStore;
  guarded.create = async (cluster, namespace, prepared, opts) => {
    await check(cluster, namespace, prepared.metadata.name ?? '', prepared);
    return inner.create(cluster, namespace, prepared, opts);
  };
  guarded.update = (cluster, namespace, name, mutate, opts) =>
    inner.update(
      cluster,
      namespace,
      name,
      async (live) => {
        const desired = await mutate(live);
        await check(cluster, namespace, name, desired, live);
        return desired;
      },
      opts,
    );
  return { ...ctx, store: guarded };
}
