// With the SyncTarget controller in the server's process (the default), a SyncTarget is stored
// with its key label and that controller's finalizer already set (the API server's SyncTarget
// strategy), on every create path — POST and server-side apply: the created object the server
// answers with carries them, before any controller could have acted. Those fields belong to no
// client's managedFields entry, so a client's later apply cannot remove them, and no client
// can store another target's key in the label. A server without that controller (`--controllers -`, the
// controllers run elsewhere or not at all) adds neither, so a delete is not held for a
// controller that may not exist. As an attacker and a stranger's client: a tenant naming a key
// itself is refused on POST and apply with nothing stored, another tenant can neither create
// nor read in the workspace, and kubectl's server-side apply run twice keeps what the server set.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { SYNC_TARGET_FINALIZER } from '../../../apis/workload/v1alpha1/synctarget.ts';
import { SYNC_TARGET_KEY_LABEL, toSyncTargetKey } from '../../../apis/workload/v1alpha1/synctargetkey.ts';
import { eventually } from '../../framework/eventually.ts';
import { TestClient } from '../../framework/http.ts';
import { Kubectl } from '../../framework/kubectl.ts';
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

test('tenants and kubectl with the strategy on: forged keys refused and nothing stored, own key set, re-applies keep it', { timeout: 180_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-st-create-'));
  const tokenFile = join(dir, 'tokens.csv');
  writeFileSync(tokenFile, 'alice-token-0123456789,alice,uid-alice,"tenant-a"\nbob-token-0123456789,bob,uid-bob,"tenant-b"\n', { mode: 0o600 });
  await using kp = await startKplane({ args: ['--controllers', 'kplane-synctarget', '--token-auth-file', tokenFile] });
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const alice = admin.withToken('alice-token-0123456789');
  const bob = admin.withToken('bob-token-0123456789');
  const RBAC = 'rbac.authorization.k8s.io';
  const WS = 'root:ws-a';
  const STA = `/clusters/${WS}/apis/workload.kcp.io/v1alpha1/synctargets`;
  assert.equal((await admin.post('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'ws-a' } })).status, 201);
  await eventually(async () => {
    const r = await admin.get('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/ws-a');
    return [r.json?.status?.phase === 'Ready', `phase ${r.json?.status?.phase}`];
  }, { timeoutMs: 90_000, intervalMs: 200, what: 'ws-a Ready' });
  const bind = await admin.post(`/clusters/${WS}/apis/${RBAC}/v1/clusterrolebindings`, {
    apiVersion: `${RBAC}/v1`, kind: 'ClusterRoleBinding', metadata: { name: 'alice-admin' },
    roleRef: { apiGroup: RBAC, kind: 'ClusterRole', name: 'admin' }, subjects: [{ kind: 'User', apiGroup: RBAC, name: 'alice' }],
  });
  assert.equal(bind.status, 201, bind.text);
  const forged = { [SYNC_TARGET_KEY_LABEL]: toSyncTargetKey('root:ws-victim', 'edge-1') };

  await t.test('a tenant naming a key itself: 403 on POST and on apply, nothing stored', async () => {
    const post = await alice.post(STA, { ...target('forged-post'), metadata: { name: 'forged-post', labels: forged } });
    assert.equal(post.status, 403, post.text);
    assert.equal(post.json.kind, 'Status');
    const apply = await alice.patch(`${STA}/forged-apply?fieldManager=alice`, { ...target('forged-apply'), metadata: { name: 'forged-apply', labels: forged } }, APPLY);
    assert.equal(apply.status, 403, apply.text);
    for (const name of ['forged-post', 'forged-apply']) assert.equal((await admin.get(`${STA}/${name}`)).status, 404, name);
  });

  await t.test("a tenant's plain create: its own workspace's key and the finalizer", async () => {
    const r = await alice.post(STA, target('edge-1'));
    assert.equal(r.status, 201, r.text);
    const stored = await admin.get(`${STA}/edge-1`);
    assert.equal(stored.json.metadata.labels[SYNC_TARGET_KEY_LABEL], toSyncTargetKey(WS, 'edge-1'));
    assert.ok(stored.json.metadata.finalizers.includes(SYNC_TARGET_FINALIZER));
  });

  await t.test('another tenant cannot create there, nor read what alice made', async () => {
    const r = await bob.post(STA, target('bobs'));
    assert.equal(r.status, 403, r.text);
    assert.equal((await admin.get(`${STA}/bobs`)).status, 404);
    assert.equal((await bob.get(`${STA}/edge-1`)).status, 403);
  });

  await t.test('kubectl apply --server-side twice, the second without its own labels: key label and finalizer stay', async () => {
    const k = new Kubectl(kp.kubeconfig, [`--server=${kp.url}/clusters/root`]);
    const manifest = (labels: string) => `apiVersion: workload.kcp.io/v1alpha1\nkind: SyncTarget\nmetadata:\n  name: kubectl-st\n${labels}spec:\n  cluster: kubectl-st\n`;
    await k.ok(['apply', '--server-side', '-f', '-'], { stdin: manifest('  labels:\n    tier: gold\n') });
    await k.ok(['apply', '--server-side', '-f', '-'], { stdin: manifest('') });
    const st = JSON.parse(await k.ok(['get', 'synctarget', 'kubectl-st', '-o', 'json']));
    assert.deepEqual(st.metadata.labels, { [SYNC_TARGET_KEY_LABEL]: toSyncTargetKey('root', 'kubectl-st') });
    assert.ok(st.metadata.finalizers.includes(SYNC_TARGET_FINALIZER));
  });
});
