// The body of a DELETE reply, shaped as kube-apiserver's generic store shapes it. An object
// of a built-in type that is gone at once is answered with a Status (status Success, details
// name/group/kind/uid, where kind is the resource plural as kube puts it) so a client can
// tell "deleted" from "waiting on finalizers"; custom resources (SyncTarget, Workspace)
// return the deleted object, as kube's ReturnDeletedObject does for CRDs. An object that
// finalizers still hold is returned as it now is, with its deletionTimestamp, and also with
// 200: kube answers 202 only when the client sent the deprecated orphanDependents=false.
import type { Status } from '../../../apis/meta/v1/status.ts';
import { writeJSON } from '../httpx/respond.ts';
import type { DeleteResult } from '../registry/store.ts';
import type { HandlerContext } from './context.ts';
import { respondObject } from './read.ts';

/** A success Status; kube leaves `code` out of this one (finalizeDelete never sets it). */
export type DeletedStatus = Omit<Status, 'code'>;

export function deletedStatus(ctx: HandlerContext, result: DeleteResult): DeletedStatus {
  const details: Status['details'] = { name: result.object.metadata.name ?? '', kind: ctx.def.plural };
  if (ctx.def.group !== '') details.group = ctx.def.group;
  if (result.object.metadata.uid) details.uid = result.object.metadata.uid;
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details };
}

export function respondDeleted(ctx: HandlerContext, result: DeleteResult): void {
  // Built-in types are exactly the ones that take strategic merge patches.
  if (result.deleted && ctx.def.strategicMergePatch === true) {
    writeJSON(ctx.res, 200, deletedStatus(ctx, result));
    return;
  }
  respondObject(ctx, 200, result.object);
}
