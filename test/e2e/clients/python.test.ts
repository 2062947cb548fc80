// The official Kubernetes Python client (Debian python3-kubernetes) against kplane, TLS
// verified with the kubeconfig's CA: each case runs test/e2e/clients/python/cases.py and the
// stored objects are then read back over HTTP. Cases run in order (later ones use objects the
// earlier ones made).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startKplane } from '../../framework/kplane.ts';
import { TestClient } from '../../framework/http.ts';
import { runPythonCase } from './support.ts';

const CM = '/clusters/root/api/v1/namespaces/default/configmaps';

test('python client: wire compatibility', { timeout: 900_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const py = (name: string) => runPythonCase(name, kp.kubeconfig);

  await t.test('watch=True with allowWatchBookmarks=True is a watch with bookmarks', async () => {
    const r = await py('watch_true_with_bookmarks');
    assert.deepEqual(r, { type: 'ADDED', name: 'py-watched', data: { w: '1' }, bookmark_not_older: true });
  });

  await t.test('typed models without apiVersion/kind are created; no generation on a ConfigMap', async () => {
    const r = await py('typed_without_kind');
    assert.deepEqual(r, { cm: ['ConfigMap', 'v1', { a: '1' }], deploy: ['Deployment', 'apps/v1', 1] });
    const cm = (await http.get(`${CM}/py-typed`)).json;
    assert.deepEqual(cm.data, { a: '1' });
    assert.equal(cm.metadata.generation, undefined);
    assert.equal((await http.get('/clusters/root/apis/apps/v1/namespaces/default/deployments/py-web')).json.metadata.generation, 1);
  });

  await t.test('a kind that contradicts the URL is still 400; custom resources must name their kind', async () => {
    const before = (await http.get(CM)).json.metadata.resourceVersion;
    const wrong = await http.post(CM, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'py-wrong' } });
    assert.equal(wrong.status, 400, wrong.text);
    assert.match(wrong.json.message, /does not match the expected kind \(ConfigMap\)/);
    const st = await http.post('/clusters/root/apis/workload.kcp.io/v1alpha1/synctargets', { metadata: { name: 'no-kind' }, spec: { cluster: 'c' } });
    assert.equal(st.status, 400, st.text);
    assert.equal((await http.get(CM)).json.metadata.resourceVersion, before);
  });

  await t.test('patch/read/replace_namespaced_deployment_scale', async () => {
    const r = await py('scale_deployment');
    assert.deepEqual(r, { patched: 4, read: ['Scale', 4, 'app=py-web'], replaced: 3 });
    const dep = (await http.get('/clusters/root/apis/apps/v1/namespaces/default/deployments/py-web')).json;
    assert.equal(dep.spec.replicas, 3);
    assert.equal(dep.metadata.generation, 3);
    // Bad scales change nothing: negative replicas 422, a body of another kind 400, a stale
    // resourceVersion 409.
    const SCALE = '/clusters/root/apis/apps/v1/namespaces/default/deployments/py-web/scale';
    const negative = await http.patch(SCALE, { spec: { replicas: -1 } }, 'application/merge-patch+json');
    assert.equal(negative.status, 422, negative.text);
    assert.equal(negative.json.details.causes[0].field, 'spec.replicas');
    const wrongKind = await http.put(SCALE, { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'py-web' }, spec: { replicas: 9 } });
    assert.equal(wrongKind.status, 400, wrongKind.text);
    const stale = await http.put(SCALE, { apiVersion: 'autoscaling/v1', kind: 'Scale', metadata: { name: 'py-web', resourceVersion: '1' }, spec: { replicas: 9 } });
    assert.equal(stale.status, 409, stale.text);
    const after = (await http.get('/clusters/root/apis/apps/v1/namespaces/default/deployments/py-web')).json;
    assert.equal(after.metadata.resourceVersion, dep.metadata.resourceVersion);
  });

  await t.test('DELETE: Success Status when gone, the object while finalizers hold it', async () => {
    const r = await py('delete_replies');
    assert.deepEqual(r.gone, { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', details: { name: 'py-typed', kind: 'configmaps', uid: r.uid } });
    assert.equal(r.held.kind, 'ConfigMap');
    assert.ok(r.held.deletionTimestamp);
    assert.equal((await http.get(`${CM}/py-typed`)).status, 404);
    assert.equal((await http.get(`${CM}/py-held`)).status, 404);
  });

  await t.test('Lease MicroTime stored in UTC with six fractional digits', async () => {
    const r = await py('lease_microtime');
    assert.deepEqual(r, { acquire: '2024-03-01T08:00:00.123456+00:00', renew: '2024-03-01T10:00:05+00:00' });
    const lease = (await http.get('/clusters/root/apis/coordination.k8s.io/v1/namespaces/default/leases/py-lease')).json;
    assert.equal(lease.spec.acquireTime, '2024-03-01T08:00:00.123456Z');
    assert.equal(lease.spec.renewTime, '2024-03-01T10:00:05.000000Z');
  });

  await t.test('server-side apply with force=True takes the field over', async () => {
    const r = await py('ssa_force_true');
    assert.deepEqual(r, { conflict: 409, data: { k: 'second' } });
    const cm = (await http.get(`${CM}/py-ssa`)).json;
    assert.deepEqual(cm.data, { k: 'second' });
    const owners = cm.metadata.managedFields.map((m: { manager: string }) => m.manager);
    assert.ok(owners.includes('py-two'), owners.join());
  });

  await t.test('watch from a future resourceVersion ends at once with 504 Too large resource version', async () => {
    const r = await py('future_resource_version');
    assert.equal(r.status, 504);
    assert.match(r.reason, /^Timeout: Timeout: Too large resource version: \d+, current: \d+$/);
    // On the wire: 200, one ERROR event with kube's Status, then the end of the stream.
    const current = Number((await http.get(CM)).json.metadata.resourceVersion);
    const raw = await http.get(`${CM}?watch=true&resourceVersion=${current + 50}`);
    assert.equal(raw.status, 200);
    const lines = raw.text.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.deepEqual(JSON.parse(lines[0]!), {
      type: 'ERROR',
      object: {
        kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Timeout', code: 504,
        message: `Timeout: Too large resource version: ${current + 50}, current: ${current}`,
        details: { causes: [{ reason: 'ResourceVersionTooLarge', message: 'Too large resource version' }], retryAfterSeconds: 1 },
      },
    });
  });

  await t.test('legacy /api/v1/watch/... path', async () => {
    assert.deepEqual(await py('legacy_watch_path'), { type: 'ADDED', name: 'py-ssa' });
  });

  await t.test('legacy /apis/<g>/<v>/watch/... collection path under /clusters/<ws>', async () => {
    // timeoutSeconds ends the stream so the whole reply can be read: initial ADDED events.
    const r = await http.get('/clusters/root/apis/apps/v1/watch/namespaces/default/deployments?timeoutSeconds=1');
    assert.equal(r.status, 200, r.text);
    const events = r.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { name: string } } });
    assert.deepEqual(events.map((e) => [e.type, e.object.metadata.name]), [['ADDED', 'py-web']]);
  });

  await t.test('a boolean parameter that is not a boolean is 400', async () => {
    const r = await py('bad_boolean');
    assert.equal(r.status, 400);
    assert.equal(r.body.reason, 'BadRequest');
  });

  await t.test('field selectors: Namespace status.phase, Secret type, unsupported label 400', async () => {
    const r = await py('field_selectors');
    assert.ok(r.active.includes('default'));
    assert.equal(r.terminating, 0);
    assert.deepEqual(r.typed, ['py-tls']);
    assert.deepEqual(r.unsupported, [400, 'field label not supported: data.k']);
  });
});
