// Create-only review resources, answered by the authorizer about the caller itself:
//  - SelfSubjectReview (`kubectl auth whoami`) reports the authenticated user;
//  - SelfSubjectAccessReview (`kubectl auth can-i`) asks "may I …" in the request's
//    logical cluster (resource or non-resource attributes);
//  - SelfSubjectRulesReview (`kubectl auth can-i --list`) lists the rules that apply in a
//    namespace. kubectl posts these as protobuf; the replies are JSON, which it accepts.
import { groupVersion } from '../../../apis/resource.ts';
import { newMethodNotAllowed, StatusError } from '../../apierrors/errors.ts';
import type { Attributes } from '../authz/attributes.ts';
import { isPlainObject } from '../registry/object.ts';
import { writeJSON } from '../httpx/respond.ts';
import type { HandlerContext } from './context.ts';
import { decodeObjectBody } from './decode.ts';

export async function handleReview(ctx: HandlerContext): Promise<void> {
  if (ctx.info.verb !== 'create' || ctx.info.name || ctx.info.subresource) throw newMethodNotAllowed(`${ctx.def.plural} only support create`);
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
    case 'SelfSubjectAccessReview': {
      const spec = isPlainObject(body.spec) ? body.spec : {};
      const d = await ctx.security.authorizer.decide(accessAttributes(ctx, spec));
      const status = { allowed: d.allowed, ...(d.denied ? { denied: true } : {}), ...(d.reason ? { reason: d.reason } : {}) };
      return writeJSON(ctx.res, 201, { ...base, spec, status });
    }
    case 'SelfSubjectRulesReview': {
      const spec = isPlainObject(body.spec) ? body.spec : {};
      const namespace = typeof spec.namespace === 'string' ? spec.namespace : '';
      const status = await ctx.security.authorizer.rulesFor(ctx.user, ctx.info.cluster, namespace);
      return writeJSON(ctx.res, 201, { ...base, spec, status });
    }
    default:
      throw newMethodNotAllowed(`${ctx.def.plural} is not supported`);
  }
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

function accessAttributes(ctx: HandlerContext, spec: Record<string, unknown>): Attributes {
  const base = { user: ctx.user, cluster: ctx.info.cluster };
  if (isPlainObject(spec.resourceAttributes)) {
    const r = spec.resourceAttributes;
    return {
      ...base,
      resourceRequest: true,
      verb: str(r.verb),
      namespace: str(r.namespace),
      apiGroup: str(r.group),
      resource: str(r.resource),
      subresource: str(r.subresource),
      name: str(r.name),
    };
  }
  if (isPlainObject(spec.nonResourceAttributes)) {
    const n = spec.nonResourceAttributes;
    return { ...base, resourceRequest: false, verb: str(n.verb), path: str(n.path) };
  }
  throw new StatusError('Invalid', 'SelfSubjectAccessReview.authorization.k8s.io "" is invalid: spec: Invalid value: exactly one of nonResourceAttributes or resourceAttributes must be specified', {
    group: 'authorization.k8s.io',
    kind: 'SelfSubjectAccessReview',
    causes: [{ reason: 'FieldValueInvalid', field: 'spec', message: 'exactly one of nonResourceAttributes or resourceAttributes must be specified' }],
  });
}

