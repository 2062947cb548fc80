// POST (create) and PUT (update, also on /status).
import { newBadRequest, newMethodNotAllowed } from '../../apierrors/errors.ts';
import { writeJSON } from '../httpx/respond.ts';
import { clone, type KObject, putManagedFields } from '../registry/object.ts';
import { recordManagedFields } from './managedfields.ts';
import { admitObject, fieldValidationOf } from './admit.ts';
import { type HandlerContext, fieldManager, isDryRun } from './context.ts';
import { checkKind, checkName, checkNamespace, decodeObjectBody } from './decode.ts';
import { respondObject } from './read.ts';
import { confineMutator } from './view.ts';

export async function handleCreate(ctx: HandlerContext): Promise<void> {
  const { info, def, store } = ctx;
  if (info.name || info.subresource) throw newMethodNotAllowed(`POST is not supported on a named ${def.plural}; use PUT or PATCH`);
  const validation = fieldValidationOf(ctx.url);
  const dryRun = isDryRun(ctx.url);
  const input = await decodeObjectBody(ctx);
  checkKind(ctx, input);
  checkNamespace(ctx, input);
  const admitted = admitObject(ctx, input, undefined, validation);
  // Field ownership is what the client sent, recorded before the strategy fills in the
  // system's fields (as kube-apiserver's create handler does, and as server-side apply creating
  // an object already did here): a Namespace's finalizer or a SyncTarget's key label and
  // finalizer belong to no client, so no client's later apply can remove them.
  putManagedFields(admitted.metadata, recordManagedFields(ctx, undefined, admitted, fieldManager(ctx), ''));
  // Resource-specific rules (a Workspace's owner and phase, a Namespace's finalizer, the
  // namespace a namespaced object needs) are the store's strategy's, on every create path.
  const prepared = store.prepareForCreate(info.cluster, info.namespace, admitted, ctx.user);
  const created = await store.create(info.cluster, info.namespace, prepared, { dryRun });
  respondObject(ctx, 201, created);
}

export async function handleUpdate(ctx: HandlerContext): Promise<void> {
  const { info, def, store } = ctx;
  if (!info.name) throw newMethodNotAllowed(`PUT requires a name`);
  const sub = info.subresource;
  if (sub !== '' && !(sub === 'status' && def.subresources.status)) throw newBadRequest(`subresource "${sub}" is not supported on ${def.plural}`);
  const validation = fieldValidationOf(ctx.url);
  const dryRun = isDryRun(ctx.url);
  const input = await decodeObjectBody(ctx);
  checkKind(ctx, input);
  checkNamespace(ctx, input);
  checkName(ctx, input);
  const manager = fieldManager(ctx);
  const result = await store.update(
    info.cluster,
    info.namespace,
    info.name,
    confineMutator(ctx, (live) => {
      const desired = desiredForSubresource(live!, input, sub);
      const admitted = admitObject(ctx, desired, live, validation);
      // The body's resourceVersion (if any) is the optimistic-concurrency precondition.
      admitted.metadata.resourceVersion = input.metadata.resourceVersion;
      putManagedFields(admitted.metadata, recordManagedFields(ctx, live, admitted, manager, sub));
      return admitted;
    }),
    { dryRun, subresource: sub },
  );
  respondObject(ctx, 200, result.object);
}

/** What the full object would look like after this write, for admission to judge. */
export function desiredForSubresource(live: KObject, input: KObject, sub: string): KObject {
  if (sub !== 'status') return input;
  // Copy-on-write, as the store's prepareForUpdate: `live` may be the watch cache's shared copy,
  // and nothing below the top level and metadata is modified here or by admission (which
  // answers with a new object), so a deep copy of the whole object per status write was waste.
  const merged: KObject = { ...live, metadata: { ...live.metadata, resourceVersion: input.metadata.resourceVersion } };
  if (input.status === undefined) delete merged.status;
  else merged.status = clone(input.status);
  return merged;
}

export { writeJSON };
