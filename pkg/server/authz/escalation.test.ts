import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { PolicyRule } from '../../../apis/rbac/v1/types.ts';
import { isStatusError, StatusError } from '../../apierrors/errors.ts';
import type { UserInfo } from '../authn/user.ts';
import type { KObject } from '../registry/object.ts';
import { Authorizer } from './authorizer.ts';
import { BOOTSTRAP_CLUSTER_ROLES } from './bootstrap.ts';
import { EscalationGuard, type Write } from './escalation.ts';
import { type Binding, RBACAuthorizer, type RBACReader } from './rbac.ts';

const G = 'rbac.authorization.k8s.io';
const user = (username: string, ...groups: string[]): UserInfo => ({ username, groups: [...groups, 'system:authenticated'] });
const writer = user('writer');
const escalator = user('escalator');
const binder = user('binder');
const nsAdmin = user('ns-admin');
const master = user('root', 'system:masters');

const RBAC_WRITE: PolicyRule[] = [{ apiGroups: [G], resources: ['roles', 'clusterroles', 'rolebindings', 'clusterrolebindings'], verbs: ['create', 'update', 'patch'] }];
const crb = (name: string, role: string, who: string): Binding => ({ kind: 'ClusterRoleBinding', name, namespace: '', subjects: [{ kind: 'User', name: who }], roleRef: { apiGroup: G, kind: 'ClusterRole', name: role } });
const rb = (ns: string, role: string, who: string, kind = 'ClusterRole'): Binding => ({ kind: 'RoleBinding', name: `${who}-${role}`, namespace: ns, subjects: [{ kind: 'User', name: who }], roleRef: { apiGroup: G, kind, name: role } });

const clusterRoles: Record<string, PolicyRule[]> = {
  ...BOOTSTRAP_CLUSTER_ROLES,
  'rbac-writer': RBAC_WRITE,
  'cm-reader': [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'list'] }],
  escalate: [{ apiGroups: [G], resources: ['roles', 'clusterroles'], verbs: ['escalate'] }],
  'bind-view': [{ apiGroups: [G], resources: ['clusterroles'], verbs: ['bind'], resourceNames: ['view'] }],
};
const crbs = [
  crb('w', 'rbac-writer', 'writer'), crb('w-cm', 'cm-reader', 'writer'),
  crb('e', 'rbac-writer', 'escalator'), crb('e2', 'escalate', 'escalator'),
  crb('b', 'rbac-writer', 'binder'), crb('b2', 'bind-view', 'binder'),
];
const rbs = [rb('dev', 'admin', 'ns-admin'), rb('dev', 'local', 'writer', 'Role')];
const reader: RBACReader = {
  clusterRoleBindings: async (c) => (c === 'root:t' ? crbs : []),
  roleBindings: async (c, ns) => (c === 'root:t' ? rbs.filter((b) => ns === '' || b.namespace === ns) : []),
  clusterRole: async (c, n) => (c === 'root:t' ? clusterRoles[n] : undefined),
  role: async (c, ns, n) => (c === 'root:t' && ns === 'dev' && n === 'local' ? [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }] : undefined),
};
const guard = new EscalationGuard(new Authorizer(new RBACAuthorizer(reader)), reader);

function obj(kind: string, name: string, body: Record<string, unknown>): KObject {
  return { apiVersion: `${G}/v1`, kind, metadata: { name }, ...body } as KObject;
}
const role = (kind: 'Role' | 'ClusterRole', rules: PolicyRule[], name = 'r') => obj(kind, name, { rules });
const binding = (kind: 'RoleBinding' | 'ClusterRoleBinding', roleKind: string, roleName: string, who = 'someone') =>
  obj(kind, 'b', { roleRef: { apiGroup: G, kind: roleKind, name: roleName }, subjects: [{ kind: 'User', apiGroup: G, name: who }] });
const PLURAL = { Role: 'roles', ClusterRole: 'clusterroles', RoleBinding: 'rolebindings', ClusterRoleBinding: 'clusterrolebindings' } as const;

function write(u: UserInfo, object: KObject, namespace = '', live?: KObject): Write {
  const kind = object.kind as Write['kind'];
  return { user: u, cluster: 'root:t', namespace, kind, plural: PLURAL[kind], name: object.metadata.name ?? '', object, live };
}

async function refused(w: Write, reason: 'Forbidden' | 'NotFound' = 'Forbidden'): Promise<StatusError> {
  let caught: unknown;
  await guard.confirm(w).catch((e: unknown) => (caught = e));
  assert.ok(isStatusError(caught, reason), `want ${reason}, got ${String(caught)}`);
  return caught as StatusError;
}

const ALL: PolicyRule[] = [{ apiGroups: ['*'], resources: ['*'], verbs: ['*'] }];

describe('roles', () => {
  test('a writer cannot grant more than it holds', async () => {
    const e = await refused(write(writer, role('ClusterRole', ALL)));
    assert.equal(
      e.message,
      'clusterroles.rbac.authorization.k8s.io "r" is forbidden: user "writer" (groups=["system:authenticated"]) is attempting to grant RBAC permissions not currently held:\n{APIGroups:["*"], Resources:["*"], Verbs:["*"]}',
    );
    assert.equal(e.code, 403);
    await refused(write(writer, role('Role', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get', 'delete'] }]), 'dev'));
  });

  test('what the writer holds it may delegate, in the scope it holds it', async () => {
    await guard.confirm(write(writer, role('ClusterRole', [{ apiGroups: [''], resources: ['configmaps'], verbs: ['get'], resourceNames: ['x'] }])));
    await guard.confirm(write(writer, role('Role', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]), 'dev'));
    await refused(write(writer, role('Role', [{ apiGroups: [''], resources: ['secrets'], verbs: ['get'] }]), 'prod'));
    await guard.confirm(write(nsAdmin, role('Role', ALL), 'dev'));
    await refused(write(nsAdmin, role('Role', ALL), 'prod'));
    await refused(write(nsAdmin, role('ClusterRole', ALL)));
  });

  test('escalate on roles/clusterroles, or system:masters, bypasses the check', async () => {
    await guard.confirm(write(escalator, role('ClusterRole', ALL)));
    await guard.confirm(write(escalator, role('Role', ALL), 'dev'));
    await guard.confirm(write(master, role('ClusterRole', [...ALL, { nonResourceURLs: ['*'], verbs: ['*'] }])));
  });

  test('an aggregation rule takes full authority, or escalate', async () => {
    const aggregating = obj('ClusterRole', 'agg', { rules: [], aggregationRule: { clusterRoleSelectors: [{ matchLabels: { a: 'b' } }] } });
    const e = await refused(write(writer, aggregating));
    assert.match(e.message, /\{NonResourceURLs:\["\*"\], Verbs:\["\*"\]\}/);
    await refused(write(nsAdmin, aggregating));
    await guard.confirm(write(escalator, aggregating));
    await guard.confirm(write(writer, obj('ClusterRole', 'agg', { rules: [], aggregationRule: { clusterRoleSelectors: [] } })));
  });

  test('an update that keeps the rules is not checked; one that changes them is', async () => {
    const live = role('ClusterRole', ALL);
    const relabelled = { ...live, metadata: { ...live.metadata, labels: { a: 'b' } } };
    await guard.confirm(write(writer, relabelled, '', live));
    await refused(write(writer, role('ClusterRole', [...ALL, { apiGroups: [''], resources: ['x'], verbs: ['get'] }]), '', live));
  });
});

describe('bindings', () => {
  test('binding a role one does not hold is refused; the referenced role must exist', async () => {
    const e = await refused(write(writer, binding('ClusterRoleBinding', 'ClusterRole', 'cluster-admin', 'writer')));
    assert.match(e.message, /^clusterrolebindings\.rbac\.authorization\.k8s\.io "b" is forbidden: user "writer" .*not currently held:\n\{APIGroups:\["\*"\], Resources:\["\*"\], Verbs:\["\*"\]\}\n\{NonResourceURLs:\["\*"\], Verbs:\["\*"\]\}$/);
    await refused(write(writer, binding('RoleBinding', 'ClusterRole', 'admin'), 'dev'));
    await refused(write(writer, binding('ClusterRoleBinding', 'ClusterRole', 'missing')), 'NotFound');
    await refused(write(writer, binding('RoleBinding', 'Role', 'missing'), 'dev'), 'NotFound');
  });

  test('binding a role whose rules one holds is allowed, in that scope', async () => {
    await guard.confirm(write(writer, binding('ClusterRoleBinding', 'ClusterRole', 'cm-reader')));
    await guard.confirm(write(writer, binding('RoleBinding', 'Role', 'local'), 'dev'));
    await guard.confirm(write(nsAdmin, binding('RoleBinding', 'ClusterRole', 'admin'), 'dev'));
    await refused(write(nsAdmin, binding('RoleBinding', 'ClusterRole', 'admin'), 'prod'));
    await refused(write(nsAdmin, binding('ClusterRoleBinding', 'ClusterRole', 'view')));
  });

  test('bind honours resourceNames', async () => {
    await guard.confirm(write(binder, binding('ClusterRoleBinding', 'ClusterRole', 'view')));
    await guard.confirm(write(binder, binding('RoleBinding', 'ClusterRole', 'view'), 'dev'));
    await refused(write(binder, binding('ClusterRoleBinding', 'ClusterRole', 'admin')));
  });

  test('adding a subject to a binding is a grant; changing only metadata is not', async () => {
    const live = binding('ClusterRoleBinding', 'ClusterRole', 'admin', 'old');
    await guard.confirm(write(writer, { ...live, metadata: { ...live.metadata, labels: { x: 'y' } } }, '', live));
    await refused(write(writer, { ...live, subjects: [...(live.subjects as unknown[]), { kind: 'User', name: 'writer' }] }, '', live));
  });

  test('rights in another logical cluster count for nothing', async () => {
    await refused({ ...write(nsAdmin, binding('RoleBinding', 'ClusterRole', 'view'), 'dev'), cluster: 'root:other' }, 'NotFound');
    await refused({ ...write(escalator, role('ClusterRole', ALL)), cluster: 'root:other' });
  });
});
