// Bad input over raw HTTPS: every malformed, invalid, unsupported or unauthorised request gets
// a metav1.Status with the right code and reason — never a 500 — and stores nothing (the
// storage revision, read from a list's resourceVersion, does not move).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../framework/eventually.ts';
import { type HttpResponse, TestClient } from '../../framework/http.ts';
import { startKplane } from '../../framework/kplane.ts';

const WS = 'root:team-a';
const GV = 'apis/workload.kcp.io/v1alpha1';
const ST = `/clusters/${WS}/${GV}/synctargets`;
const CM = `/clusters/${WS}/api/v1/namespaces/default/configmaps`;

function syncTarget(name: string, spec: Record<string, unknown> = { cluster: 'phys-1' }, extra: Record<string, unknown> = {}) {
  return { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name }, spec, ...extra };
}

interface Expect {
  code: number;
  reason: string;
  message?: RegExp;
  /** A details.causes[].field that must be named. */
  causeField?: string;
}

function assertStatus(r: HttpResponse, want: Expect): void {
  const ctx = `HTTP ${r.status}: ${r.text.slice(0, 600)}`;
  assert.equal(r.status, want.code, ctx);
  assert.equal(r.json?.kind, 'Status', ctx);
  assert.equal(r.json?.apiVersion, 'v1', ctx);
  assert.equal(r.json?.status, 'Failure', ctx);
  assert.equal(r.json?.reason, want.reason, ctx);
  assert.equal(r.json?.code, want.code, ctx);
  assert.match(String(r.headers['content-type']), /^application\/json/, ctx);
  if (want.message) assert.match(r.json.message, want.message, ctx);
  if (want.causeField) {
    const fields = (r.json.details?.causes ?? []).map((c: { field?: string }) => c.field);
    assert.ok(fields.includes(want.causeField), `causes ${JSON.stringify(fields)} should name ${want.causeField}; ${ctx}`);
  }
}

test('bad input gets a clear 4xx Status and stores nothing', { timeout: 600_000 }, async (t) => {
  // No controllers: this suite asserts that the storage revision does not move.
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const http = new TestClient(kp.url, kp.caPem, kp.adminToken);

  // A child workspace to work in, with one existing SyncTarget.
  const ws = await http.post('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces', {
    apiVersion: 'tenancy.kcp.io/v1alpha1',
    kind: 'Workspace',
    metadata: { name: 'team-a' },
  });
  assert.equal(ws.status, 201, ws.text);
  await eventually(
    async () => {
      const r = await http.get('/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces/team-a');
      return [r.json?.status?.phase === 'Ready', `phase ${r.json?.status?.phase}`];
    },
    { timeoutMs: 60_000, what: 'workspace Ready' },
  );
  const existing = await http.post(ST, syncTarget('existing'));
  assert.equal(existing.status, 201, existing.text);
  const staleRV: string = existing.json.metadata.resourceVersion;
  const label = await http.patch(`${ST}/existing`, { metadata: { labels: { moved: 'on' } } }, 'application/merge-patch+json');
  assert.equal(label.status, 200, label.text);

  // Two ConfigMaps, so that a paged list of them hands out a continue token.
  for (const name of ['cm-1', 'cm-2']) {
    const r = await http.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: 'v' } });
    assert.equal(r.status, 201, r.text);
  }
  const foreignToken: string = (await http.get(`${CM}?limit=1`)).json.metadata.continue;
  assert.ok(foreignToken, 'expected a continue token');

  /** The storage revision (global, strictly increasing) and the SyncTargets and ConfigMaps in the workspace. */
  const snapshot = async () => {
    const st = await http.get(ST);
    const cm = await http.get(CM);
    assert.equal(st.status, 200, st.text);
    assert.equal(cm.status, 200, cm.text);
    return {
      revision: st.json.metadata.resourceVersion as string,
      syncTargets: st.json.items.map((o: { metadata: { name: string; resourceVersion: string } }) => `${o.metadata.name}@${o.metadata.resourceVersion}`),
      configMaps: cm.json.items.map((o: { metadata: { name: string } }) => o.metadata.name),
    };
  };

  // Node's client sends a DELETE body without Content-Length unless told; kubectl sets it.
  const deleteWithOptions = (path: string, options: Record<string, unknown>) => {
    const body = JSON.stringify(options);
    return http.do(path, { method: 'DELETE', body, headers: { 'Content-Length': String(Buffer.byteLength(body)) } });
  };

  /** Run one bad request: it must fail as expected and leave storage untouched. */
  const bad = (name: string, send: () => Promise<HttpResponse>, want: Expect) =>
    t.test(name, async () => {
      const before = await snapshot();
      const r = await send();
      assertStatus(r, want);
      assert.deepEqual(await snapshot(), before, 'nothing may be stored');
    });

  const big = (bytes: number) => JSON.stringify(syncTarget('huge', { cluster: 'phys-1' }, { metadata: { name: 'huge', annotations: { pad: 'x'.repeat(bytes) } } }));

  // --- bodies that do not decode
  await bad('malformed JSON', () => http.post(ST, '{"apiVersion": "workload.kcp.io/v1alpha1", "kind": '), { code: 400, reason: 'BadRequest' });
  await bad('a JSON array instead of an object', () => http.post(ST, '[1, 2, 3]'), { code: 400, reason: 'BadRequest' });
  await bad('a JSON string instead of an object', () => http.post(ST, '"SyncTarget"'), { code: 400, reason: 'BadRequest' });
  await bad('JSON null', () => http.post(ST, 'null'), { code: 400, reason: 'BadRequest' });
  await bad('an empty body', () => http.post(ST, ''), { code: 400, reason: 'BadRequest' });
  await bad('metadata that is not an object', () => http.post(ST, { ...syncTarget('x'), metadata: 'x' }), { code: 400, reason: 'BadRequest' });

  // --- wrong type or identity
  await bad('wrong kind', () => http.post(ST, { ...syncTarget('wrong-kind'), kind: 'Workspace' }), {
    code: 400,
    reason: 'BadRequest',
    message: /kind/,
  });
  await bad('wrong apiVersion', () => http.post(ST, { ...syncTarget('wrong-gv'), apiVersion: 'tenancy.kcp.io/v1alpha1' }), {
    code: 400,
    reason: 'BadRequest',
    message: /API version/,
  });
  await bad('missing apiVersion and kind', () => http.post(ST, { metadata: { name: 'no-type' }, spec: { cluster: 'x' } }), { code: 400, reason: 'BadRequest' });
  await bad('name in the body differs from the URL (PUT)', () => http.put(`${ST}/existing`, syncTarget('someone-else')), {
    code: 400,
    reason: 'BadRequest',
    message: /does not match the name on the URL/,
  });
  await bad('namespace in the body differs from the URL', () => http.post(CM, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'other' } }), {
    code: 400,
    reason: 'BadRequest',
  });

  // --- invalid objects: 422 naming the field
  await bad('bad name (Bad_Name)', () => http.post(ST, syncTarget('Bad_Name')), { code: 422, reason: 'Invalid', causeField: 'metadata.name' });
  await bad('name too long', () => http.post(ST, syncTarget('a'.repeat(254))), { code: 422, reason: 'Invalid', causeField: 'metadata.name' });
  await bad('missing name', () => http.post(ST, { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: {}, spec: { cluster: 'x' } }), {
    code: 422,
    reason: 'Invalid',
    causeField: 'metadata.name',
  });
  await bad('SyncTarget without spec.cluster', () => http.post(ST, syncTarget('no-cluster', {})), { code: 422, reason: 'Invalid', causeField: 'spec.cluster' });
  await bad('negative capacity', () => http.post(ST, syncTarget('neg', { cluster: 'x', capacity: { cpu: '-1' } })), {
    code: 422,
    reason: 'Invalid',
    message: /capacity/,
  });
  await bad('a malformed quantity', () => http.post(ST, syncTarget('qty', { cluster: 'x', capacity: { memory: 'lots' } })), {
    code: 422,
    reason: 'Invalid',
    message: /capacity/,
  });
  await bad('a bad label key', () => http.post(ST, syncTarget('bad-label', { cluster: 'x' }, { metadata: { name: 'bad-label', labels: { 'no spaces allowed': 'x' } } })), {
    code: 422,
    reason: 'Invalid',
    message: /labels/,
  });
  await bad('a merge patch that removes a required field', () => http.patch(`${ST}/existing`, { spec: { cluster: null } }, 'application/merge-patch+json'), {
    code: 422,
    reason: 'Invalid',
    causeField: 'spec.cluster',
  });

  // --- field validation
  await bad('unknown field with fieldValidation=Strict', () => http.post(`${ST}?fieldValidation=Strict`, syncTarget('strict', { cluster: 'x', bogus: 1 })), {
    code: 400,
    reason: 'BadRequest',
    message: /bogus/,
  });
  // A patch keeps the stored spec and metadata as they are, and admission does not judge those
  // again; an own "__proto__" key beside them must still be judged as an unknown field.
  await t.test('a merge patch adding a top-level __proto__ key: 400 under Strict, the stored object unchanged', async () => {
    const before = await http.get(`${ST}/existing`);
    assert.equal(before.status, 200, before.text);
    const body = '{"__proto__":{"polluted":true},"metadata":{"labels":{"proto":"try"}}}';
    const r = await http.patch(`${ST}/existing?fieldValidation=Strict`, body, 'application/merge-patch+json');
    assert.equal(r.status, 400, r.text);
    assert.equal(r.json.reason, 'BadRequest');
    assert.match(r.json.message, /unknown field "__proto__"/);
    const after = await http.get(`${ST}/existing`);
    assert.equal(after.json.metadata.resourceVersion, before.json.metadata.resourceVersion, 'nothing was written');
    assert.equal(after.json.metadata.labels?.proto, undefined);
    assert.equal(({} as Record<string, unknown>).polluted, undefined, 'no prototype reached');
  });
  await bad('an unknown fieldValidation value', () => http.post(`${ST}?fieldValidation=Loose`, syncTarget('loose')), { code: 400, reason: 'BadRequest' });

  await t.test('unknown field with fieldValidation=Warn: stored without it, with a Warning header', async () => {
    const r = await http.post(`${ST}?fieldValidation=Warn`, syncTarget('warned', { cluster: 'x', bogus: 1 }));
    assert.equal(r.status, 201, r.text);
    const warning = [r.headers.warning ?? []].flat().join('\n');
    assert.match(warning, /^299 - ".*bogus.*"$/m);
    const got = await http.get(`${ST}/warned`);
    assert.equal(got.json.spec.cluster, 'x');
    assert.equal(got.json.spec.bogus, undefined);
    assert.equal((await http.delete(`${ST}/warned`)).status, 200);
  });

  // --- list and watch parameters
  await bad('bad label selector', () => http.get(`${ST}?labelSelector=${encodeURIComponent('tier in gold')}`), { code: 400, reason: 'BadRequest' });
  await bad('bad label value', () => http.get(`${ST}?labelSelector=${encodeURIComponent('tier=no spaces')}`), { code: 400, reason: 'BadRequest' });
  await bad('unsupported field selector', () => http.get(`${ST}?fieldSelector=spec.cluster%3Dx`), {
    code: 400,
    reason: 'BadRequest',
    message: /field label not supported: spec.cluster/,
  });
  await bad('unsupported field selector on watch', () => http.get(`${ST}?watch=true&fieldSelector=spec.cluster%3Dx`), { code: 400, reason: 'BadRequest' });
  await bad('garbage continue token', () => http.get(`${ST}?limit=1&continue=not-a-token`), { code: 400, reason: 'BadRequest' });
  await bad('continue token of another collection', () => http.get(`${ST}?limit=1&continue=${encodeURIComponent(foreignToken)}`), {
    code: 400,
    reason: 'BadRequest',
  });
  await bad('bad resourceVersion on list', () => http.get(`${ST}?resourceVersion=abc`), { code: 400, reason: 'BadRequest' });
  await bad('bad resourceVersion on watch', () => http.get(`${ST}?watch=true&resourceVersion=abc`), { code: 400, reason: 'BadRequest' });
  await bad('bad resourceVersionMatch', () => http.get(`${ST}?resourceVersion=1&resourceVersionMatch=Newest`), { code: 400, reason: 'BadRequest' });
  await bad('negative limit', () => http.get(`${ST}?limit=-1`), { code: 400, reason: 'BadRequest' });
  await bad('bad timeoutSeconds on watch', () => http.get(`${ST}?watch=true&timeoutSeconds=soon`), { code: 400, reason: 'BadRequest' });

  // --- sizes and media types
  await bad('a body over 3 MiB', () => http.post(ST, big(3 * 1024 * 1024)), { code: 413, reason: 'RequestEntityTooLarge' });
  await bad('a patch over 3 MiB', () => http.patch(`${ST}/existing`, big(3 * 1024 * 1024), 'application/merge-patch+json'), {
    code: 413,
    reason: 'RequestEntityTooLarge',
  });
  await bad('strategic merge patch on a SyncTarget', () => http.patch(`${ST}/existing`, { spec: { cluster: 'y' } }, 'application/strategic-merge-patch+json'), {
    code: 415,
    reason: 'UnsupportedMediaType',
  });
  await bad('text/plain body', () => http.do(ST, { method: 'POST', body: JSON.stringify(syncTarget('plain')), contentType: 'text/plain' }), {
    code: 415,
    reason: 'UnsupportedMediaType',
  });
  await bad('unknown patch type', () => http.patch(`${ST}/existing`, { spec: {} }, 'application/json'), { code: 415, reason: 'UnsupportedMediaType' });
  await bad('a JSON patch that is not an array', () => http.patch(`${ST}/existing`, { op: 'add' }, 'application/json-patch+json'), {
    code: 400,
    reason: 'BadRequest',
  });
  await bad('a JSON patch whose test fails', () =>
    http.patch(`${ST}/existing`, [{ op: 'test', path: '/spec/cluster', value: 'nope' }, { op: 'replace', path: '/spec/cluster', value: 'y' }], 'application/json-patch+json'), {
    code: 422,
    reason: 'Invalid',
  });
  await bad('a JSON patch on a missing path', () => http.patch(`${ST}/existing`, [{ op: 'replace', path: '/spec/missing/deeper', value: 1 }], 'application/json-patch+json'), {
    code: 422,
    reason: 'Invalid',
  });
  await bad('force on a non-apply patch', () => http.patch(`${ST}/existing?force=true`, { spec: { cluster: 'y' } }, 'application/merge-patch+json'), {
    code: 422,
    reason: 'Invalid',
  });
  await bad('apply patch without fieldManager', () => http.patch(`${ST}/existing`, syncTarget('existing', { cluster: 'y' }), 'application/apply-patch+yaml'), {
    code: 422,
    reason: 'Invalid',
  });

  // --- routing
  await bad('POST on the wildcard cluster', () => http.post(`/clusters/*/${GV}/synctargets`, syncTarget('wild')), { code: 405, reason: 'MethodNotAllowed' });
  await bad('DELETE on the wildcard cluster', () => http.delete(`/clusters/*/${GV}/synctargets/existing`), { code: 405, reason: 'MethodNotAllowed' });
  await bad('unknown resource', () => http.get(`/clusters/${WS}/${GV}/nothings`), { code: 404, reason: 'NotFound' });
  await bad('unknown group', () => http.post(`/clusters/${WS}/apis/nope.example.dev/v1/things`, syncTarget('x')), { code: 404, reason: 'NotFound' });
  await bad('unknown logical cluster (read)', () => http.get(`/clusters/root:nope/${GV}/synctargets`), { code: 404, reason: 'NotFound' });
  await bad('unknown logical cluster (write)', () => http.post(`/clusters/root:nope/${GV}/synctargets`, syncTarget('ghost')), { code: 404, reason: 'NotFound' });
  await bad('malformed logical cluster path', () => http.get(`/clusters/Root_Bad/${GV}/synctargets`), { code: 400, reason: 'BadRequest' });
  await bad('namespaced route for a cluster-scoped resource', () => http.get(`/clusters/${WS}/${GV}/namespaces/default/synctargets`), { code: 404, reason: 'NotFound' });
  await bad('a namespace that does not exist', () => http.post(`/clusters/${WS}/api/v1/namespaces/nope/configmaps`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } }), {
    code: 404,
    reason: 'NotFound',
  });
  await bad('unsupported subresource (read)', () => http.get(`${ST}/existing/scale`), { code: 404, reason: 'NotFound' });
  await bad('unsupported subresource (write)', () => http.patch(`${ST}/existing/scale`, { spec: { replicas: 2 } }, 'application/merge-patch+json'), {
    code: 404,
    reason: 'NotFound',
  });
  await bad('status subresource of a resource without one', () => http.get(`/clusters/${WS}/api/v1/namespaces/default/configmaps/cm-1/status`), {
    code: 404,
    reason: 'NotFound',
  });
  await bad('DELETE on the status subresource', () => http.delete(`${ST}/existing/status`), { code: 405, reason: 'MethodNotAllowed' });

  // --- conflicts
  await bad('create of an existing object', () => http.post(ST, syncTarget('existing')), {
    code: 409,
    reason: 'AlreadyExists',
    message: /synctargets.workload.kcp.io "existing" already exists/,
  });
  await bad('update with a stale resourceVersion', () => http.put(`${ST}/existing`, syncTarget('existing', { cluster: 'y' }, { metadata: { name: 'existing', resourceVersion: staleRV } })), {
    code: 409,
    reason: 'Conflict',
    message: /the object has been modified/,
  });
  await bad('merge patch with a stale resourceVersion', () => http.patch(`${ST}/existing`, { metadata: { resourceVersion: staleRV }, spec: { cluster: 'y' } }, 'application/merge-patch+json'), {
    code: 409,
    reason: 'Conflict',
  });
  await bad('delete with a stale resourceVersion precondition', () => deleteWithOptions(`${ST}/existing`, { preconditions: { resourceVersion: staleRV } }), {
    code: 409,
    reason: 'Conflict',
  });
  await bad('delete with a wrong uid precondition', () => deleteWithOptions(`${ST}/existing`, { preconditions: { uid: '00000000-0000-0000-0000-000000000000' } }), {
    code: 409,
    reason: 'Conflict',
  });
  await bad('delete of a missing object', () => http.delete(`${ST}/missing`), { code: 404, reason: 'NotFound', message: /"missing" not found/ });
  await bad('update of a missing object', () => http.put(`${ST}/missing`, syncTarget('missing')), { code: 404, reason: 'NotFound' });

  // --- authentication
  await bad('no token', () => http.get(ST, { token: null }), { code: 401, reason: 'Unauthorized' });
  await bad('no token (write)', () => http.post(ST, syncTarget('anon'), { token: null }), { code: 401, reason: 'Unauthorized' });
  await bad('bad token', () => http.withToken('not-the-admin-token').post(ST, syncTarget('intruder')), { code: 401, reason: 'Unauthorized' });
  await bad('malformed Authorization header', () => http.get(ST, { token: null, headers: { Authorization: 'Basic Zm9vOmJhcg==' } }), {
    code: 401,
    reason: 'Unauthorized',
  });

  await t.test('the server logged no 5xx', () => {
    const failures = kp.logs.filter((l) => l.message === 'request' && typeof l.code === 'number' && l.code >= 500);
    assert.deepEqual(failures, []);
  });
});
