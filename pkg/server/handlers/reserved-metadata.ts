// The reserved-metadata rule (admission/reserved-metadata.ts) applied to a request: only
// system:masters (kplane's controllers, operators) may change it through the ordinary API; a
// syncer changes its own share only through its view, whose rules (syncerview/view.ts) govern
// there. Wraps the store's two write entry points like escalation.ts does, so create, update,
// patch and apply are all covered, and the check sees the object the write would store.
import { StatusError } from '../../apierrors/errors.ts';
import { reservedMetadataChanges } from '../admission/reserved-metadata.ts';
import { MASTERS_GROUP } from '../authz/authorizer.ts';
import type { KObject } from '../registry/object.ts';
import type { ResourceStore } from '../registry/store.ts';
import type { HandlerContext } from './context.ts';

function forbidden(ctx: HandlerContext, name: string, changes: string[]): StatusError {
  const qualified = ctx.def.group ? `${ctx.def.plural}.${ctx.def.group}` : ctx.def.plural;
  return new StatusError(
    'Forbidden',
    `${qualified} "${name}" is forbidden: ${changes.join(', ')} ${changes.length === 1 ? 'is' : 'are'} reserved for kplane's scheduling controllers and syncers`,
    { name, group: ctx.def.group, kind: ctx.def.plural },
  );
}

export function withReservedMetadataCheck(ctx: HandlerContext): HandlerContext {
  // Bare test servers run without authorization at all; views enforce their own write rules.
  if (!ctx.security || ctx.view || ctx.user.groups.includes(MASTERS_GROUP)) return ctx;
  const inner = ctx.store;
  const check = (name: string, next: KObject, live: KObject | undefined) => {
    const changes = reservedMetadataChanges(live?.metadata, next.metadata);
    if (changes.length > 0) throw forbidden(ctx, name, changes);
  };
  const guarded = Object.create(inner) as ResourceStore;
  guarded.create = (cluster, namespace, prepared, opts) => {
    check(prepared.metadata.name ?? '', prepared, undefined);
    return inner.create(cluster, namespace, prepared, opts);
  };
  guarded.update = (cluster, namespace, name, mutate, opts) =>
    inner.update(
      cluster,
      namespace,
      name,
      async (live) => {
        const desired = await mutate(live);
        // /status keeps the stored metadata whatever the body says (store.prepareForUpdate).
        if (opts?.subresource !== 'status') check(name, desired, live);
        return desired;
      },
      opts,
    );
  return { ...ctx, store: guarded };
}
