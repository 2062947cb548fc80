// RBACReader over the registry's stores: RBAC objects are read per request, straight from
// storage (a prefix scan of one cluster's bindings plus a get per matching role). Correct
// by construction — a new or deleted binding counts on the very next request — and cheap
// at tenant scale; see docs/security.md for the measured cost and the cache left for later.
import type { PolicyRule, RoleRef, Subject } from '../../../apis/rbac/v1/types.ts';
import type { KObject } from '../registry/object.ts';
import type { ResourceStore } from '../registry/store.ts';
import type { Binding, RBACReader } from './rbac.ts';

export const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** The slice of Registry this reader needs. */
export interface StoreSource {
  store(group: string, plural: string): ResourceStore;
}

export class StoreRBACReader implements RBACReader {
  private readonly stores: StoreSource;

  constructor(stores: StoreSource) {
    this.stores = stores;
  }

  clusterRoleBindings(cluster: string): Promise<Binding[]> {
    return this.bindings('clusterrolebindings', 'ClusterRoleBinding', cluster, '');
  }

  roleBindings(cluster: string, namespace: string): Promise<Binding[]> {
    return this.bindings('rolebindings', 'RoleBinding', cluster, namespace);
  }

  async clusterRole(cluster: string, name: string): Promise<PolicyRule[] | undefined> {
    const obj = await this.stores.store(RBAC_GROUP, 'clusterroles').tryGet(cluster, '', name);
    return obj ? rulesOf(obj) : undefined;
  }

  async role(cluster: string, namespace: string, name: string): Promise<PolicyRule[] | undefined> {
    const obj = await this.stores.store(RBAC_GROUP, 'roles').tryGet(cluster, namespace, name);
    return obj ? rulesOf(obj) : undefined;
  }

  private async bindings(plural: string, kind: Binding['kind'], cluster: string, namespace: string): Promise<Binding[]> {
    const store = this.stores.store(RBAC_GROUP, plural);
    const out: Binding[] = [];
    let cont: string | undefined;
    do {
      const page = await store.listPage({ cluster, namespace }, { limit: 500, ...(cont ? { continue: cont } : {}) });
      for (const obj of page.items) {
        const roleRef = obj.roleRef as RoleRef | undefined;
        if (!roleRef) continue;
        out.push({
          kind,
          name: obj.metadata.name ?? '',
          namespace: obj.metadata.namespace ?? '',
          subjects: Array.isArray(obj.subjects) ? (obj.subjects as Subject[]) : [],
          roleRef,
        });
      }
      cont = page.continue;
    } while (cont);
    return out;
  }
}

function rulesOf(obj: KObject): PolicyRule[] {
  return Array.isArray(obj.rules) ? (obj.rules as PolicyRule[]) : [];
}
