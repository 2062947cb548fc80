// Impersonation filter (kube's WithImpersonation): `Impersonate-User`, `Impersonate-Group`
// (repeatable), `Impersonate-Uid` and `Impersonate-Extra-<key>` make the request act as
// another user. Each requested attribute is authorised for the caller with the `impersonate`
// verb in the request's logical cluster:
//   user            → users/<name>                               (API group "")
//   service account → serviceaccounts/<name> in its namespace    (API group "")
//   group           → groups/<name>                              (API group "")
//   uid             → uids/<uid>                                 (authentication.k8s.io)
//   extra           → userextras/<key>, name = the value         (authentication.k8s.io)
// Groups, uid or extras without a user are a 400 (kube answers 500 for the same mistake).
// Beyond kube: the `system:masters` group may be impersonated only by its own members —
// a workspace `admin` holds `*` on every resource of its workspace, impersonate included,
// and must not become the server's operator that way.
// The headers are never ignored: present means impersonate or refuse.
import { newBadRequest } from '../../apierrors/errors.ts';
import { CLUSTER_NAME_EXTRA, SA_USER_PREFIX } from '../authn/satoken.ts';
import { AUTHENTICATED_GROUP, UNAUTHENTICATED_GROUP, ANONYMOUS_USER, type UserInfo } from '../authn/user.ts';
import type { ResourceAttributes } from '../authz/attributes.ts';
import { type Authorizer, MASTERS_GROUP } from '../authz/authorizer.ts';
import { newForbidden } from '../authz/forbidden.ts';
import { type AuthenticatedContext, extend, type Filter } from './context.ts';

const USER_HEADER = 'impersonate-user';
const GROUP_HEADER = 'impersonate-group';
const UID_HEADER = 'impersonate-uid';
const EXTRA_PREFIX = 'impersonate-extra-';
const AUTHN_GROUP = 'authentication.k8s.io';

/** What the Impersonate-* headers ask for; undefined when there are none. */
export interface ImpersonationRequest {
  user: string;
  groups: string[];
  uid: string | undefined;
  extra: Record<string, string[]>;
}

/** `headers` as Node's `headersDistinct`: lower-case names, one array entry per header line. */
export function parseImpersonationHeaders(headers: NodeJS.Dict<string[]>): ImpersonationRequest | undefined {
  const users = headers[USER_HEADER] ?? [];
  const groups = headers[GROUP_HEADER] ?? [];
  const uids = headers[UID_HEADER] ?? [];
  const extra: Record<string, string[]> = {};
  for (const [name, values] of Object.entries(headers)) {
    if (!name.startsWith(EXTRA_PREFIX) || values === undefined) continue;
    let key: string;
    try {
      key = decodeURIComponent(name.slice(EXTRA_PREFIX.length));
    } catch {
      throw newBadRequest(`malformed impersonation extra header ${JSON.stringify(name)}`);
    }
    extra[key] = [...(extra[key] ?? []), ...values];
  }
  if (users.length === 0 && groups.length === 0 && uids.length === 0 && Object.keys(extra).length === 0) return undefined;
  if (users.length > 1) throw newBadRequest('only one Impersonate-User header may be given');
  if (uids.length > 1) throw newBadRequest('only one Impersonate-Uid header may be given');
  const user = users[0] ?? '';
  if (user === '') {
    const what = [...(groups.length ? ['groups'] : []), ...(uids.length ? ['uid'] : []), ...(Object.keys(extra).length ? ['extra'] : [])];
    throw newBadRequest(`requested impersonation of ${what.join(', ') || 'an empty user'} without impersonating a user`);
  }
  return { user, groups, uid: uids[0], extra };
}

/** Is any header named Impersonate-*? (Node lower-cases the names it parses.) */
export function hasImpersonationHeader(headers: NodeJS.Dict<string | string[]>): boolean {
  for (const name in headers) if (name.startsWith('impersonate-')) return true;
  return false;
}

/** `system:serviceaccount:<ns>:<name>` → its namespace and name. */
function serviceAccountOf(username: string): { namespace: string; name: string } | undefined {
  if (!username.startsWith(SA_USER_PREFIX)) return undefined;
  const parts = username.slice(SA_USER_PREFIX.length).split(':');
  if (parts.length !== 2 || parts[0] === '' || parts[1] === '') return undefined;
  return { namespace: parts[0]!, name: parts[1]! };
}

/** The checks one impersonation needs, as `impersonate` resource attributes. */
export function impersonationChecks(asked: ImpersonationRequest, caller: UserInfo, cluster: string): ResourceAttributes[] {
  const check = (resource: string, name: string, o: { namespace?: string; apiGroup?: string; subresource?: string } = {}): ResourceAttributes => ({
    resourceRequest: true,
    user: caller,
    cluster,
    verb: 'impersonate',
    namespace: o.namespace ?? '',
    apiGroup: o.apiGroup ?? '',
    resource,
    subresource: o.subresource ?? '',
    name,
  });
  const sa = serviceAccountOf(asked.user);
  const out = [sa ? check('serviceaccounts', sa.name, { namespace: sa.namespace }) : check('users', asked.user)];
  for (const g of asked.groups) out.push(check('groups', g));
  if (asked.uid !== undefined) out.push(check('uids', asked.uid, { apiGroup: AUTHN_GROUP }));
  for (const [key, values] of Object.entries(asked.extra)) {
    for (const v of values) out.push(check('userextras', v, { apiGroup: AUTHN_GROUP, subresource: key }));
  }
  return out;
}

/** The user the request acts as once every check passed. */
export function impersonatedUser(asked: ImpersonationRequest, cluster: string): UserInfo {
  const sa = serviceAccountOf(asked.user);
  let groups = [...asked.groups];
  const extra: Record<string, string[]> = {};
  if (sa) {
    // A service account's groups follow from its name (as kube adds them), and it lives in
    // the logical cluster where its impersonation was authorised.
    if (groups.length === 0) groups = ['system:serviceaccounts', `system:serviceaccounts:${sa.namespace}`];
    extra[CLUSTER_NAME_EXTRA] = [cluster];
  }
  Object.assign(extra, asked.extra);
  const allGroup = asked.user === ANONYMOUS_USER ? UNAUTHENTICATED_GROUP : AUTHENTICATED_GROUP;
  if (!groups.includes(allGroup)) groups.push(allGroup);
  return {
    username: asked.user,
    ...(asked.uid !== undefined ? { uid: asked.uid } : {}),
    groups,
    ...(Object.keys(extra).length > 0 ? { extra } : {}),
  };
}

export function withImpersonation(authorizer: Authorizer): Filter<AuthenticatedContext, AuthenticatedContext> {
  return (next) => async (c) => {
    // headersDistinct builds an array per header line on every read; nearly every request has
    // no Impersonate-* header at all, which one pass over the names already parsed tells.
    if (!hasImpersonationHeader(c.req.headers)) return next(c);
    const asked = parseImpersonationHeaders(c.req.headersDistinct);
    if (!asked) return next(c);
    const caller = c.authenticatedUser;
    for (const a of impersonationChecks(asked, caller, c.info.cluster)) {
      if (a.resource === 'groups' && a.name === MASTERS_GROUP && !caller.groups.includes(MASTERS_GROUP)) {
        throw newForbidden(a, `only members of ${MASTERS_GROUP} may impersonate it`);
      }
      const d = await authorizer.decide(a);
      if (!d.allowed) throw newForbidden(a, d.reason);
    }
    const user = impersonatedUser(asked, c.info.cluster);
    return next(extend(c, { user, impersonatedUser: user }));
  };
}
