// The deploy library (pkg/syncer/deploy) against a kplane instance standing in for a
// physical cluster: apply in order (idempotently), availability, delete in reverse, and the
// error reasons for an unreachable or unauthorised cluster.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { startKplane } from '../framework/kplane.ts';
import { TestClient } from '../framework/http.ts';
import { applySyncerManifests, deleteSyncerManifests, syncerDeploymentAvailable } from '../../pkg/syncer/deploy/index.ts';
import { renderSyncerManifests, syncerResourceName } from '../../pkg/syncer/manifests/index.ts';

test('deploy library against a stand-in physical cluster', { timeout: 300_000 }, async (t) => {
  await using phys = await startKplane();
  const kubeconfig = readFileSync(phys.kubeconfig, 'utf8');
  const http = new TestClient(phys.url, phys.caPem, phys.adminToken);
  const uid = '11111111-2222-4333-8444-555555555555';
  const objects = renderSyncerManifests({
    syncTarget: { metadata: { name: 'edge-1', uid } },
    workspace: 'root:team',
    kplaneURL: 'https://kplane.invalid:6443',
    caPem: phys.caPem,
    token: 'syncer-token',
    image: 'kplane-syncer:dev',
  });
  const id = syncerResourceName('edge-1', uid);
  const depPath = `/clusters/root/apis/apps/v1/namespaces/${id}/deployments/${id}`;

  await t.test('apply creates everything, and again changes nothing', async () => {
    const applied = await applySyncerManifests(kubeconfig, objects);
    assert.deepEqual(applied.map((o) => o.kind), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Secret', 'Deployment']);
    const first = (await http.get(depPath)).json;
    assert.equal(first.spec.strategy.type, 'Recreate');
    assert.ok(first.metadata.managedFields.some((m: { manager: string }) => m.manager === 'kplane'));
    await applySyncerManifests(kubeconfig, objects);
    const second = (await http.get(depPath)).json;
    assert.equal(second.metadata.resourceVersion, first.metadata.resourceVersion, 're-apply of identical manifests must not write');
  });

  await t.test('availability follows status.availableReplicas', async () => {
    let a = await syncerDeploymentAvailable(kubeconfig, objects);
    assert.deepEqual([a.available, a.reason], [false, 'DeploymentUnavailable']);
    const r = await http.patch(`${depPath}/status`, { status: { availableReplicas: 1, replicas: 1 } }, 'application/merge-patch+json');
    assert.equal(r.status, 200, r.text);
    a = await syncerDeploymentAvailable(kubeconfig, objects);
    assert.deepEqual([a.available, a.reason], [true, 'DeploymentAvailable']);
  });

  await t.test('delete removes everything in reverse order; twice is fine', async () => {
    const deleted = await deleteSyncerManifests(kubeconfig, objects);
    assert.deepEqual(deleted.map((d) => d.split(' ')[0]), ['Deployment', 'Secret', 'ClusterRoleBinding', 'ClusterRole', 'ServiceAccount', 'Namespace']);
    assert.equal((await http.get(depPath)).status, 404);
    assert.equal((await http.get(`/clusters/root/apis/rbac.authorization.k8s.io/v1/clusterroles/${id}`)).status, 404);
    assert.deepEqual(await deleteSyncerManifests(kubeconfig, objects), []);
    const a = await syncerDeploymentAvailable(kubeconfig, objects);
    assert.equal(a.reason, 'DeploymentNotFound');
  });

  await t.test('bad token → PhysicalClusterUnauthorized; closed port → PhysicalClusterUnreachable', async () => {
    const badToken = kubeconfig.replace(/token: \S+/, 'token: not-the-token');
    await assert.rejects(applySyncerManifests(badToken, objects), (e: { reason?: string; kind?: string }) => e.reason === 'PhysicalClusterUnauthorized' && e.kind === 'unauthorized');
    const closed = kubeconfig.replace(/server: https:\/\/127\.0\.0\.1:\d+/g, 'server: https://127.0.0.1:1');
    await assert.rejects(applySyncerManifests(closed, objects), (e: { reason?: string; kind?: string }) => e.reason === 'PhysicalClusterUnreachable' && e.kind === 'unreachable');
    const a = await syncerDeploymentAvailable(closed, objects);
    assert.equal(a.reason, 'PhysicalClusterUnreachable');
  });
});
