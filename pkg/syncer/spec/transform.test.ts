import assert from 'node:assert/strict';
import { test } from 'node:test';
import { contains, toDownstream } from './transform.ts';

test('toDownstream keeps the spec and user metadata, drops upstream bookkeeping and status', () => {
  const upstream = {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: {
      name: 'web', namespace: 'web', uid: 'u1', resourceVersion: '42', generation: 3, creationTimestamp: '2026-01-01T00:00:00Z',
      managedFields: [{ manager: 'kubectl' }], ownerReferences: [{ apiVersion: 'v1', kind: 'X', name: 'x', uid: 'x' }],
      finalizers: ['workload.kcp.io/syncer-abc'],
      labels: { app: 'web', 'state.workload.kcp.io/abc': 'Sync' },
      annotations: { 'kcp.io/cluster': 'root:team', 'deletion.internal.workload.kcp.io/abc': '2026-01-01T00:00:00Z', note: 'kept' },
    },
    spec: { replicas: 2, template: { spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } },
    status: { replicas: 2 },
  };
  assert.deepEqual(toDownstream(upstream, { apiVersion: 'apps/v1', kind: 'Deployment' }, 'kcp-123', 'abc'), {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { name: 'web', namespace: 'kcp-123', labels: { app: 'web', 'internal.workload.kcp.io/cluster': 'abc' }, annotations: { note: 'kept' } },
    spec: upstream.spec,
  });
});

test('toDownstream copies data-only types whole (ConfigMap, Secret) without empty annotations', () => {
  const cm = { metadata: { name: 'cfg', namespace: 'web', annotations: { 'kcp.io/cluster': 'root:team' } }, data: { a: 'b' }, immutable: true };
  assert.deepEqual(toDownstream(cm, { apiVersion: 'v1', kind: 'ConfigMap' }, 'kcp-1', 'k'), {
    apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cfg', namespace: 'kcp-1', labels: { 'internal.workload.kcp.io/cluster': 'k' } }, data: { a: 'b' }, immutable: true,
  });
});

test('contains: defaults and foreign fields are fine, a changed or missing field is drift', () => {
  const wanted = { metadata: { name: 'web', labels: { app: 'web' } }, spec: { replicas: 2, template: { spec: { containers: [{ name: 'c', image: 'nginx' }] } } } };
  const defaulted = { metadata: { name: 'web', uid: 'x', labels: { app: 'web', extra: 'y' } }, spec: { replicas: 2, strategy: { type: 'RollingUpdate' }, template: { spec: { containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Always' }] } } }, status: {} };
  assert.equal(contains(defaulted, wanted), true);
  assert.equal(contains({ ...defaulted, spec: { ...defaulted.spec, replicas: 7 } }, wanted), false);
  assert.equal(contains({ ...defaulted, metadata: { name: 'web' } }, wanted), false, 'a label removed downstream');
  assert.equal(contains({ ...defaulted, spec: { ...defaulted.spec, template: { spec: { containers: [] } } } }, wanted), false, 'array length differs');
  assert.equal(contains(undefined, { a: 1 }), false);
  assert.equal(contains([1], { 0: 1 }), false, 'an array is not an object');
});
