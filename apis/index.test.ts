import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ALL_RESOURCES } from './index.ts';
import { groupVersion } from './resource.ts';
import { SecretSchema } from './core/v1/secret.ts';
import { SyncTargetSchema } from './workload/v1alpha1/synctarget.ts';
import { RoleBindingResource } from './rbac/v1/rolebinding.ts';

test('resource names are unique per group-version and kinds are declared consistently', () => {
  const seen = new Set<string>();
  for (const def of ALL_RESOURCES) {
    const key = `${groupVersion(def)}/${def.plural}`;
    assert.ok(!seen.has(key), key);
    seen.add(key);
    assert.equal(def.listKind, `${def.kind}List`);
    assert.equal(def.singular, def.kind.toLowerCase());
    if (def.virtual) assert.deepEqual(def.verbs, ['create']);
  }
});

test('every schema defaults apiVersion, kind and metadata and strips unknown top-level keys', () => {
  const minimal: Record<string, Record<string, unknown>> = {
    SyncTarget: { spec: { cluster: 'c1' } },
    Location: { spec: { resource: { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets' } } },
    Placement: { spec: { locationResource: { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets' } } },
    RoleBinding: { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'r' } },
    ClusterRoleBinding: { roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'r' } },
    Event: { involvedObject: {} },
    SelfSubjectAccessReview: { spec: {} },
    SelfSubjectRulesReview: { spec: {} },
  };
  for (const def of ALL_RESOURCES) {
    const input = { ...(minimal[def.kind] ?? {}), bogus: 1 };
    const r = def.schema.safeParse(input);
    assert.ok(r.success, `${def.kind}: ${JSON.stringify(r.error?.issues)}`);
    const out = r.data as Record<string, unknown>;
    assert.equal(out.apiVersion, groupVersion(def), def.kind);
    assert.equal(out.kind, def.kind);
    assert.deepEqual(out.metadata, {});
    assert.equal('bogus' in out, false, def.kind);
  }
});

test('a wrong kind is rejected', () => {
  assert.equal(SyncTargetSchema.safeParse({ kind: 'Workspace', spec: { cluster: 'c' } }).success, false);
});

test('SyncTarget defaults and validates spec', () => {
  const st = SyncTargetSchema.parse({ metadata: { name: 'edge-1' }, spec: { cluster: 'kind-1', capacity: { cpu: '8', memory: '32Gi' } } });
  assert.equal(st.spec.unschedulable, false);
  assert.equal(SyncTargetSchema.safeParse({ spec: { cluster: '' } }).success, false);
  assert.equal(SyncTargetSchema.safeParse({ spec: { cluster: 'c', capacity: { cpu: '-1' } } }).success, false);
  assert.equal(SyncTargetSchema.safeParse({ spec: { cluster: 'c', syncer: { heartbeatPeriod: 'soon' } } }).success, false);
  assert.equal(SyncTargetSchema.safeParse({ spec: { cluster: 'c', syncer: { heartbeatPeriod: '20s' } } }).success, true);
});

test('Secret folds stringData into base64 data and defaults type', () => {
  const s = SecretSchema.parse({ data: { a: 'eA==' }, stringData: { b: 'hello' } });
  assert.deepEqual(s.data, { a: 'eA==', b: 'aGVsbG8=' });
  assert.equal(s.type, 'Opaque');
  assert.equal('stringData' in s, false);
  assert.equal(SecretSchema.safeParse({ data: { a: 'not base64!' } }).success, false);
});

test('RoleBinding roleRef is immutable', () => {
  const old = { kind: 'RoleBinding', roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'Role', name: 'a' } };
  const changed = { ...old, roleRef: { ...old.roleRef, name: 'b' } };
  assert.deepEqual(RoleBindingResource.validate?.(old, old), []);
  assert.deepEqual(RoleBindingResource.validate?.(changed, old).map((c) => c.field), ['roleRef']);
});
