// 410 Expired for resource versions older than the compacted history. The compactor keeps
// five minutes of history, too long to wait for in a test, so the test stops kplane, compacts
// its SQLite database directly up to the latest revision, and starts kplane again on it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { openSqliteStorage } from '../../../pkg/storage/sqlite/index.ts';
import { TestClient } from '../../framework/http.ts';
import { startKplane } from '../../framework/kplane.ts';
import { Kubectl } from '../../framework/kubectl.ts';

const ST = '/clusters/root/apis/workload.kcp.io/v1alpha1/synctargets';

function syncTarget(name: string) {
  return { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name }, spec: { cluster: 'phys' } };
}

test('compacted resource versions answer 410 Expired', { timeout: 300_000 }, async (t) => {
  const rootDir = mkdtempSync(join(tmpdir(), 'kplane-expired-'));
  t.after(() => rmSync(rootDir, { recursive: true, force: true }));

  let oldRV: string;
  let oldToken: string;
  {
    await using kp = await startKplane({ rootDir, args: ['--controllers', '-'] });
    const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
    for (const name of ['a', 'b', 'c']) assert.equal((await http.post(ST, syncTarget(name))).status, 201);
    const page = await http.get(`${ST}?limit=1`);
    oldRV = page.json.metadata.resourceVersion;
    oldToken = page.json.metadata.continue;
    assert.ok(oldToken);
    for (let i = 0; i < 3; i++) {
      const r = await http.patch(`${ST}/a`, { metadata: { labels: { n: String(i) } } }, 'application/merge-patch+json');
      assert.equal(r.status, 200, r.text);
    }
  }

  const storage = await openSqliteStorage({ dir: rootDir });
  await storage.compact(await storage.currentRevision());
  await storage.close();

  await using kp = await startKplane({ rootDir, args: ['--controllers', '-'] });
  const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const revision = async () => (await http.get(ST)).json.metadata.resourceVersion as string;
  const before = await revision();

  await t.test('watch from a compacted resourceVersion: 200 with one ERROR event (410 Expired)', async () => {
    const r = await http.get(`${ST}?watch=true&resourceVersion=${oldRV}`);
    assert.equal(r.status, 200, r.text);
    const events = r.text.trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(events.length, 1, r.text);
    assert.equal(events[0].type, 'ERROR');
    assert.equal(events[0].object.kind, 'Status');
    assert.equal(events[0].object.reason, 'Expired');
    assert.equal(events[0].object.code, 410);
  });

  await t.test('list with a continue token of a compacted revision: 410 Expired', async () => {
    const r = await http.get(`${ST}?limit=1&continue=${encodeURIComponent(oldToken)}`);
    assert.equal(r.status, 410, r.text);
    assert.equal(r.json.kind, 'Status');
    assert.equal(r.json.reason, 'Expired');
  });

  await t.test('list at an exact compacted resourceVersion: 410 Expired', async () => {
    const r = await http.get(`${ST}?resourceVersion=${oldRV}&resourceVersionMatch=Exact`);
    assert.equal(r.status, 410, r.text);
    assert.equal(r.json.reason, 'Expired');
  });

  await t.test('a list resourceVersion is always watchable (no 410 right after a list)', async () => {
    const list = await http.get(ST);
    const r = await http.get(`${ST}?watch=true&resourceVersion=${list.json.metadata.resourceVersion}&timeoutSeconds=1`);
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.text, /"ERROR"/);
  });

  await t.test('kubectl wait still works after compaction (relist, no loop)', async () => {
    const kubectl = new Kubectl(kp.kubeconfig);
    try {
      const out = await kubectl.ok(['wait', '--for=jsonpath={.spec.cluster}=phys', 'st/a', '--timeout=60s']);
      assert.match(out, /condition met/);
    } finally {
      rmSync(kubectl.cacheDir, { recursive: true, force: true });
    }
  });

  await t.test('nothing was stored by the failing requests', async () => {
    assert.equal(await revision(), before);
  });
});
