// The reserved-metadata rule (admission/reserved-metadata.ts) applied to a request: only
// system:masters (kplane's controllers, operators) may change it through the ordinary API; a
// syncer changes its own share only through its view, whose rules (syncerview/view.ts) govern
// there. Wraps the store's two write entry points like escalation.ts does, so create, update,
// patch and apply are all covered, and the check sees the object the write would store.
// Anyone else setting a reserved entry gets 403; leaving one out keeps it as stored, with a
// warning (a PUT of an object read before a controller labelled it must not fail or unplace it).
import { StatusError } from '../../apierrors/errors.ts';
import { reservedMetadataEdits, withStoredReservedMetadata } from '../admission/reserved-metadata.ts';
import { MASTERS_GROUP } from '../authz/authorizer.ts';
import type { KObject } from '../registry/object.ts';
import type { ResourceStore } from '../registry/store.ts';
import { addWarnings } from './admit.ts';
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
  const guarded = Object.create(inner) as ResourceStore;
  // A create is judged on what the client sent, before the store's strategy adds the system's
  // own reserved entries (a new SyncTarget's key label); objects prepared elsewhere are judged
  // as they reach create.
  const judged = new WeakSet<KObject>();
  guarded.prepareForCreate = (cluster, namespace, input, requester) => {
    const { changed } = reservedMetadataEdits(undefined, input.metadata);
    if (changed.length > 0) throw forbidden(ctx, input.metadata.name ?? input.metadata.generateName ?? '', changed);
    const prepared = inner.prepareForCreate(cluster, namespace, input, requester);
    judged.add(prepared);
    return prepared;
  };
  guarded.create = (cluster, namespace, prepared, opts) => {
    if (!judged.has(prepared)) {
      const { changed } = reservedMetadataEdits(undefined, prepared.metadata);
      if (changed.length > 0) throw forbidden(ctx, prepared.metadata.name ?? '', changed);
    }
    return inner.create(cluster, namespace, prepared, opts);
  };
  guarded.update = async (cluster, namespace, name, mutate, opts) => {
    // The mutator may run more than once (conflict retries): warn about the last run only.
    let kept: string[] = [];
    const result = await inner.update(
      cluster,
      namespace,
      name,
      async (live) => {
        const desired = await mutate(live);
        // /status keeps the stored metadata whatever the body says (store.prepareForUpdate).
        if (opts?.subresource === 'status') return desired;
        const { changed, dropped } = reservedMetadataEdits(live?.metadata, desired.metadata);
        if (changed.length > 0) throw forbidden(ctx, name, changed);
        kept = dropped;
        if (!live || dropped.length === 0) return desired;
        return { ...desired, metadata: { ...desired.metadata, ...withStoredReservedMetadata(live.metadata, desired.metadata) } } as KObject;
      },
      opts,
    );
    if (kept.length > 0) addWarnings(ctx, [`${kept.join(', ')} ${kept.length === 1 ? 'is' : 'are'} reserved for kplane and kept as stored`]);
    return result;
  };
  return { ...ctx, store: guarded };
}
