// Verb → handler.
import { newMethodNotAllowed, StatusError } from '../../apierrors/errors.ts';
import type { HandlerContext } from './context.ts';
import { handleDelete, handleDeleteCollection } from './delete.ts';
import { handlePatch } from './patch.ts';
import { handleGet, handleList } from './read.ts';
import { handleWatch } from './watch.ts';
import { handleScale } from './scale.ts';
import { handleCreate, handleUpdate } from './write.ts';
import { handleTokenRequest, isTokenRequest } from './tokenrequest.ts';
import { withEscalationCheck } from './escalation.ts';
import { withReservedMetadataCheck } from './reserved-metadata.ts';

export async function dispatchResource(request: HandlerContext): Promise<void> {
  // Writes of Roles and bindings must not grant more than the writer holds (escalation.ts).
  // Placement labels, deletion annotations and syncer finalizers are kplane's own (reserved-metadata.ts).
  const ctx = withReservedMetadataCheck(withEscalationCheck(request));
  // Subresources besides status: serviceaccounts/<name>/token (TokenRequest) and `scale`
  // where the resource declares one (deployments/<name>/scale).
  if (isTokenRequest(ctx)) return handleTokenRequest(ctx);
  const sub = ctx.info.subresource;
  if (sub === 'scale' && ctx.def.subresources.scale) return handleScale(ctx, ctx.def.subresources.scale);
  if (sub !== '' && !(sub === 'status' && ctx.def.subresources.status)) {
    // A subresource the resource does not declare (e.g. configmaps/scale) has no route in
    // kube either: 404, which kubectl reports as NotFound.
    throw new StatusError('NotFound', 'the server could not find the requested resource', {});
  }
  if (ctx.def.virtual) {
    // Reviews (SelfSubjectAccessReview, …) are answered by the authorization layer.
    const { handleReview } = await import('./review.ts');
    return handleReview(ctx);
  }
  switch (ctx.info.verb) {
    case 'get':
      return handleGet(ctx);
    case 'list':
      return handleList(ctx);
    case 'watch':
      if (ctx.info.name) {
        // Legacy `/watch` of one object: same as a list watch narrowed to the name.
        ctx.url.searchParams.set('fieldSelector', `metadata.name=${ctx.info.name}`);
      }
      return handleWatch(ctx);
    case 'create':
      return handleCreate(ctx);
    case 'update':
      return handleUpdate(ctx);
    case 'patch':
      return handlePatch(ctx);
    case 'delete':
      return handleDelete(ctx);
    case 'deletecollection':
      return handleDeleteCollection(ctx);
    default:
      throw newMethodNotAllowed(`verb ${String(ctx.info.verb)} is not supported`);
  }
}
