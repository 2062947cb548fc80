import assert from 'node:assert/strict';
import { test } from 'node:test';
import { toDownstream } from './transform.ts';

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
