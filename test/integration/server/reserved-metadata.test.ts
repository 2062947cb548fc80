// Reserved metadata against a real kplane: a workspace admin (not system:masters) may not set,
// change or drop placement labels, deletion annotations, syncer finalizers or the SyncTarget
// key label — by create, PUT, merge/JSON patch or server-side apply — while every other edit of
// the same objects still works, and what a write merely leaves out is kept as stored. Without
// this, a tenant could label its own objects for another
// tenant's SyncTarget and have that syncer copy them onto the other tenant's physical cluster.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { deletionAnnotation, syncerFinalizer } from '../../../apis/workload/v1alpha1/sync-contract.ts';
import { stateLabelKey, toSyncTargetKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import { eventually } from '../../framework/eventually.ts';
import { type HttpResponse, TestClient } from '../../framework/http.ts';
import { type Kplane, startKplane } from '../../framework/kplane.ts';

const SLOW = { timeoutMs: 90_000, intervalMs: 200 };
const ALICE = 'alice-reserved-0123456789';
const RBAC = 'rbac.authorization.k8s.io';
const WS = 'root:ws-a';
// Another tenant's SyncTarget: the key a hostile tenant would aim at.
const KEY = toSyncTargetKey('root:ws-victim', 'edge-1');
const LABEL = stateLabelKey(KEY);
const MERGE = 'application/merge-patch+json';
const CMS = `/clusters/${WS}/api/v1/namespaces/web/configmaps`;

function expectStatus(r: HttpResponse, want: number, what: string): void {
  assert.equal(r.status, want, `${what}: ${r.text.slice(0, 400)}`);
}

function expectReserved(r: HttpResponse, what: string): void {
  expectStatus(r, 403, what);
  assert.equal(r.json?.kind, 'Status', what);
  assert.equal(r.json?.reason, 'Forbidden', what);
  assert.match(r.json?.message ?? '', /reserved for kplane's scheduling controllers and syncers/, what);
}

describe('reserved metadata', () => {
  let kp: Kplane;
  let dir: string;
  let admin: TestClient;
  let alice: TestClient;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kplane-reserved-'));
    const tokenFile = join(dir, 'tokens.csv');
    writeFileSync(tokenFile, `${ALICE},alice,uid-alice,"tenant-a"\n`, { mode: 0o600 });
    kp = await startKplane({ args: ['--token-auth-file', tokenFile, '--controllers', '-'] });
    admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
    alice = admin.withToken(ALICE);
    expectStatus(await admin.post('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'ws-a' } }), 201, 'workspace');
    await eventually(async () => {
      const r = await admin.get('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/ws-a');
      return [r.json?.status?.phase === 'Ready', `phase ${r.json?.status?.phase}`];
    }, { ...SLOW, what: 'ws-a Ready' });
    expectStatus(await admin.post(`/clusters/${WS}/apis/${RBAC}/v1/clusterrolebindings`, {
      apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'alice-admin' },
      roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'User', apiGroup: RBAC, name: 'alice' }],
    }), 201, 'bind alice');
    expectStatus(await alice.post(`/clusters/${WS}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'web' } }), 201, 'ns web');
    // Placed and held by a syncer, as the scheduling controller and a syncer would leave it.
    expectStatus(await admin.post(CMS, {
      apiVersion: 'v1', kind: 'ConfigMap',
      metadata: { name: 'placed', labels: { [LABEL]: 'Sync', app: 'web' }, annotations: { [deletionAnnotation(KEY)]: '2026-12-01T00:00:00Z' }, finalizers: [syncerFinalizer(KEY)] },
      data: { k: 'v' },
    }), 201, 'placed cm');
  });

  after(async () => {
    await kp?.[Symbol.asyncDispose]();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  test('a tenant cannot create an object or namespace already placed on a SyncTarget', async () => {
    expectReserved(await alice.post(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'smuggled', labels: { [LABEL]: 'Sync' } }, data: { secret: 'x' } }), 'create labelled cm');
    expectReserved(await alice.post(CMS, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'held', finalizers: [syncerFinalizer(KEY)] } }), 'create with a syncer finalizer');
    expectReserved(await alice.post(`/clusters/${WS}/api/v1/namespaces`, { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'smuggled', labels: { [LABEL]: 'Sync' } } }), 'create labelled ns');
    // Server-side apply creating the object is a create too.
    expectReserved(await alice.patch(`${CMS}/applied?fieldManager=alice`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'applied', labels: { [LABEL]: 'Sync' } } }, 'application/apply-patch+yaml'), 'apply-create labelled cm');
    expectStatus(await alice.get(`${CMS}/smuggled`), 404, 'nothing was stored');
    expectStatus(await alice.get(`${CMS}/applied`), 404, 'nothing was stored by apply');
  });

  test('a tenant cannot place an existing object, nor move it to another SyncTarget', async () => {
    const before = (await admin.get(`${CMS}/placed`)).json;
    expectReserved(await alice.patch(`/clusters/${WS}/api/v1/namespaces/web`, { metadata: { labels: { [LABEL]: 'Sync' } } }, MERGE), 'label ns by merge patch');
    expectReserved(await alice.patch(`${CMS}/placed`, { metadata: { labels: { [LABEL]: 'Other' } } }, MERGE), 'change the placement label');
    expectReserved(await alice.patch(`${CMS}/placed`, { metadata: { finalizers: [syncerFinalizer(KEY), syncerFinalizer('other')] } }, MERGE), 'add a syncer finalizer');
    expectReserved(await alice.patch(`${CMS}/placed?fieldManager=alice&force=true`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'placed', labels: { [LABEL]: 'Other' } } }, 'application/apply-patch+yaml'), 'apply changing the label');
    assert.equal((await admin.get(`${CMS}/placed`)).json.metadata.resourceVersion, before.metadata.resourceVersion, 'no refused write changed the object');
  });

  test('what a tenant\'s write leaves out of the reserved metadata is kept as stored, with a warning', async () => {
    const live = (await alice.get(`${CMS}/placed`)).json;
    // A PUT of a manifest without kplane's labels (kubectl replace -f), a merge patch nulling
    // them, a JSON patch removing the deletion annotation: accepted, reserved entries kept.
    const put = await alice.put(`${CMS}/placed`, { ...live, metadata: { ...live.metadata, labels: { app: 'web' }, annotations: {}, finalizers: [] } });
    expectStatus(put, 200, 'PUT without the reserved metadata');
    assert.match(String(put.headers.warning), /reserved for kplane and kept as stored/);
    expectStatus(await alice.patch(`${CMS}/placed`, { metadata: { labels: { [LABEL]: null }, finalizers: null } }, MERGE), 200, 'merge patch nulling them');
    expectStatus(await alice.patch(`${CMS}/placed`, [{ op: 'remove', path: `/metadata/annotations/${deletionAnnotation(KEY).replace('/', '~1')}` }], 'application/json-patch+json'), 200, 'JSON patch removing the annotation');
    const after = (await admin.get(`${CMS}/placed`)).json;
    assert.equal(after.metadata.labels[LABEL], 'Sync');
    assert.equal(after.metadata.annotations[deletionAnnotation(KEY)], '2026-12-01T00:00:00Z');
    assert.deepEqual(after.metadata.finalizers, [syncerFinalizer(KEY)]);
  });

  test('every other edit of a placed object still works for the tenant, and the reserved metadata stays', async () => {
    expectStatus(await alice.patch(`${CMS}/placed`, { metadata: { labels: { tier: 'front' } }, data: { k: 'v2' } }, MERGE), 200, 'merge patch of data and an ordinary label');
    const live = (await alice.get(`${CMS}/placed`)).json;
    expectStatus(await alice.put(`${CMS}/placed`, { ...live, data: { k: 'v3' } }), 200, 'PUT of what was read');
    expectStatus(await alice.patch(`${CMS}/placed?fieldManager=alice&force=true`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'placed' }, data: { k: 'v4' } }, 'application/apply-patch+yaml'), 200, 'apply of data only');
    const after = (await alice.get(`${CMS}/placed`)).json;
    assert.equal(after.data.k, 'v4');
    assert.equal(after.metadata.labels[LABEL], 'Sync');
    assert.equal(after.metadata.labels.tier, 'front');
    // Deleting is the tenant's right; the syncer's finalizer holds the object until it is done.
    expectStatus(await alice.delete(`${CMS}/placed`), 200, 'delete');
    assert.ok((await admin.get(`${CMS}/placed`)).json.metadata.deletionTimestamp, 'held by the syncer finalizer');
  });

  test('system:masters (kplane\'s controllers, operators) may write it', async () => {
    expectStatus(await admin.patch(`/clusters/${WS}/api/v1/namespaces/web`, { metadata: { labels: { [LABEL]: 'Sync' } } }, MERGE), 200, 'admin labels ns');
    expectStatus(await admin.patch(`${CMS}/placed`, { metadata: { finalizers: null } }, MERGE), 200, 'admin releases the finalizer');
    expectStatus(await admin.get(`${CMS}/placed`), 404, 'deletion completed');
  });
});
