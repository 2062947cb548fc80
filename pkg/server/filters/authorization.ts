// Authorization filter: the request's (possibly impersonated) user against the authorizer
// of its logical cluster; a denial is the 403 Status kube words. It runs before the logical
// cluster's existence is checked, so a tenant learns nothing about workspaces it may not see.
// A request under a syncer view is decided by the view's own authorizer instead (only the
// SyncTarget's syncer identity and system:masters; RBAC grants nothing there); a server
// without one serves no views (404).
import { StatusError } from '../../apierrors/errors.ts';
import type { Authorizer } from '../authz/authorizer.ts';
import type { SyncerViewAuthorizer } from '../syncerview/authorizer.ts';
import type { AuthenticatedContext, Filter } from './context.ts';

export function withAuthorization(authorizer: Authorizer, syncerView?: SyncerViewAuthorizer): Filter<AuthenticatedContext, AuthenticatedContext> {
  return (next) => async (c) => {
    if (c.info.view) {
      if (!syncerView) throw new StatusError('NotFound', 'the server could not find the requested resource', {});
      await syncerView.authorize(c.user, c.info.view);
    } else {
      await authorizer.authorize(c.user, c.info, c.url);
    }
    await next(c);
  };
}
