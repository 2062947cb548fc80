// TokenRequest: POST /api/v1/namespaces/<ns>/serviceaccounts/<name>/token mints a signed
// service-account token (authentication.k8s.io/v1 TokenRequest) bound to the live
// ServiceAccount's uid, valid for spec.expirationSeconds (default 1 h, 10 min … 1 year).
import { newBadRequest, newMethodNotAllowed, newNotFound, StatusError } from '../../apierrors/errors.ts';
import {
  DEFAULT_EXPIRATION_SECONDS,
  MAX_EXPIRATION_SECONDS,
  MIN_EXPIRATION_SECONDS,
} from '../authn/satoken.ts';
import { writeJSON } from '../httpx/respond.ts';
import { isPlainObject } from '../registry/object.ts';
import type { HandlerContext } from './context.ts';
import { decodeObjectBody } from './decode.ts';
import { formatTime } from '../../../apis/meta/v1/time.ts';

const API_VERSION = 'authentication.k8s.io/v1';

export function isTokenRequest(ctx: HandlerContext): boolean {
  return ctx.info.group === '' && ctx.info.resource === 'serviceaccounts' && ctx.info.subresource === 'token';
}

export async function handleTokenRequest(ctx: HandlerContext): Promise<void> {
  const { info } = ctx;
  if (info.verb !== 'create') throw newMethodNotAllowed(`serviceaccounts/token only supports create`);
  const tokens = ctx.security.serviceAccountTokens;
  const body = await decodeObjectBody(ctx);
  if (body.kind !== undefined && body.kind !== 'TokenRequest') throw newBadRequest(`the kind in the data (${String(body.kind)}) does not match the expected kind (TokenRequest)`);
  if (body.apiVersion !== undefined && body.apiVersion !== API_VERSION) {
    throw newBadRequest(`the API version in the data (${String(body.apiVersion)}) does not match the expected API version (${API_VERSION})`);
  }
  const spec = isPlainObject(body.spec) ? body.spec : {};
  const expirationSeconds = spec.expirationSeconds ?? DEFAULT_EXPIRATION_SECONDS;
  if (typeof expirationSeconds !== 'number' || !Number.isInteger(expirationSeconds) || expirationSeconds < MIN_EXPIRATION_SECONDS || expirationSeconds > MAX_EXPIRATION_SECONDS) {
    throw invalid('spec.expirationSeconds', `must be an integer between ${MIN_EXPIRATION_SECONDS} and ${MAX_EXPIRATION_SECONDS}`);
  }
  const audiences = spec.audiences === undefined || (Array.isArray(spec.audiences) && spec.audiences.length === 0) ? [tokens.audience] : spec.audiences;
  if (!Array.isArray(audiences) || !audiences.every((a) => typeof a === 'string' && a !== '')) throw invalid('spec.audiences', 'must be a list of non-empty strings');
  const sa = await ctx.store.tryGet(info.cluster, info.namespace, info.name);
  if (!sa || sa.metadata.deletionTimestamp) throw newNotFound('', 'serviceaccounts', info.name);
  const { token, expiresAt } = await tokens.issue(
    { cluster: info.cluster, namespace: info.namespace, name: info.name, uid: sa.metadata.uid ?? '' },
    expirationSeconds,
    audiences as string[],
  );
  writeJSON(ctx.res, 201, {
    apiVersion: API_VERSION,
    kind: 'TokenRequest',
    metadata: { name: info.name, namespace: info.namespace, creationTimestamp: null },
    spec: { audiences, expirationSeconds, boundObjectRef: null },
    status: { token, expirationTimestamp: formatTime(new Date(expiresAt)) },
  });
}

function invalid(field: string, message: string): StatusError {
  return new StatusError('Invalid', `TokenRequest.authentication.k8s.io "" is invalid: ${field}: Invalid value: ${message}`, {
    group: 'authentication.k8s.io',
    kind: 'TokenRequest',
    causes: [{ reason: 'FieldValueInvalid', field, message }],
  });
}
