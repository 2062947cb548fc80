import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyRule } from '../../../apis/rbac/v1/types.ts';
import type { UserInfo } from '../authn/user.ts';
import { serviceAccountUser } from '../authn/satoken.ts';
import type { Attributes, ResourceAttributes } from './attributes.ts';
import { attributesFor, nameFromFieldSelector } from './attributes.ts';
import { Authorizer } from './authorizer.ts';
import { BOOTSTRAP_CLUSTER_ROLES } from './bootstrap.ts';
import { newForbidden } from './forbidden.ts';
import { type Binding, RBACAuthorizer, type RBACReader } from './rbac.ts';
import { resourceRuleAllows } from './rules.ts';

const alice: UserInfo = { username: 'alice', groups: ['tenant-a', 'system:authenticated'] };
const bob: UserInfo = { username: 'bob', groups: ['system:authenticated'] };
const admin: UserInfo = { username: 'kplane-admin', groups: ['system:masters', 'system:authenticated'] };

function crb(name: string, role: string, subjects: Binding['subjects']): Binding {
  return { kind: 'ClusterRoleBinding', name, namespace: '', subjects, roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: role } };
}

/** A literal world: cluster → bindings and roles. */
function reader(world: Record<string, { crbs?: Binding[]; rbs?: Binding[]; clusterRoles?: Record<string, PolicyRule[]>; roles?: Record<string, PolicyRule[]> }>): RBACReader {
  return {
    clusterRoleBindings: async (c) => world[c]?.crbs ?? [],
    roleBindings: async (c, ns) => (world[c]?.rbs ?? []).filter((b) => ns === '' || b.namespace === ns),
    clusterRole: async (c, n) => world[c]?.clusterRoles?.[n],
    role: async (c, ns, n) => world[c]?.roles?.[`${ns}/${n}`],
  };
}

function res(user: UserInfo, cluster: string, verb: string, resource: string, extra: Partial<ResourceAttributes> = {}): Attributes {
  return { resourceRequest: true, user, cluster, verb, namespace: '', apiGroup: '', resource, subresource: '', name: '', ...extra };
}

const SYNCER_RULES: PolicyRule[] = [
  { apiGroups: ['workload.kcp.io'], resources: ['synctargets'], resourceNames: ['edge-1'], verbs: ['get', 'list', 'watch'] },
  { apiGroups: ['workload.kcp.io'], resources: ['synctargets/status'], resourceNames: ['edge-1'], verbs: ['update', 'patch'] },
];
const sa = serviceAccountUser({ cluster: 'root:a', namespace: 'default', name: 'syncer', uid: 'u1' });

const world = reader({
  'root:a': {
    crbs: [
      crb('workspace-admin', 'admin', [{ kind: 'User', name: 'alice' }]),
      crb('syncer', 'syncer', [{ kind: 'ServiceAccount', name: 'syncer', namespace: 'default' }]),
    ],
    rbs: [{ kind: 'RoleBinding', name: 'bob-view', namespace: 'dev', subjects: [{ kind: 'User', name: 'bob' }], roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'view' } }],
    clusterRoles: { ...BOOTSTRAP_CLUSTER_ROLES, syncer: SYNCER_RULES },
  },
  'root:b': { crbs: [crb('workspace-admin', 'admin', [{ kind: 'User', name: 'bob' }])], clusterRoles: { ...BOOTSTRAP_CLUSTER_ROLES } },
});
const authz = new Authorizer(new RBACAuthorizer(world));

describe('rules', () => {
  test('subresources need their own entry or */sub', () => {
    const a = res(alice, 'root:a', 'patch', 'synctargets', { apiGroup: 'workload.kcp.io', subresource: 'status', name: 'x' }) as ResourceAttributes;
    assert.equal(resourceRuleAllows({ verbs: ['patch'], apiGroups: ['workload.kcp.io'], resources: ['synctargets'] }, a), false);
    assert.equal(resourceRuleAllows({ verbs: ['patch'], apiGroups: ['workload.kcp.io'], resources: ['synctargets/status'] }, a), true);
    assert.equal(resourceRuleAllows({ verbs: ['patch'], apiGroups: ['*'], resources: ['*/status'] }, a), true);
  });
  test('resourceNames never match a nameless request', () => {
    const a = res(alice, 'root:a', 'list', 'synctargets', { apiGroup: 'workload.kcp.io' }) as ResourceAttributes;
    assert.equal(resourceRuleAllows(SYNCER_RULES[0]!, a), false);
    assert.equal(resourceRuleAllows(SYNCER_RULES[0]!, { ...a, name: 'edge-1' }), true);
  });
});

describe('authorizer', () => {
  test('masters may do anything, including the wildcard', async () => {
    assert.equal((await authz.decide(res(admin, '*', 'watch', 'secrets'))).allowed, true);
  });
  test('tenants: own workspace yes; other workspace, root and wildcard no', async () => {
    assert.equal((await authz.decide(res(alice, 'root:a', 'delete', 'secrets', { namespace: 'default', name: 's' }))).allowed, true);
    assert.equal((await authz.decide(res(alice, 'root:b', 'get', 'secrets', { namespace: 'default', name: 's' }))).allowed, false);
    assert.equal((await authz.decide(res(alice, 'root', 'list', 'workspaces', { apiGroup: 'tenancy.kcp.io' }))).allowed, false);
    assert.equal((await authz.decide(res(alice, '*', 'list', 'configmaps'))).allowed, false);
  });
  test('RoleBindings grant only in their namespace', async () => {
    assert.equal((await authz.decide(res(bob, 'root:a', 'list', 'configmaps', { namespace: 'dev' }))).allowed, true);
    assert.equal((await authz.decide(res(bob, 'root:a', 'list', 'configmaps', { namespace: 'default' }))).allowed, false);
    assert.equal((await authz.decide(res(bob, 'root:a', 'list', 'secrets', { namespace: 'dev' }))).allowed, false);
  });
  test('a syncer service account reaches only its SyncTarget and its status', async () => {
    const st = { apiGroup: 'workload.kcp.io' };
    assert.equal((await authz.decide(res(sa, 'root:a', 'get', 'synctargets', { ...st, name: 'edge-1' }))).allowed, true);
    assert.equal((await authz.decide(res(sa, 'root:a', 'watch', 'synctargets', { ...st, name: 'edge-1' }))).allowed, true);
    assert.equal((await authz.decide(res(sa, 'root:a', 'patch', 'synctargets', { ...st, name: 'edge-1', subresource: 'status' }))).allowed, true);
    assert.equal((await authz.decide(res(sa, 'root:a', 'patch', 'synctargets', { ...st, name: 'edge-1' }))).allowed, false);
    assert.equal((await authz.decide(res(sa, 'root:a', 'get', 'synctargets', { ...st, name: 'edge-2' }))).allowed, false);
    assert.equal((await authz.decide(res(sa, 'root:a', 'list', 'synctargets', st))).allowed, false);
    // Same SA name in another cluster: never.
    assert.equal((await authz.decide(res(sa, 'root:b', 'get', 'synctargets', { ...st, name: 'edge-1' }))).allowed, false);
  });
  test('discovery and self reviews need workspace access outside root', async () => {
    const disc = (user: UserInfo, cluster: string): Attributes => ({ resourceRequest: false, user, cluster, verb: 'get', path: '/apis' });
    assert.equal((await authz.decide(disc(alice, 'root'))).allowed, true);
    assert.equal((await authz.decide(disc(alice, 'root:a'))).allowed, true);
    assert.equal((await authz.decide(disc(alice, 'root:b'))).allowed, false);
    assert.equal((await authz.decide(res(bob, 'root:a', 'create', 'selfsubjectaccessreviews', { apiGroup: 'authorization.k8s.io' }))).allowed, true);
  });
  test('anonymous reaches only public endpoints', async () => {
    const anon: UserInfo = { username: 'system:anonymous', groups: ['system:unauthenticated'] };
    assert.equal((await authz.decide({ resourceRequest: false, user: anon, cluster: 'root', verb: 'get', path: '/readyz' })).allowed, true);
    assert.equal((await authz.decide({ resourceRequest: false, user: anon, cluster: 'root', verb: 'get', path: '/apis' })).allowed, false);
  });
  test('rules review lists bound rules plus basic-user rules', async () => {
    const r = await authz.rulesFor(sa, 'root:a', 'default');
    assert.ok(r.resourceRules.some((x) => x.resourceNames?.includes('edge-1')));
    assert.ok(r.nonResourceRules.some((x) => x.nonResourceURLs?.includes('/api')));
  });
});

describe('attributes and messages', () => {
  test('list narrowed by fieldSelector metadata.name', () => {
    assert.equal(nameFromFieldSelector('metadata.name=edge-1'), 'edge-1');
    assert.equal(nameFromFieldSelector('metadata.name==edge-1,metadata.namespace=x'), 'edge-1');
    assert.equal(nameFromFieldSelector('metadata.name!=edge-1'), '');
    assert.equal(nameFromFieldSelector('bad selector ((('), '');
    const info = { isResourceRequest: true as const, cluster: 'root', wildcard: false, path: '/x', verb: 'list' as const, apiPrefix: 'apis' as const, group: 'workload.kcp.io', version: 'v1alpha1', namespace: '', resource: 'synctargets', name: '', subresource: '' };
    const a = attributesFor(alice, info, new URL('https://x/x?fieldSelector=metadata.name%3Dedge-1'));
    assert.equal(a.resourceRequest && a.name, 'edge-1');
  });
  test('forbidden message as kube words it', () => {
    const e = newForbidden(res(alice, 'root:b', 'get', 'configmaps', { namespace: 'default', name: 'cm' }), '');
    assert.equal(e.code, 403);
    assert.equal(e.message, 'configmaps "cm" is forbidden: User "alice" cannot get resource "configmaps" in API group "" in the namespace "default"');
    const e2 = newForbidden(res(alice, 'root', 'patch', 'synctargets', { apiGroup: 'workload.kcp.io', subresource: 'status', name: 'x' }), '');
    assert.equal(e2.message, 'synctargets.workload.kcp.io "x" is forbidden: User "alice" cannot patch resource "synctargets/status" in API group "workload.kcp.io" at the cluster scope');
  });
});
