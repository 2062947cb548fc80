// kplane-syncer end to end, the manual path: `kplane workload sync -o` in a workspace, a
// syncer started by hand from the generated kubeconfig heartbeats (capacity reported);
// its token reaches only its own SyncTarget; uid mismatch is refused; SIGTERM exits 0;
// 401/403/404 are reported clearly and not hammered.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { SLOW, waitWorkspaceReady, workspaceYAML } from './support.ts';
import { kubeconfigForWorkspace, kubeconfigFromManifests, parseManifests, runKplane, type SyncerProcess, startSyncer, syncerArgsFromManifests, tokenOf } from './syncer-support.ts';

/** The one failure line matching `re` announces a pause of at least 10 s before the next try (retryInMs). */
function assertSlowRetry(syncer: SyncerProcess, re: RegExp): void {
  const lines = syncer.logs.filter((l): l is Record<string, unknown> => typeof l === 'object' && re.test(String(l.message)));
  assert.equal(lines.length, 1, `one failure, then a pause: ${syncer.stderr().slice(-500)}`);
  const pause = Number(lines[0]!.retryInMs);
  assert.ok(pause >= 10_000, `not retried within seconds: the next try comes after ${pause} ms`);
}

const ST = '/apis/workload.kcp.io/v1alpha1/synctargets';

test('kplane-syncer: manual path, scoping, refusal, stop, backoff', { timeout: 600_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--heartbeat-threshold', '5s'] });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-syncer-e2e-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = new Kubectl(kp.kubeconfig);
  t.after(() => rmSync(root.cacheDir, { recursive: true, force: true }));
  for (const ws of ['team-a', 'team-b']) {
    writeFileSync(join(dir, `${ws}.yaml`), workspaceYAML(ws));
    await root.ok(['create', '-f', join(dir, `${ws}.yaml`)]);
  }
  for (const ws of ['team-a', 'team-b']) await waitWorkspaceReady(root, ws);
  const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const teamAConfig = kubeconfigForWorkspace(kp.kubeconfig, kp.url, 'root:team-a', dir);
  const heartbeatOf = async (name: string, ws = 'root:team-a') => (await admin.get(`/clusters/${ws}${ST}/${name}`)).json?.status?.lastSyncerHeartbeatTime as string | undefined;

  // `kplane workload sync`, falling back to the local signing key only if this kplane does
  // not serve TokenRequest (reported as a diagnostic, so a regression is visible).
  const workloadSync = async (name: string, out: string, extra: string[] = []) => {
    const args = ['workload', 'sync', name, '--syncer-image', 'kplane-syncer:e2e', '--heartbeat-period', '1s', '-o', out, ...extra];
    let r = await runKplane(args, { KUBECONFIG: teamAConfig });
    if (r.code !== 0 && /does not serve TokenRequest/.test(r.stderr)) {
      t.diagnostic(`TokenRequest unavailable, used --service-account-key-file: ${r.stderr.trim()}`);
      r = await runKplane([...args, '--service-account-key-file', join(kp.rootDir, 'sa.key')], { KUBECONFIG: teamAConfig });
    }
    assert.equal(r.code, 0, r.stderr);
    return parseManifests(readFileSync(out, 'utf8'));
  };

  const manifests = await workloadSync('edge-1', join(dir, 'edge-1.yaml'), ['--capacity', 'cpu=8,memory=32Gi']);
  const syncerKubeconfig = join(dir, 'edge-1.kubeconfig');
  writeFileSync(syncerKubeconfig, kubeconfigFromManifests(manifests));
  const syncerToken = tokenOf(readFileSync(syncerKubeconfig, 'utf8'));
  const args = syncerArgsFromManifests(manifests, syncerKubeconfig);

  await t.test('workload sync created the SyncTarget (spec.cluster defaults to the name) and wrote the manifests', async () => {
    const st = (await admin.get(`/clusters/root:team-a${ST}/edge-1`)).json;
    assert.equal(st.spec.cluster, 'edge-1');
    assert.deepEqual(manifests.map((m) => m.kind), ['Namespace', 'ServiceAccount', 'ClusterRole', 'ClusterRoleBinding', 'Secret', 'Deployment']);
    assert.ok(args.includes(`--sync-target-uid=${st.metadata.uid}`));
    assert.ok(args.includes('--from-cluster=root:team-a'));
    // The kubeconfig points at kplane itself, without a /clusters path.
    assert.match(readFileSync(syncerKubeconfig, 'utf8'), new RegExp(`server: ${kp.url}\\n`));
  });

  await t.test('a syncer started by hand heartbeats and reports capacity; SIGTERM exits 0', async () => {
    await using syncer = startSyncer(args);
    let first: string | undefined;
    await eventually(async () => {
      first = await heartbeatOf('edge-1');
      return [first !== undefined, `heartbeat=${first} logs=${syncer.stderr().slice(-500)}`];
    }, { ...SLOW, what: 'a first heartbeat' });
    await eventually(async () => {
      const now = await heartbeatOf('edge-1');
      return [now !== undefined && now > first!, `heartbeat still ${now}`];
    }, { ...SLOW, what: 'the heartbeat to advance' });
    const st = (await admin.get(`/clusters/root:team-a${ST}/edge-1`)).json;
    assert.deepEqual(st.status.capacity, { cpu: '8', memory: '32Gi' });
    assert.deepEqual(st.status.allocatable, { cpu: '8', memory: '32Gi' });
    assert.equal(await syncer.stop('SIGTERM'), 0);
    assert.ok(syncer.count(/^stopped$/) === 1, syncer.stderr());
  });

  await t.test('workload cordon / drain / uncordon', async () => {
    const spec = async () => (await admin.get(`/clusters/root:team-a${ST}/edge-1`)).json.spec;
    let r = await runKplane(['workload', 'cordon', 'edge-1'], { KUBECONFIG: teamAConfig });
    assert.equal(r.stdout.trim(), 'synctarget.workload.kcp.io/edge-1 cordoned', r.stderr);
    assert.equal((await spec()).unschedulable, true);
    r = await runKplane(['workload', 'drain', 'edge-1'], { KUBECONFIG: teamAConfig });
    assert.equal(r.code, 0, r.stderr);
    assert.match((await spec()).evictAfter, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    r = await runKplane(['workload', 'uncordon', 'edge-1'], { KUBECONFIG: teamAConfig });
    assert.equal(r.code, 0, r.stderr);
    const after = await spec();
    assert.equal(after.unschedulable, false);
    assert.equal(after.evictAfter, undefined);
    r = await runKplane(['workload', 'cordon', 'no-such'], { KUBECONFIG: teamAConfig });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /not found/);
  });

  await t.test("the syncer's token reaches only its own SyncTarget", async () => {
    await admin.post(`/clusters/root:team-a${ST}`, { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 'other' }, spec: { cluster: 'other' } });
    await admin.post(`/clusters/root:team-b${ST}`, { apiVersion: 'workload.kcp.io/v1alpha1', kind: 'SyncTarget', metadata: { name: 'edge-1' }, spec: { cluster: 'edge-1' } });
    const as = admin.withToken(syncerToken);
    assert.equal((await as.get(`/clusters/root:team-a${ST}/edge-1`)).status, 200);
    const beat = [{ op: 'add', path: '/status/lastSyncerHeartbeatTime', value: '2026-01-01T00:00:00Z' }];
    assert.equal((await as.patch(`/clusters/root:team-a${ST}/edge-1/status`, beat, 'application/json-patch+json')).status, 200);
    assert.equal((await as.get(`/clusters/root:team-a${ST}/other`)).status, 403);
    assert.equal((await as.patch(`/clusters/root:team-a${ST}/other/status`, beat, 'application/json-patch+json')).status, 403);
    assert.equal((await as.get(`/clusters/root:team-a/api/v1/namespaces/default/secrets`)).status, 403);
    // Spec edits of its own SyncTarget are not granted either.
    assert.equal((await as.patch(`/clusters/root:team-a${ST}/edge-1`, { spec: { unschedulable: true } }, 'application/merge-patch+json')).status, 403);
    const otherWs = await as.get(`/clusters/root:team-b${ST}/edge-1`);
    assert.ok([401, 403].includes(otherWs.status), `another workspace answered ${otherWs.status}`);
  });

  await t.test('a uid mismatch is refused with a clear message and exit code 1', async () => {
    await using syncer = startSyncer([...args.filter((a) => !a.startsWith('--sync-target-uid=')), '--sync-target-uid=00000000-0000-4000-8000-000000000000']);
    assert.equal(await syncer.exited, 1);
    assert.match(syncer.stderr(), /another SyncTarget of the same name/);
  });

  await t.test('401: a bad token is reported clearly and retried slowly', async () => {
    const bad = join(dir, 'bad.kubeconfig');
    writeFileSync(bad, readFileSync(syncerKubeconfig, 'utf8').replace(/token: \S+/, 'token: not-a-valid-token'));
    await using syncer = startSyncer(args.map((a) => (a.startsWith('--from-kubeconfig=') ? `--from-kubeconfig=${bad}` : a)));
    await eventually(() => [syncer.count(/401/) >= 1, syncer.stderr().slice(-300)], { ...SLOW, what: 'a 401 log line' });
    // The syncer states the pause it took with the failure: observe that, rather than waiting
    // a few seconds to see nothing happen.
    assertSlowRetry(syncer, /401/);
    assert.equal(await syncer.stop(), 0);
  });

  await t.test('403: another SyncTarget is reported clearly and retried slowly', async () => {
    await using syncer = startSyncer(args.filter((a) => !a.startsWith('--sync-target-uid=')).map((a) => (a === '--sync-target-name=edge-1' ? '--sync-target-name=other' : a)));
    await eventually(() => [syncer.count(/403/) >= 1, syncer.stderr().slice(-300)], { ...SLOW, what: 'a 403 log line' });
    assertSlowRetry(syncer, /403/);
    assert.equal(await syncer.stop(), 0);
  });

  await t.test('a SyncTarget deleted under a running syncer: reported (404, or 401 once its identity is revoked), not hammered', async () => {
    await using syncer = startSyncer(args);
    await eventually(() => [syncer.count(/SyncTarget found/) === 1, syncer.stderr().slice(-300)], { ...SLOW, what: 'the syncer to start' });
    // 202 when the SyncTarget reconciler holds its finalizer; it then also deletes the
    // syncer's ServiceAccount, which revokes the token (401) — either way the syncer must
    // say so clearly and back off.
    assert.ok([200, 202].includes((await admin.delete(`/clusters/root:team-a${ST}/edge-1`)).status));
    const gone = /\((401|404)\)/;
    await eventually(() => [syncer.count(gone) >= 1, syncer.stderr().slice(-500)], { ...SLOW, what: 'a 401/404 log line' });
    assertSlowRetry(syncer, gone);
    assert.equal(await syncer.stop(), 0);
  });
});
