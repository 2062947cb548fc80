// The authorizer of kplane, consulted for every request right after authentication.
// In order (first match decides):
//  1. system:masters may do anything anywhere, including the wildcard cluster `*`;
//  2. public endpoints (/healthz, /livez, /readyz, /version) are open to everyone;
//  3. the wildcard cluster `*` is refused to everybody else;
//  4. a service account acts only in the logical cluster it lives in;
//  5. "basic user" rights — discovery, OpenAPI and the Self*Review resources — need no
//     binding in root, and in any other workspace need some binding there (workspace
//     access: otherwise discovery would reveal which workspaces exist);
//  6. RBAC of the request's logical cluster.
import type { PolicyRule } from '../../../apis/rbac/v1/types.ts';
import { ROOT, WILDCARD } from '../../logicalcluster/path.ts';
import { boundCluster } from '../authn/satoken.ts';
import type { UserInfo } from '../authn/user.ts';
import type { RequestInfo } from '../request/requestinfo.ts';
import { type Attributes, attributesFor } from './attributes.ts';
import { isPublicPath } from './public.ts';
import { newForbidden } from './forbidden.ts';
import type { RBACAuthorizer } from './rbac.ts';

export const MASTERS_GROUP = 'system:masters';

export interface Decision {
  allowed: boolean;
  reason: string;
  /** Denied and nothing else could allow it (kube's `denied`). */
  denied?: boolean;
}

const DISCOVERY_PREFIXES = ['/api', '/apis', '/openapi'];
const SELF_REVIEWS = new Set([
  'authorization.k8s.io/selfsubjectaccessreviews',
  'authorization.k8s.io/selfsubjectrulesreviews',
  'authentication.k8s.io/selfsubjectreviews',
]);

function underAny(path: string, prefixes: string[]): boolean {
  return prefixes.some((p) => path === p || path.startsWith(`${p}/`));
}

/** Rules every authenticated user has (kube's system:basic-user + system:discovery). */
export const BASIC_USER_RULES: PolicyRule[] = [
  { verbs: ['create'], apiGroups: ['authorization.k8s.io'], resources: ['selfsubjectaccessreviews', 'selfsubjectrulesreviews'] },
  { verbs: ['create'], apiGroups: ['authentication.k8s.io'], resources: ['selfsubjectreviews'] },
  { verbs: ['get'], nonResourceURLs: ['/api', '/api/*', '/apis', '/apis/*', '/openapi', '/openapi/*', '/version', '/version/', '/healthz', '/livez', '/readyz'] },
];

export interface RulesSummary {
  resourceRules: PolicyRule[];
  nonResourceRules: PolicyRule[];
  incomplete: boolean;
}

export class Authorizer {
  private readonly rbac: RBACAuthorizer;

  constructor(rbac: RBACAuthorizer) {
    this.rbac = rbac;
  }

  /** Throws a 403 StatusError unless the request is allowed. */
  async authorize(user: UserInfo, info: RequestInfo, url: URL): Promise<void> {
    const attrs = attributesFor(user, info, url);
    const d = await this.decide(attrs);
    if (!d.allowed) throw newForbidden(attrs, d.reason);
  }

  async decide(a: Attributes): Promise<Decision> {
    const { user } = a;
    if (user.groups.includes(MASTERS_GROUP)) return { allowed: true, reason: `member of ${MASTERS_GROUP}` };
    if (!a.resourceRequest && isPublicPath(a.path) && a.verb === 'get') return { allowed: true, reason: 'public endpoint' };
    if (a.cluster === WILDCARD) return { allowed: false, denied: true, reason: 'the wildcard cluster "*" is for privileged identities only' };
    if (!user.groups.includes('system:authenticated')) return { allowed: false, reason: '' };
    const home = boundCluster(user);
    if (home !== undefined && home !== a.cluster) {
      return { allowed: false, denied: true, reason: `service account of logical cluster "${home}" has no access to "${a.cluster}"` };
    }
    if (this.isBasicUserRequest(a)) {
      if (a.cluster === ROOT || home === a.cluster || (await this.rbac.hasAnyBinding(user, a.cluster))) {
        return { allowed: true, reason: 'basic user rights' };
      }
      return { allowed: false, reason: 'workspace access not permitted' };
    }
    const d = await this.rbac.authorize(a);
    return d.allowed ? d : { allowed: false, reason: d.reason };
  }

  /** What the user may do in a cluster and namespace (SelfSubjectRulesReview). */
  async rulesFor(user: UserInfo, cluster: string, namespace: string): Promise<RulesSummary> {
    if (user.groups.includes(MASTERS_GROUP)) {
      return {
        resourceRules: [{ verbs: ['*'], apiGroups: ['*'], resources: ['*'] }],
        nonResourceRules: [{ verbs: ['*'], nonResourceURLs: ['*'] }],
        incomplete: false,
      };
    }
    const home = boundCluster(user);
    const own = home === undefined || home === cluster ? await this.rbac.rulesFor(user, cluster, namespace) : [];
    const all = [...BASIC_USER_RULES, ...own];
    return {
      resourceRules: all.filter((r) => (r.resources ?? []).length > 0).map(stripEmpty),
      nonResourceRules: all.filter((r) => (r.nonResourceURLs ?? []).length > 0).map((r) => ({ verbs: r.verbs, nonResourceURLs: r.nonResourceURLs! })),
      incomplete: false,
    };
  }

  private isBasicUserRequest(a: Attributes): boolean {
    if (!a.resourceRequest) return a.verb === 'get' && (underAny(a.path, DISCOVERY_PREFIXES) || a.path === '/version');
    return a.verb === 'create' && a.subresource === '' && SELF_REVIEWS.has(`${a.apiGroup}/${a.resource}`);
  }
}

function stripEmpty(r: PolicyRule): PolicyRule {
  const out: PolicyRule = { verbs: r.verbs };
  if (r.apiGroups) out.apiGroups = r.apiGroups;
  if (r.resources) out.resources = r.resources;
  if (r.resourceNames && r.resourceNames.length > 0) out.resourceNames = r.resourceNames;
  return out;
}
