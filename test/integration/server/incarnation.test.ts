// A recreated workspace does not read its predecessor's history (issue 14 item 2). Storage
// keys name a logical cluster by path, so `root:team-q` deleted and created again reuses
// the same keys; a list at an old resourceVersion (Exact), an old continue token, or a
// watch from an old revision would replay the deleted tenant's Secrets. Each must answer
// 410 Expired in the successor, on SQLite and etcd, with and without the watch cache, while
// reads at the successor's own revisions keep working.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../../framework/eventually.ts';
import { TestClient } from '../../framework/http.ts';
import { startKplane } from '../../framework/kplane.ts';
import { startEtcd } from '../storage/etcd-fixture.ts';

const SLOW = { timeoutMs: 90_000, intervalMs: 200 };
const WORKSPACES = '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces';
const SECRETS = '/clusters/root:team-q/api/v1/namespaces/default/secrets';

async function scenario(args: string[]): Promise<void> {
  await using kp = await startKplane({ args: ['--controllers', '-', ...args] });
  const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const createWorkspace = async () => {
    assert.equal((await http.post(WORKSPACES, { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'team-q' } })).status, 201);
    await eventually(async () => [(await http.get(`${WORKSPACES}/team-q`)).json?.status?.phase === 'Ready', 'not Ready'], SLOW);
  };

  await createWorkspace();
  for (const name of ['old-1', 'old-2']) {
    const r = await http.post(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name }, stringData: { k: 'predecessor' } });
    assert.equal(r.status, 201, r.text);
  }
  const page = await http.get(`${SECRETS}?limit=1`);
  const oldRV = page.json.metadata.resourceVersion as string;
  const oldToken = page.json.metadata.continue as string;
  assert.ok(oldToken);
  // Sanity: in the predecessor these reads work (the test could not fail otherwise).
  assert.equal((await http.get(`${SECRETS}?resourceVersion=${oldRV}&resourceVersionMatch=Exact`)).json.items.length, 2);

  assert.ok([200, 202].includes((await http.delete(`${WORKSPACES}/team-q`)).status));
  await eventually(async () => [(await http.get(`${WORKSPACES}/team-q`)).status === 404, 'still there'], SLOW);
  await createWorkspace();

  const exact = await http.get(`${SECRETS}?resourceVersion=${oldRV}&resourceVersionMatch=Exact`);
  assert.equal(exact.status, 410, exact.text);
  assert.equal(exact.json.reason, 'Expired');

  const cont = await http.get(`${SECRETS}?limit=1&continue=${encodeURIComponent(oldToken)}`);
  assert.equal(cont.status, 410, cont.text);
  assert.equal(cont.json.reason, 'Expired');

  const watch = await http.get(`${SECRETS}?watch=true&resourceVersion=${oldRV}&timeoutSeconds=2`);
  assert.equal(watch.status, 200, watch.text);
  const events = watch.text.trim().split('\n').map((l) => JSON.parse(l) as { type: string; object: { reason?: string; code?: number } });
  assert.equal(events.length, 1, watch.text);
  assert.equal(events[0]!.type, 'ERROR');
  assert.equal(events[0]!.object.code, 410);
  assert.doesNotMatch(watch.text, /old-1|old-2/);

  // The successor's own revisions are served: a "not older than" list, a watch from 0 and
  // from the list's revision show only what the successor has.
  const fresh = await http.post(SECRETS, { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'new-1' } });
  assert.equal(fresh.status, 201);
  const list = await http.get(`${SECRETS}?resourceVersion=0`);
  assert.equal(list.status, 200);
  assert.deepEqual(list.json.items.map((o: { metadata: { name: string } }) => o.metadata.name), ['new-1']);
  const w0 = await http.get(`${SECRETS}?watch=true&resourceVersion=0&timeoutSeconds=1`);
  assert.doesNotMatch(w0.text, /old-1|old-2|"ERROR"/);
  assert.match(w0.text, /new-1/);
  const rv = (await http.get(SECRETS)).json.metadata.resourceVersion as string;
  const wRV = await http.get(`${SECRETS}?watch=true&resourceVersion=${rv}&timeoutSeconds=1`);
  assert.equal(wRV.status, 200);
  assert.doesNotMatch(wRV.text, /"ERROR"/);
  const exactNew = await http.get(`${SECRETS}?resourceVersion=${fresh.json.metadata.resourceVersion}&resourceVersionMatch=Exact`);
  assert.equal(exactNew.status, 200, exactNew.text);
  assert.deepEqual(exactNew.json.items.map((o: { metadata: { name: string } }) => o.metadata.name), ['new-1']);
}

test('recreated workspace history: SQLite with the watch cache', { timeout: 300_000 }, () => scenario([]));
test('recreated workspace history: SQLite without the watch cache', { timeout: 300_000 }, () => scenario(['--watch-cache', 'false']));
test('recreated workspace history: etcd', { timeout: 300_000 }, async () => {
  await using etcd = await startEtcd();
  await scenario(['--storage', 'etcd', '--etcd-servers', etcd.endpoints.join(','), '--etcd-prefix', '/kplane-incarnation']);
});
