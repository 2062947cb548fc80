import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SyncTargetResource } from '../../../apis/workload/v1alpha1/synctarget.ts';
import { DeploymentResource } from '../../../apis/apps/v1/deployment.ts';
import type { ResourceDefinition } from '../../../apis/resource.ts';
import { toTable } from './table.ts';

const now = Date.parse('2024-05-01T12:00:00Z');
const st = {
  apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget',
  metadata: { name: 'edge-1', creationTimestamp: '2024-04-29T12:00:00Z', labels: { a: 'b' } },
  spec: { cluster: 'kind-1' },
  status: {
    phase: 'Ready', lastSyncerHeartbeatTime: '2024-05-01T11:59:55Z',
    conditions: [{ type: 'Ready', status: 'True' }, { type: 'Valid', status: 'True' }],
  },
};

test('SyncTarget table: Name first, date cells as ages, wide columns flagged by priority', () => {
  const table = toTable(SyncTargetResource, [st], { now, listMeta: { resourceVersion: '42' } });
  assert.equal(table.kind, 'Table');
  assert.equal(table.apiVersion, 'meta.k8s.io/v1');
  assert.deepEqual(table.metadata, { resourceVersion: '42' });
  assert.deepEqual(table.columnDefinitions.map((c) => [c.name, c.type, c.format, c.priority]), [
    ['Name', 'string', 'name', 0], ['Ready', 'string', '', 0], ['Phase', 'string', '', 0], ['Heartbeat', 'date', '', 0],
    ['Cluster', 'string', '', 0], ['Valid', 'string', '', 1], ['SyncerDeployed', 'string', '', 1], ['Age', 'date', '', 0],
  ]);
  assert.deepEqual(table.rows[0]?.cells, ['edge-1', 'True', 'Ready', '5s', 'kind-1', 'True', null, '2d']);
  assert.deepEqual(table.rows[0]?.object, { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: st.metadata });
});

test('includeObject, noHeaders and wide:false', () => {
  assert.equal(toTable(SyncTargetResource, [st], { now, includeObject: 'None' }).rows[0]?.object, undefined);
  assert.equal(toTable(SyncTargetResource, [st], { now, includeObject: 'Object' }).rows[0]?.object, st);
  assert.deepEqual(toTable(SyncTargetResource, [st], { now, noHeaders: true }).columnDefinitions, []);
  const narrow = toTable(SyncTargetResource, [st], { now, wide: false });
  assert.equal(narrow.columnDefinitions.length, 6);
  assert.equal(narrow.rows[0]?.cells.length, 6);
});

test('resources without printer columns get Name and Age', () => {
  const bare = { ...SyncTargetResource, printerColumns: [] } satisfies ResourceDefinition;
  const table = toTable(bare, [st], { now });
  assert.deepEqual(table.columnDefinitions.map((c) => c.name), ['Name', 'Age']);
  assert.deepEqual(table.rows[0]?.cells, ['edge-1', '2d']);
});

test('computed columns (Deployment READY)', () => {
  const d = { metadata: { name: 'd', creationTimestamp: '2024-05-01T11:00:00Z' }, spec: { replicas: 3 }, status: { readyReplicas: 2, updatedReplicas: 3 } };
  // Wide (priority 1) cells come last: CONTAINERS, IMAGES, SELECTOR as kube prints them.
  assert.deepEqual(toTable(DeploymentResource, [d], { now }).rows[0]?.cells, ['d', '2/3', 3, 0, '60m', '', '', '<none>']);
  const full = {
    ...d,
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'web', tier: 'fe' }, matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'dev'] }, { key: 'zz', operator: 'DoesNotExist' }] },
      template: { spec: { containers: [{ name: 'a', image: 'nginx:1' }, { name: 'b', image: 'redis:7' }] } },
    },
  };
  assert.deepEqual(toTable(DeploymentResource, [full], { now }).rows[0]?.cells.slice(5), ['a,b', 'nginx:1,redis:7', 'app=web,env in (dev,prod),tier=fe,!zz']);
});
