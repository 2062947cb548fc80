// Authorization filter: the request's (possibly impersonated) user against the authorizer
// of its logical cluster; a denial is the 403 Status kube words. It runs before the logical
// cluster's existence is checked, so a tenant learns nothing about workspaces it may not see.
import type { Authorizer } from '../authz/authorizer.ts';
import type { AuthenticatedContext, Filter } from './context.ts';

export function withAuthorization(authorizer: Authorizer): Filter<AuthenticatedContext, AuthenticatedContext> {
  return (next) => async (c) => {
    await authorizer.authorize(c.user, c.info, c.url);
    await next(c);
  };
}
