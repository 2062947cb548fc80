// RBAC escalation prevention, as kube-apiserver's policy-based RBAC storage does it: write
// access to Roles and bindings must not be a way to gain rights one does not hold.
//  - Role / ClusterRole (create, update, patch, apply): the writer holds every permission
//    the rules grant, in the role's scope — or may `escalate` that role.
//  - RoleBinding / ClusterRoleBinding: the writer holds every permission of the referenced
//    role, in the binding's scope — or may `bind` that role (resourceNames = role name).
//  - system:masters is exempt (it holds everything anyway).
//  - a ClusterRole with an aggregationRule needs full authority (`*` and every URL), as in kube.
// An update that leaves the grant unchanged (rules, aggregationRule; roleRef and subjects) is not checked, so
// labels and finalizers stay writable by whoever may update the object.
//
// handlers/escalation.ts wraps the resource's store for the request with this guard (kube
// wraps its REST storage the same way), so create, update, every patch type and server-side apply — dry-run included — pass
// through it after admission, on the object about to be stored.
import { isDeepStrictEqual } from 'node:util';
import type { PolicyRule, RoleRef } from '../../../apis/rbac/v1/types.ts';
import { newNotFound, StatusError } from '../../apierrors/errors.ts';
import type { UserInfo } from '../authn/user.ts';
import type { KObject } from '../registry/object.ts';
import type { ResourceAttributes } from './attributes.ts';
import { MASTERS_GROUP, type Authorizer } from './authorizer.ts';
import { formatRule, quoteList, uncoveredRules } from './coverage.ts';
import type { RBACReader } from './rbac.ts';
import { RBAC_GROUP } from './reader.ts';

export type RBACKind = 'Role' | 'ClusterRole' | 'RoleBinding' | 'ClusterRoleBinding';

/** The RBAC resources whose writes are checked, plural → kind. */
export const GUARDED: Record<string, RBACKind> = {
  roles: 'Role',
  clusterroles: 'ClusterRole',
  rolebindings: 'RoleBinding',
  clusterrolebindings: 'ClusterRoleBinding',
};

const ROLE_PLURAL: Record<string, string> = { Role: 'roles', ClusterRole: 'clusterroles' };

export interface Write {
  user: UserInfo;
  cluster: string;
  /** The object's namespace ('' for the cluster-scoped kinds). */
  namespace: string;
  kind: RBACKind;
  plural: string;
  /** The object's name (the URL's, for an apply that creates without metadata.name). */
  name: string;
  /** The object about to be stored (admitted). */
  object: KObject;
  /** The stored object an update replaces; undefined for a create. */
  live?: KObject | undefined;
}

export class EscalationGuard {
  private readonly authorizer: Authorizer;
  private readonly reader: RBACReader;

  constructor(authorizer: Authorizer, reader: RBACReader) {
    this.authorizer = authorizer;
    this.reader = reader;
  }

  /** Throws 403 Forbidden (or 404 for a binding to a missing role) unless the write grants nothing new. */
  async confirm(w: Write): Promise<void> {
    if (w.user.groups.includes(MASTERS_GROUP)) return;
    if (w.live && grantUnchanged(w.kind, w.object, w.live)) return;
    const name = w.object.metadata.name || w.name;
    let granted: PolicyRule[];
    if (w.kind === 'Role' || w.kind === 'ClusterRole') {
      if (await this.may(w, 'escalate', w.plural, name)) return;
      granted = Array.isArray(w.object.rules) ? (w.object.rules as PolicyRule[]) : [];
      // An aggregation rule may gather any role's rules (once aggregation exists): like kube,
      // setting one takes full authority.
      if (w.kind === 'ClusterRole' && hasAggregationRule(w.object)) granted = [...granted, ...FULL_AUTHORITY];
    } else {
      const ref = w.object.roleRef as RoleRef | undefined;
      const refPlural = ROLE_PLURAL[ref?.kind ?? ''];
      // Admission refuses such a roleRef first; should it not, nothing unknown is bound.
      if (!ref || !refPlural) throw new StatusError('Forbidden', `${w.plural}.${RBAC_GROUP} ${JSON.stringify(name)} is forbidden: roleRef must name a Role or ClusterRole`, { name, group: RBAC_GROUP, kind: w.plural });
      if (await this.may(w, 'bind', refPlural, ref.name)) return;
      const rules = ref.kind === 'ClusterRole' ? await this.reader.clusterRole(w.cluster, ref.name) : await this.reader.role(w.cluster, w.namespace, ref.name);
      // kube resolves the role before judging: a binding to a missing role is NotFound.
      if (!rules) throw newNotFound(RBAC_GROUP, refPlural, ref.name);
      granted = rules;
    }
    const summary = await this.authorizer.rulesFor(w.user, w.cluster, w.namespace);
    const missing = uncoveredRules([...summary.resourceRules, ...summary.nonResourceRules], granted);
    if (missing.length > 0) throw escalationForbidden(w, name, missing);
  }

  /** May the user `verb` (escalate, bind) the role `name` in the write's scope? */
  private async may(w: Write, verb: string, resource: string, name: string): Promise<boolean> {
    const a: ResourceAttributes = {
      resourceRequest: true,
      user: w.user,
      cluster: w.cluster,
      verb,
      namespace: w.namespace,
      apiGroup: RBAC_GROUP,
      resource,
      subresource: '',
      name,
    };
    return (await this.authorizer.decide(a)).allowed;
  }
}

const FULL_AUTHORITY: PolicyRule[] = [
  { verbs: ['*'], apiGroups: ['*'], resources: ['*'] },
  { verbs: ['*'], nonResourceURLs: ['*'] },
];

function hasAggregationRule(obj: KObject): boolean {
  const rule = obj.aggregationRule as { clusterRoleSelectors?: unknown[] } | undefined;
  return (rule?.clusterRoleSelectors ?? []).length > 0;
}

/** Does the write leave what the object grants exactly as it is? */
function grantUnchanged(kind: RBACKind, obj: KObject, live: KObject): boolean {
  if (kind === 'Role' || kind === 'ClusterRole') {
    return isDeepStrictEqual(obj.rules ?? [], live.rules ?? []) && isDeepStrictEqual(obj.aggregationRule, live.aggregationRule);
  }
  return isDeepStrictEqual(obj.roleRef, live.roleRef) && isDeepStrictEqual(obj.subjects ?? [], live.subjects ?? []);
}

function escalationForbidden(w: Write, name: string, missing: PolicyRule[]): StatusError {
  const why =
    `user ${JSON.stringify(w.user.username)} (groups=${quoteList(w.user.groups)}) is attempting to grant RBAC permissions not currently held:\n` +
    missing.map(formatRule).join('\n');
  return new StatusError('Forbidden', `${w.plural}.${RBAC_GROUP} ${JSON.stringify(name)} is forbidden: ${why}`, {
    name,
    group: RBAC_GROUP,
    kind: w.plural,
  });
}
