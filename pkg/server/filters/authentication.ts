// Authentication filter: who is calling. Presented-but-invalid credentials are 401; no
// credentials make the caller system:anonymous, which is 401 too except on the public paths
// (the one set in authz/public.ts, which the authorizer also opens to everyone).
import { StatusError } from '../../apierrors/errors.ts';
import type { AuthenticatorChain } from '../authn/authenticator.ts';
import { ANONYMOUS } from '../authn/user.ts';
import { isPublicPath } from '../authz/public.ts';
import { type AuthenticatedContext, type DeadlineContext, extend, type Filter } from './context.ts';

export function withAuthentication(authenticator: AuthenticatorChain): Filter<DeadlineContext, AuthenticatedContext> {
  return (next) => async (c) => {
    const auth = await authenticator.authenticate(c.req);
    if ('error' in auth) throw new StatusError('Unauthorized', 'Unauthorized');
    if ('user' in auth) return next(extend(c, { authenticatedUser: auth.user, user: auth.user }));
    const path = c.info.path.replace(/\/+$/, '') || '/';
    if (c.info.isResourceRequest || !isPublicPath(path)) throw new StatusError('Unauthorized', 'Unauthorized');
    return next(extend(c, { authenticatedUser: ANONYMOUS, user: ANONYMOUS }));
  };
}
