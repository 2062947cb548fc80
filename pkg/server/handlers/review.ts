// Create-only review resources. SelfSubjectReview (`kubectl auth whoami`) reports the
// authenticated user. Access reviews consult the server's authorizer; until RBAC lands
// every authenticated user is allowed everything, and the review says exactly that.
import { groupVersion } from '../../../apis/resource.ts';
import { newMethodNotAllowed } from '../../apierrors/errors.ts';
import { writeJSON } from '../httpx/respond.ts';
import type { HandlerContext } from './context.ts';
import { decodeObjectBody } from './decode.ts';

export async function handleReview(ctx: HandlerContext): Promise<void> {
  if (ctx.info.verb !== 'create') throw newMethodNotAllowed(`${ctx.def.plural} only support create`);
  const body = await decodeObjectBody(ctx);
  const base = { apiVersion: groupVersion(ctx.def), kind: ctx.def.kind, metadata: { ...body.metadata, creationTimestamp: null } };
  switch (ctx.def.kind) {
    case 'SelfSubjectReview':
      return writeJSON(ctx.res, 201, {
        ...base,
        status: {
          userInfo: {
            username: ctx.user.username,
            ...(ctx.user.uid ? { uid: ctx.user.uid } : {}),
            groups: ctx.user.groups,
            ...(ctx.user.extra ? { extra: ctx.user.extra } : {}),
          },
        },
      });
    case 'SelfSubjectAccessReview':
      return writeJSON(ctx.res, 201, {
        ...base,
        spec: body.spec ?? {},
        status: { allowed: true, reason: 'kplane has no authorizer yet: every authenticated user may do everything' },
      });
    case 'SelfSubjectRulesReview':
      return writeJSON(ctx.res, 201, {
        ...base,
        spec: body.spec ?? {},
        status: {
          resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
          nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
          incomplete: false,
        },
      });
    default:
      throw newMethodNotAllowed(`${ctx.def.plural} is not supported`);
  }
}
