// A view narrows what the ordinary handlers serve without a second copy of them: list and
// watch AND its membership test into the request's selectors (an object leaving the view is
// DELETED for a watcher, exactly like one leaving a label selector), get of an object outside
// it is 404, and update/patch run only against a STORED object inside it, checked inside the
// store's read-modify-write loop so no concurrent change can slip between check and write.
// The syncer view (pkg/server/syncerview) is the one view today.
import { newNotFound } from '../../apierrors/errors.ts';
import type { KObject } from '../registry/object.ts';
import type { Mutator } from '../registry/store.ts';
import type { HandlerContext } from './context.ts';

function notInView(ctx: HandlerContext): Error {
  return newNotFound(ctx.def.group, ctx.def.plural, ctx.info.name);
}

/** Throws 404 unless the object is in the request's view (no view: everything is). */
export function requireInView(ctx: HandlerContext, obj: KObject): void {
  if (ctx.view && !ctx.view.contains(obj)) throw notInView(ctx);
}

/**
 * The mutator an update runs under the request's view: the live object must be in the view
 * (an absent one is 404 too, so an apply cannot create through a view) and the change must be
 * one the view allows.
 */
export function confineMutator(ctx: HandlerContext, mutate: Mutator): Mutator {
  const view = ctx.view;
  if (!view) return mutate;
  return async (live) => {
    if (!live || !view.contains(live)) throw notInView(ctx);
    const next = await mutate(live);
    view.checkWrite(live, next, ctx.info.subresource);
    return next;
  };
}
