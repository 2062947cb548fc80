// RBAC evaluated inside one logical cluster: ClusterRoleBindings of that cluster grant
// their ClusterRole's rules everywhere in it; RoleBindings of a namespace grant a Role of
// that namespace or a ClusterRole of the same cluster, in that namespace only. Nothing
// crosses clusters: a binding in root:a means nothing in root:b. Aggregation is not
// implemented (bootstrap roles list their rules in full).
import type { PolicyRule, RoleRef, Subject } from '../../../apis/rbac/v1/types.ts';
import type { UserInfo } from '../authn/user.ts';
import type { Attributes } from './attributes.ts';
import { nonResourceRuleAllows, resourceRuleAllows } from './rules.ts';
import { subjectMatches } from './subjects.ts';

export interface Binding {
  kind: 'ClusterRoleBinding' | 'RoleBinding';
  name: string;
  namespace: string;
  subjects: Subject[];
  roleRef: RoleRef;
}

/** Read access to one cluster's RBAC objects (the registry stores in kplane; literals in tests). */
export interface RBACReader {
  clusterRoleBindings(cluster: string): Promise<Binding[]>;
  /** namespace '' = the RoleBindings of every namespace. */
  roleBindings(cluster: string, namespace: string): Promise<Binding[]>;
  clusterRole(cluster: string, name: string): Promise<PolicyRule[] | undefined>;
  role(cluster: string, namespace: string, name: string): Promise<PolicyRule[] | undefined>;
}

export interface RBACDecision {
  allowed: boolean;
  /** For an allow: which binding and role (kube's wording); empty for a deny. */
  reason: string;
}

export class RBACAuthorizer {
  private readonly reader: RBACReader;

  constructor(reader: RBACReader) {
    this.reader = reader;
  }

  async authorize(a: Attributes): Promise<RBACDecision> {
    for await (const { binding, rules } of this.applicableRules(a.user, a.cluster, a.resourceRequest ? a.namespace : '')) {
      const hit = rules.some((r) => (a.resourceRequest ? resourceRuleAllows(r, a) : nonResourceRuleAllows(r, a)));
      if (hit) return { allowed: true, reason: allowReason(binding, a.user) };
    }
    return { allowed: false, reason: '' };
  }

  /** Every rule that applies to the user in this cluster and namespace (SelfSubjectRulesReview). */
  async rulesFor(user: UserInfo, cluster: string, namespace: string): Promise<PolicyRule[]> {
    const out: PolicyRule[] = [];
    for await (const { rules } of this.applicableRules(user, cluster, namespace)) out.push(...rules);
    return out;
  }

  /** True when any binding of the cluster (any namespace) names the user: "has access". */
  async hasAnyBinding(user: UserInfo, cluster: string): Promise<boolean> {
    for (const b of await this.reader.clusterRoleBindings(cluster)) if (b.subjects.some((s) => subjectMatches(s, user, ''))) return true;
    for (const b of await this.reader.roleBindings(cluster, '')) if (b.subjects.some((s) => subjectMatches(s, user, b.namespace))) return true;
    return false;
  }

  /** Lazily, so that authorize() stops reading at the first binding that allows. */
  private async *applicableRules(user: UserInfo, cluster: string, namespace: string): AsyncGenerator<{ binding: Binding; rules: PolicyRule[] }> {
    for (const b of await this.reader.clusterRoleBindings(cluster)) {
      if (b.roleRef.kind !== 'ClusterRole' || !b.subjects.some((s) => subjectMatches(s, user, ''))) continue;
      const rules = await this.reader.clusterRole(cluster, b.roleRef.name);
      if (rules) yield { binding: b, rules };
    }
    if (namespace === '') return;
    for (const b of await this.reader.roleBindings(cluster, namespace)) {
      if (!b.subjects.some((s) => subjectMatches(s, user, namespace))) continue;
      const rules =
        b.roleRef.kind === 'ClusterRole'
          ? await this.reader.clusterRole(cluster, b.roleRef.name)
          : b.roleRef.kind === 'Role'
            ? await this.reader.role(cluster, namespace, b.roleRef.name)
            : undefined;
      if (rules) yield { binding: b, rules };
    }
  }
}

function allowReason(b: Binding, user: UserInfo): string {
  const where = b.kind === 'RoleBinding' ? `RoleBinding "${b.name}/${b.namespace}"` : `ClusterRoleBinding "${b.name}"`;
  return `RBAC: allowed by ${where} of ${b.roleRef.kind} "${b.roleRef.name}" to User "${user.username}"`;
}
