// With the SyncTarget controller in the server's process (the default), a SyncTarget is stored
// with its key label and that controller's finalizer already set (the API server's SyncTarget
// strategy), on every create path — POST and server-side apply: the created object the server
// answers with carries them, before any controller could have acted. Those fields belong to no
// client's managedFields entry, so a client's later apply cannot remove them, and no client
// can store another target's key in the label. A server without that controller (`--controllers -`, the
// controllers run elsewhere or not at all) adds neither, so a delete is not held for a
// controller that may not exist.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SYNC_TARGET_FINALIZER } from '../../../apis/workload/v1alpha1/synctarget.ts';
import { SYNC_TARGET_KEY_LABEL, toSyncTargetKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import { TestClient } from '../../framework/http.ts';
import { startKplane } from '../../framework/kplane.ts';

const ST = '/clusters/root/apis/workload.kcp.io/v1alpha1/synctargets';
const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';

const target = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'workload.kcp.io/v1alpha1',
  kind: 'SyncTarget',
  metadata: { name, labels: { tier: 'gold' }, ...extra },
  spec: { cluster: name },
});

test('new SyncTargets carry their key label and finalizer from the first write', { timeout: 120_000 }, async (t) => {
  // Only the SyncTarget controller; what the create's own answer carries, the API server put there.
  await using kp = await startKplane({ args: ['--controllers', 'kplane-synctarget'] });
  const http = new TestClient(kp.url, kp.caPem, kp.adminToken);

  await t.test('POST: label and finalizer set, owned by no manager', async () => {
    const r = await http.post(`${ST}?fieldManager=creator`, target('posted', { finalizers: ['example.com/keep'] }));
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json.metadata.labels, { tier: 'gold', [SYNC_TARGET_KEY_LABEL]: toSyncTargetKey('root', 'posted') });
    assert.deepEqual(r.json.metadata.finalizers, ['example.com/keep', SYNC_TARGET_FINALIZER]);
    const owned = JSON.stringify(r.json.metadata.managedFields);
    assert.ok(owned.includes('f:tier') && owned.includes('example.com/keep'), owned);
    assert.ok(!owned.includes(SYNC_TARGET_KEY_LABEL) && !owned.includes(SYNC_TARGET_FINALIZER), owned);
  });

  await t.test('server-side apply creating the object: the same, and a second apply leaves them', async () => {
    const first = await http.patch(`${ST}/applied?fieldManager=gitops`, target('applied'), APPLY);
    assert.equal(first.status, 201, first.text);
    assert.equal(first.json.metadata.labels[SYNC_TARGET_KEY_LABEL], toSyncTargetKey('root', 'applied'));
    assert.deepEqual(first.json.metadata.finalizers, [SYNC_TARGET_FINALIZER]);
    const again = await http.patch(`${ST}/applied?fieldManager=gitops`, { ...target('applied'), metadata: { name: 'applied' } }, APPLY);
    assert.equal(again.status, 200, again.text);
    assert.equal(again.json.metadata.labels?.tier, undefined, 'the applier’s own label went with its manifest');
    assert.equal(again.json.metadata.labels[SYNC_TARGET_KEY_LABEL], toSyncTargetKey('root', 'applied'));
    assert.deepEqual(again.json.metadata.finalizers, [SYNC_TARGET_FINALIZER]);
  });

  await t.test('a key label the client sent is replaced by the real key', async () => {
    // The admin may write reserved metadata (a tenant may not: reserved-metadata.test.ts); even
    // so the stored key is the target's own, never another target's.
    const r = await http.post(ST, { ...target('forged'), metadata: { name: 'forged', labels: { [SYNC_TARGET_KEY_LABEL]: toSyncTargetKey('root', 'posted') } } });
    assert.equal(r.status, 201, r.text);
    assert.equal(r.json.metadata.labels[SYNC_TARGET_KEY_LABEL], toSyncTargetKey('root', 'forged'));
  });
});

test('a server without the SyncTarget controller leaves both to the controllers', { timeout: 120_000 }, async () => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const r = await http.post(ST, target('plain'));
  assert.equal(r.status, 201, r.text);
  assert.deepEqual(r.json.metadata.labels, { tier: 'gold' });
  assert.equal(r.json.metadata.finalizers, undefined);
  const del = await http.delete(`${ST}/plain`);
  assert.equal(del.status, 200, del.text);
  assert.equal((await http.get(`${ST}/plain`)).status, 404, 'nothing holds the delete');
});
