import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigMapGVR, DeploymentGVR } from '../../../client/gvr.ts';
import { accepts, labelDelta } from './reconcile.ts';

test('labelDelta sets wanted keys to Sync and removes other state labels only', () => {
  const labels = { app: 'web', 'state.workload.kcp.io/old': 'Sync', 'state.workload.kcp.io/keep': 'Sync', 'state.workload.kcp.io/fix': 'Pending' };
  assert.deepEqual(labelDelta(labels, ['keep', 'fix', 'new']), {
    'state.workload.kcp.io/old': null,
    'state.workload.kcp.io/fix': 'Sync',
    'state.workload.kcp.io/new': 'Sync',
  });
  assert.deepEqual(labelDelta({ app: 'web', 'state.workload.kcp.io/k': 'Sync' }, ['k']), {});
  assert.deepEqual(labelDelta(undefined, []), {});
});

test('a type is synced to a SyncTarget only when its syncer reported it Accepted', () => {
  const st = { metadata: {}, status: { syncedResources: [
    { resource: 'configmaps', versions: ['v1'], state: 'Accepted' as const },
    { group: 'apps', resource: 'deployments', state: 'Incompatible' as const, message: 'no' },
  ] } };
  assert.equal(accepts(st, ConfigMapGVR), true);
  assert.equal(accepts(st, DeploymentGVR), false);
  assert.equal(accepts(undefined, ConfigMapGVR), false);
});
