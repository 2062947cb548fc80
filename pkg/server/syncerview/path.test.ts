import assert from 'node:assert/strict';
import { test } from 'node:test';
import { syncerViewPath } from '../../../apis/workload/v1alpha1/sync-contract.ts';
import { isStatusError } from '../../apierrors/errors.ts';
import { isSyncerViewPath, splitSyncerViewPath } from './path.ts';

const UID = '0b5d6c1e-2f3a-4b5c-8d9e-0123456789ab';

test('the contract path splits into the view and the usual tree', () => {
  const root = syncerViewPath('root:org', 'edge-1', UID);
  assert.ok(isSyncerViewPath(root));
  assert.deepEqual(splitSyncerViewPath(`${root}/clusters/*/api/v1/configmaps`), {
    view: { workspace: 'root:org', syncTarget: 'edge-1', uid: UID },
    rest: '/clusters/*/api/v1/configmaps',
  });
  assert.equal(splitSyncerViewPath(`${root}/clusters/root:team/apis/apps/v1/namespaces/web/deployments/d/status`).rest, '/clusters/root:team/apis/apps/v1/namespaces/web/deployments/d/status');
});

test('discovery at the view root is served, nothing else outside /clusters', () => {
  const root = syncerViewPath('root', 'st', UID);
  for (const p of ['/api', '/apis', '/api/v1', '/apis/apps/v1', '/apis/']) assert.equal(splitSyncerViewPath(`${root}${p}`).rest, p);
  for (const p of ['', '/', '/healthz', '/version', '/metrics', '/api/v1/configmaps/x', '/dashboard/']) {
    assert.throws(() => splitSyncerViewPath(`${root}${p}`), (e) => isStatusError(e, 'NotFound'), p);
  }
});

test('malformed view roots are 404, never a crash or another view', () => {
  const bad = [
    '/services/syncer',
    '/services/syncer/',
    '/services/syncer/root',
    '/services/syncer/root/st',
    '/services/syncer/root/st/',
    '/services/syncer//st/uid/clusters/root/api/v1/configmaps',
    '/services/syncer/Root/st/uid/clusters/root/api/v1/configmaps',
    '/services/syncer/root::x/st/uid/clusters/root/api/v1/configmaps',
    '/services/syncer/root/ST_1/uid/clusters/root/api/v1/configmaps',
    '/services/syncer/root/st/%zz/clusters/root/api/v1/configmaps',
    '/services/syncer/root/st/a..b/clusters/root/api/v1/configmaps',
    `/services/syncer/root/st/${'a'.repeat(129)}/clusters/root/api/v1/configmaps`,
    '/services/syncer/root/%2e%2e/uid/clusters/root/api/v1/configmaps',
  ];
  for (const p of bad) assert.throws(() => splitSyncerViewPath(p), (e) => isStatusError(e, 'NotFound'), p);
  assert.ok(!isSyncerViewPath('/services/syncerx/root/st/uid'));
  assert.ok(!isSyncerViewPath('/clusters/root/services/syncer/root/st/uid'));
});
