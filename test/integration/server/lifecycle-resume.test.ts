// Cleanup and initialisation survive a crash (issue 14 item 1): kplane is killed with
// SIGKILL while a workspace's and a namespace's contents are half removed, and while a
// workspace is Initializing; the next start finishes both. The crash point is deterministic:
// KPLANE_TEST_PAUSE (cmd/kplane/test-hooks.ts) stops the background work right after the
// first object a cleanup removed, or before an initialisation, and logs that it did.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../../framework/eventually.ts';
import { TestClient } from '../../framework/http.ts';
import { type Kplane, startKplane } from '../../framework/kplane.ts';

const SLOW = { timeoutMs: 90_000, intervalMs: 200 };
const WORKSPACES = '/clusters/root/apis/tenancy.kcp.io/v1alpha1/workspaces';

function pausedAt(kp: Kplane, point: string): number {
  return kp.logs.filter((l) => l.message === 'lifecycle paused for a test' && l.point === point).length;
}

/** Objects of every listed resource whose logical cluster is `cluster` or below it (admin wildcard reads). */
async function leftovers(http: TestClient, cluster: string, namespace?: string): Promise<string[]> {
  const out: string[] = [];
  for (const path of ['/clusters/*/api/v1/configmaps', '/clusters/*/api/v1/secrets', '/clusters/*/api/v1/namespaces', '/clusters/*/apis/tenancy.kcp.io/v1alpha1/workspaces']) {
    const r = await http.get(path);
    assert.equal(r.status, 200, r.text);
    for (const o of r.json.items as { metadata: { name: string; namespace?: string; annotations?: Record<string, string> } }[]) {
      const c = o.metadata.annotations?.['kcp.io/cluster'] ?? '';
      const inCluster = c === cluster || c.startsWith(`${cluster}:`);
      if (inCluster && (namespace === undefined || o.metadata.namespace === namespace)) out.push(`${path} ${c}/${o.metadata.namespace ?? ''}/${o.metadata.name}`);
    }
  }
  return out;
}

test('pending cleanups and initialisations finish after a crash', { timeout: 600_000 }, async (t) => {
  const rootDir = mkdtempSync(join(tmpdir(), 'kplane-resume-'));
  t.after(() => rmSync(rootDir, { recursive: true, force: true }));
  const args = ['--controllers', '-'];

  // Run 1: cleanups stop after their first removal; then SIGKILL.
  {
    await using kp = await startKplane({ rootDir, args, env: { KPLANE_TEST_PAUSE: 'cleanup' } });
    const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
    assert.equal((await http.post(WORKSPACES, { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'crash' } })).status, 201);
    await eventually(async () => [(await http.get(`${WORKSPACES}/crash`)).json?.status?.phase === 'Ready', 'not Ready'], SLOW);
    for (let i = 0; i < 4; i++) {
      const r = await http.post('/clusters/root:crash/api/v1/namespaces/default/configmaps', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${i}` } });
      assert.equal(r.status, 201, r.text);
    }
    assert.equal((await http.post('/clusters/root/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'crash-ns' } })).status, 201);
    for (let i = 0; i < 4; i++) {
      const r = await http.post('/clusters/root/api/v1/namespaces/crash-ns/secrets', { apiVersion: 'v1', kind: 'Secret', metadata: { name: `s${i}` } });
      assert.equal(r.status, 201, r.text);
    }
    assert.ok([200, 202].includes((await http.delete(`${WORKSPACES}/crash`)).status));
    assert.ok([200, 202].includes((await http.delete('/clusters/root/api/v1/namespaces/crash-ns')).status));
    await eventually(() => [pausedAt(kp, 'cleanup') === 2, `paused ${pausedAt(kp, 'cleanup')} times`], SLOW);
    // Mid-way: the objects still stand, marked, and part of their contents remain.
    const ws = await http.get(`${WORKSPACES}/crash`);
    assert.ok(ws.json.metadata.deletionTimestamp);
    assert.ok(ws.json.metadata.finalizers.includes('tenancy.kcp.io/workspace-contents'), JSON.stringify(ws.json.metadata));
    assert.equal((await http.get('/clusters/root/api/v1/namespaces/crash-ns')).json.status.phase, 'Terminating');
    assert.ok((await leftovers(http, 'root:crash')).length > 0);
    assert.ok((await leftovers(http, 'root', 'crash-ns')).length > 0);
    await kp.stop('SIGKILL');
  }

  // Run 2: the cleanups resume on start; an initialisation stops before it starts; SIGKILL.
  {
    await using kp = await startKplane({ rootDir, args, env: { KPLANE_TEST_PAUSE: 'initialization' } });
    const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
    await t.test('a half-done cleanup finishes after restart', async () => {
      await eventually(async () => {
        const ws = (await http.get(`${WORKSPACES}/crash`)).status;
        const ns = (await http.get('/clusters/root/api/v1/namespaces/crash-ns')).status;
        const left = [...(await leftovers(http, 'root:crash')), ...(await leftovers(http, 'root', 'crash-ns'))];
        return [ws === 404 && ns === 404 && left.length === 0, `workspace ${ws}, namespace ${ns}, left ${left.join(', ')}`];
      }, SLOW);
    });
    assert.equal((await http.post(WORKSPACES, { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: 'stuck' } })).status, 201);
    await eventually(() => [pausedAt(kp, 'initialization') === 1, 'not paused yet'], SLOW);
    assert.equal((await http.get(`${WORKSPACES}/stuck`)).json.status.phase, 'Initializing');
    await kp.stop('SIGKILL');
  }

  // Run 3: the workspace left Initializing is initialised on start.
  {
    await using kp = await startKplane({ rootDir, args });
    const http = new TestClient(kp.url, kp.caPem, kp.adminToken);
    await t.test('a workspace left Initializing becomes Ready after restart', async () => {
      await eventually(async () => [(await http.get(`${WORKSPACES}/stuck`)).json?.status?.phase === 'Ready', 'not Ready'], SLOW);
      assert.equal((await http.get('/clusters/root:stuck/api/v1/namespaces/default')).status, 200);
      assert.equal((await http.get('/clusters/root:stuck/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/workspace-admin')).status, 200);
    });
  }
});
