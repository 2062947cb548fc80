// Field ownership for every write (metadata.managedFields "Update" entries) and server-side
// apply ("Apply" entries, conflicts between managers), adapted from pkg/server/apply to the
// handlers' errors: an apply conflict is 409 Conflict with FieldManagerConflict causes.
import { groupVersion } from '../../../apis/resource.ts';
import { newBadRequest, StatusError } from '../../apierrors/errors.ts';
import { ApplyError, recordUpdate, serverSideApply } from '../apply/index.ts';
import { asKObject, CLUSTER_ANNOTATION, type KObject } from '../registry/object.ts';
import type { HandlerContext } from './context.ts';

/**
 * Fields this endpoint does not let clients set, so nobody owns them through it: status on a
 * main resource with a status subresource; on /status everything the store keeps from the
 * live object (kube's status reset fields are spec; kplane also keeps metadata).
 */
const NOT_STATUS = ['spec', 'metadata.labels', 'metadata.annotations', 'metadata.finalizers', 'metadata.ownerReferences'];
function ignoredFields(ctx: HandlerContext, sub: string): string[] {
  if (sub === 'status') return NOT_STATUS;
  return ctx.def.subresources.status ? ['status'] : [];
}

/** Server-maintained annotations no manager owns (the logical cluster an object lives in). */
const UNTRACKED = [CLUSTER_ANNOTATION];

export function recordManagedFields(ctx: HandlerContext, live: KObject | undefined, next: KObject, manager: string, sub: string): Record<string, unknown>[] | undefined {
  const out = guard(() =>
    recordUpdate(live, next, manager, {
      apiVersion: groupVersion(ctx.def),
      subresource: sub,
      now: () => new Date(ctx.now()),
      ignoredFields: ignoredFields(ctx, sub),
      untrackedAnnotations: UNTRACKED,
    }),
  );
  const mf = asKObject(out).metadata.managedFields;
  return mf && mf.length > 0 ? mf : undefined;
}

export function applyConfiguration(ctx: HandlerContext, live: KObject | undefined, applied: KObject, manager: string, force: boolean, sub: string): KObject {
  const result = guard(() =>
    serverSideApply({
      live,
      config: applied,
      manager,
      force,
      apiVersion: groupVersion(ctx.def),
      subresource: sub,
      now: () => new Date(ctx.now()),
      ignoredFields: ignoredFields(ctx, sub),
      untrackedAnnotations: UNTRACKED,
    }),
  );
  return asKObject(result.object);
}

function guard<T>(fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (!(err instanceof ApplyError)) throw err;
    if (err.kind === 'Conflict') throw new StatusError('Conflict', err.message, { causes: err.causes });
    throw newBadRequest(err.message);
  }
}
