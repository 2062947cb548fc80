// Patches that change nothing: answered 200 with the live object, nothing written (the
// resourceVersion stays, no watch event, managedFields untouched even for a manager that never
// wrote), while the checks that make a patch fail still apply to them: a stale
// resourceVersion in the patch is 409, a failing JSON-patch test is 422, another tenant's or
// an unprivileged caller's no-op is refused as any patch is. The heartbeat path leans on this:
// most of a fleet's beats within one second are such patches.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClient } from '../../framework/http.ts';
import { startKplane } from '../../framework/kplane.ts';

const ST = '/clusters/root/apis/workload.kcp.io/v1alpha1/synctargets';
const MERGE = 'application/merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';

test('no-op patches write nothing and fail where any patch fails', { timeout: 120_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--controllers', '-'] });
  const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const created = await http.post(`${ST}?fieldManager=creator`, {
    apiVersion: 'workload.kcp.io/v1alpha1',
    kind: 'SyncTarget',
    metadata: { name: 'noop', labels: { a: '1' } },
    spec: { cluster: 'phys' },
  });
  assert.equal(created.status, 201, created.text);
  const beat = await http.patch(`${ST}/noop/status?fieldManager=syncer`, { status: { lastSyncerHeartbeatTime: '2026-12-02T03:00:00Z' } }, MERGE);
  assert.equal(beat.status, 200, beat.text);
  const live = beat.json;
  const rv: string = live.metadata.resourceVersion;
  assert.notEqual(rv, created.json.metadata.resourceVersion, 'the first beat is a write');

  await t.test('the same beat again: 200, the live object, no new resourceVersion', async () => {
    const r = await http.patch(`${ST}/noop/status?fieldManager=syncer`, { status: { lastSyncerHeartbeatTime: '2026-12-02T03:00:00Z' } }, MERGE);
    assert.equal(r.status, 200, r.text);
    assert.deepEqual(r.json, live);
  });

  await t.test('a no-op by a manager that never wrote adds no managedFields entry', async () => {
    for (const [path, body] of [[`${ST}/noop?fieldManager=stranger`, { metadata: { labels: { a: '1' } } }], [`${ST}/noop/status?fieldManager=stranger`, { status: { lastSyncerHeartbeatTime: '2026-12-02T03:00:00Z' } }]] as const) {
      const r = await http.patch(path, body, MERGE);
      assert.equal(r.status, 200, r.text);
      assert.equal(r.json.metadata.resourceVersion, rv);
      assert.deepEqual(r.json.metadata.managedFields, live.metadata.managedFields);
      assert.ok(!JSON.stringify(r.json.metadata.managedFields).includes('stranger'));
    }
  });

  await t.test('deleting a field that is not there, and a JSON patch of only a passing test', async () => {
    const del = await http.patch(`${ST}/noop`, { spec: { unschedulable: null }, metadata: { annotations: { absent: null } } }, MERGE);
    assert.equal(del.status, 200, del.text);
    assert.equal(del.json.metadata.resourceVersion, rv);
    const testOnly = await http.patch(`${ST}/noop`, [{ op: 'test', path: '/spec/cluster', value: 'phys' }], JSON_PATCH);
    assert.equal(testOnly.status, 200, testOnly.text);
    assert.equal(testOnly.json.metadata.resourceVersion, rv);
  });

  await t.test('a JSON patch whose test fails is still 422', async () => {
    const r = await http.patch(`${ST}/noop`, [{ op: 'test', path: '/spec/cluster', value: 'other' }], JSON_PATCH);
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.kind, 'Status');
  });

  await t.test('the current resourceVersion as precondition: 200, a stale one: 409', async () => {
    const ok = await http.patch(`${ST}/noop`, { metadata: { resourceVersion: rv, labels: { a: '1' } } }, MERGE);
    assert.equal(ok.status, 200, ok.text);
    assert.equal(ok.json.metadata.resourceVersion, rv);
    const stale = await http.patch(`${ST}/noop`, { metadata: { resourceVersion: created.json.metadata.resourceVersion, labels: { a: '1' } } }, MERGE);
    assert.equal(stale.status, 409, stale.text);
    assert.equal(stale.json.reason, 'Conflict');
  });

  await t.test('a dry-run no-op answers the live object', async () => {
    const r = await http.patch(`${ST}/noop?dryRun=All`, { metadata: { labels: { a: '1' } } }, MERGE);
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.metadata.resourceVersion, rv);
  });

  await t.test('no-ops are refused where any patch is: no token 401, another workspace 404', async () => {
    const anon = await http.patch(`${ST}/noop`, { metadata: { labels: { a: '1' } } }, MERGE, { token: null });
    assert.equal(anon.status, 401, anon.text);
    const elsewhere = await http.patch('/clusters/root:nowhere/apis/workload.kcp.io/v1alpha1/synctargets/noop', { metadata: { labels: { a: '1' } } }, MERGE);
    assert.ok(elsewhere.status === 404 || elsewhere.status === 403, elsewhere.text);
  });

  await t.test('a ServiceAccount with no RBAC: its no-op is 403, like any patch, and nothing is stored', async () => {
    const sa = await http.post('/clusters/root/api/v1/namespaces/default/serviceaccounts', { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'nobody' } });
    assert.equal(sa.status, 201, sa.text);
    const tr = await http.post('/clusters/root/api/v1/namespaces/default/serviceaccounts/nobody/token', { apiVersion: 'authentication.k8s.io/v1', kind: 'TokenRequest', spec: {} });
    assert.equal(tr.status, 201, tr.text);
    const nobody = http.withToken(tr.json.status.token);
    for (const [path, body] of [[`${ST}/noop`, { metadata: { labels: { a: '1' } } }], [`${ST}/noop/status`, { status: { lastSyncerHeartbeatTime: '2026-12-02T03:00:00Z' } }]] as const) {
      const r = await nobody.patch(path, body, MERGE);
      assert.equal(r.status, 403, r.text);
      assert.equal(r.json.kind, 'Status');
    }
    const stored = await http.get(`${ST}/noop`);
    assert.equal(stored.json.metadata.resourceVersion, rv);
    assert.deepEqual(stored.json, live);
  });

  await t.test('no watch event came for any of them; a real change still makes one', async () => {
    const r = await http.patch(`${ST}/noop`, { metadata: { labels: { a: '2' } } }, MERGE);
    assert.equal(r.status, 200, r.text);
    assert.notEqual(r.json.metadata.resourceVersion, rv);
    // Every event after the revision of the first beat: any write above would be one.
    const watch = await http.get(`${ST}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
    assert.equal(watch.status, 200, watch.text);
    const events = watch.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { metadata: { labels: Record<string, string> } } });
    assert.equal(events.length, 1, watch.text);
    assert.equal(events[0]?.type, 'MODIFIED');
    assert.equal(events[0]?.object.metadata.labels.a, '2');
  });
});

// The answers to no-ops are the cached object's bytes, encoded once (pkg/server/httpx
// encoded-objects.ts). The shared-copy check that `npm test` turns on hands every update a
// fresh copy, which would never reuse an encoding, so this server runs without it: a stream of
// beats, each second's first one a write and the rest no-ops, must always answer the object as
// it now is, never the bytes of an earlier version.
test('answers to no-op beats follow every write, encoded once per version', { timeout: 120_000 }, async () => {
  await using kp = await startKplane({ args: ['--controllers', '-'], env: { KPLANE_TEST_VERIFY_SHARED: '0' } });
  const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const created = await http.post(ST, { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 'beating' }, spec: { cluster: 'phys' } });
  assert.equal(created.status, 201, created.text);
  let previousRv = created.json.metadata.resourceVersion as string;
  for (let second = 0; second < 5; second++) {
    const time = `2026-12-02T04:00:0${second}Z`;
    const answers = [];
    for (let beat = 0; beat < 4; beat++) {
      const r = await http.patch(`${ST}/beating/status?fieldManager=syncer`, { status: { lastSyncerHeartbeatTime: time } }, MERGE);
      assert.equal(r.status, 200, r.text);
      answers.push(r);
    }
    const [write, ...noops] = answers;
    assert.equal(write!.json.status.lastSyncerHeartbeatTime, time);
    assert.notEqual(write!.json.metadata.resourceVersion, previousRv, 'each second\'s first beat is a write');
    previousRv = write!.json.metadata.resourceVersion;
    // Content, not bytes: a write's answer is its stored bytes with the resourceVersion spliced in
    // first (pkg/storage/recent-encodings.ts), a no-op's an encoding of the cached copy.
    for (const r of noops) assert.deepEqual(r.json, write!.json, 'a no-op answers the object as the write left it');
    // A label written between beats (a spec-side write) shows in the next no-op's answer.
    const label = await http.patch(`${ST}/beating`, { metadata: { labels: { second: String(second) } } }, MERGE);
    assert.equal(label.status, 200, label.text);
    previousRv = label.json.metadata.resourceVersion;
    const after = await http.patch(`${ST}/beating/status?fieldManager=syncer`, { status: { lastSyncerHeartbeatTime: time } }, MERGE);
    assert.equal(after.status, 200, after.text);
    assert.equal(after.json.metadata.labels.second, String(second));
    assert.equal(after.json.metadata.resourceVersion, previousRv);
    const got = await http.get(`${ST}/beating`);
    assert.deepEqual(after.json, got.json);
  }
});
