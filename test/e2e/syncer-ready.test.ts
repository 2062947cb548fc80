// The "done when", with the SyncTarget reconciler running in kplane:
//  automatic: SyncTarget with kubeconfigSecretRef → the reconciler applies the syncer to a
//    second kplane standing in for the physical cluster → the fakecluster runner runs it →
//    `kubectl wait --for=condition=Ready` → syncer killed → Ready=False within threshold+1s
//    of its last beat → restarted → Ready=True → SyncTarget deleted → everything removed
//    from both sides;
//  manual: `kplane workload sync -o` + a syncer started by hand → Ready.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { FakeClusterRunner } from '../fakecluster/runner.ts';
import { syncerResourceName } from '../../pkg/syncer/manifests/names.ts';
import { createWorkspace, SLOW } from './support.ts';
import { kubeconfigForWorkspace, kubeconfigFromManifests, parseManifests, runKplane, startSyncer, syncerArgsFromManifests } from './syncer-support.ts';

const THRESHOLD_S = 4;
const ST = '/apis/workload.kcp.io/v1alpha1/synctargets';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON
type Obj = any;
const cond = (st: Obj, type: string) => (st?.status?.conditions as { type: string; status: string; reason?: string; lastTransitionTime?: string }[] | undefined)?.find((c) => c.type === type);

test('syncer + reconciler: Ready end to end', { timeout: 600_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--heartbeat-threshold', `${THRESHOLD_S}s`] });
  await using phys = await startKplane();
  const dir = mkdtempSync(join(tmpdir(), 'kplane-syncer-ready-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = new Kubectl(kp.kubeconfig);
  t.after(() => rmSync(root.cacheDir, { recursive: true, force: true }));
  const team = await createWorkspace(root, kp.url, dir, 'team');
  const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const physAdmin = new TestClient(phys.url, phys.caPem, phys.adminToken);
  const getST = async (name: string): Promise<Obj> => (await admin.get(`/clusters/root:team${ST}/${name}`)).json;
  await using runner = await FakeClusterRunner.start({ kubeconfig: phys.kubeconfig });
  /**
   * `kubectl wait` for Ready with its own 90 s (the process is given longer, so the wait's
   * timeout is the one that counts); on failure the error carries what would explain it: the
   * target's conditions and kplane's log lines about it.
   */
  const waitReady = async (name: string): Promise<void> => {
    const r = await team.run(['wait', '--for=condition=Ready', `synctarget/${name}`, '--timeout=90s'], { timeoutMs: 120_000 });
    if (r.code === 0) return;
    const st = await getST(name);
    const lines = kp.logs.filter((l) => JSON.stringify(l).includes(name)).slice(-30).map((l) => JSON.stringify(l));
    assert.fail(`${name} not Ready within 90 s (kubectl ${r.code}: ${r.stderr.trim()}); status: ${JSON.stringify(st?.status)}\nkplane log:\n${lines.join('\n')}`);
  };

  await t.test('automatic: applied by the reconciler, run by the runner, Ready / not Ready / Ready, then removed', async () => {
    await team.ok(['create', 'secret', 'generic', 'phys-kubeconfig', '-n', 'default', `--from-file=kubeconfig=${phys.kubeconfig}`]);
    writeFileSync(
      join(dir, 'auto.yaml'),
      [
        'apiVersion: workload.kcp.io/v1alpha1', 'kind: SyncTarget', 'metadata:', '  name: edge-auto', 'spec:', '  cluster: phys-1',
        '  cells:', '    region: eu', '  kubeconfigSecretRef:', '    namespace: default', '    name: phys-kubeconfig', '  syncer:', '    heartbeatPeriod: 1s',
      ].join('\n') + '\n',
    );
    await team.ok(['create', '-f', join(dir, 'auto.yaml')]);
    await waitReady('edge-auto');
    const st = await getST('edge-auto');
    assert.equal(cond(st, 'SyncerDeployed')?.status, 'True');
    const id = syncerResourceName('edge-auto', st.metadata.uid);
    assert.ok(runner.get(id, id)?.child, 'the runner runs the syncer');

    await runner.kill(id, id);
    // Ready drops at once because the runner reports the Deployment unavailable (SyncerDeployed);
    // the heartbeat verdict follows once the last beat is older than the threshold.
    await eventually(async () => {
      const now = await getST('edge-auto');
      return [cond(now, 'Ready')?.status === 'False' && cond(now, 'HeartbeatHealthy')?.status === 'False', JSON.stringify(now.status.conditions)];
    }, { ...SLOW, what: 'Ready=False and HeartbeatHealthy=False after the kill' });
    const down = await getST('edge-auto');
    const lastBeat = Date.parse(down.status.lastSyncerHeartbeatTime);
    const flipped = Date.parse(cond(down, 'HeartbeatHealthy')!.lastTransitionTime!);
    // Both times are server-recorded and truncated to seconds (±1 s). The target is
    // threshold + 1 s; the hard bound is looser so that a busy CI machine does not make this
    // flaky, and the measured delay is reported for the record.
    const delayS = (flipped - lastBeat) / 1000;
    t.diagnostic(`HeartbeatHealthy=False ${delayS}s after the last beat (threshold ${THRESHOLD_S}s)`);
    assert.ok(delayS >= THRESHOLD_S - 1, `not before the threshold: ${delayS}s`);
    assert.ok(delayS <= THRESHOLD_S + 10, `soon after the threshold: ${delayS}s`);
    assert.equal(cond(down, 'HeartbeatHealthy')?.reason, 'ErrorHeartbeat');

    runner.release(id, id);
    await waitReady('edge-auto');

    await team.ok(['delete', 'synctarget', 'edge-auto', '--timeout=90s']);
    assert.notEqual((await team.run(['get', 'synctarget', 'edge-auto'])).code, 0);
    for (const path of [
      `/clusters/root/apis/apps/v1/namespaces/${id}/deployments/${id}`,
      `/clusters/root/api/v1/namespaces/${id}/secrets/${id}`,
      `/clusters/root/apis/rbac.authorization.k8s.io/v1/clusterroles/${id}`,
      `/clusters/root/api/v1/namespaces/${id}`,
    ]) {
      assert.equal((await physAdmin.get(path)).status, 404, `${path} removed from the physical cluster`);
    }
    for (const path of [`/clusters/root:team/api/v1/namespaces/default/serviceaccounts/${id}`, `/clusters/root:team/apis/rbac.authorization.k8s.io/v1/clusterroles/${id}`]) {
      assert.equal((await admin.get(path)).status, 404, `${path} removed from the workspace`);
    }
    await eventually(() => [runner.get(id, id) === undefined && runner.removed.every((s) => s.child === undefined), 'syncer still running'], { ...SLOW, what: 'the runner to stop the syncer' });
  });

  await t.test('manual: workload sync -o, a syncer started by hand → Ready', async () => {
    const kubeconfig = kubeconfigForWorkspace(kp.kubeconfig, kp.url, 'root:team', dir);
    const out = join(dir, 'manual.yaml');
    const r = await runKplane(['workload', 'sync', 'edge-manual', '--syncer-image', 'kplane-syncer:e2e', '--heartbeat-period', '1s', '-o', out], { KUBECONFIG: kubeconfig });
    assert.equal(r.code, 0, r.stderr);
    await eventually(async () => [cond(await getST('edge-manual'), 'SyncerDeployed')?.reason === 'AwaitingManualDeployment', JSON.stringify((await getST('edge-manual'))?.status?.conditions)], { ...SLOW, what: 'AwaitingManualDeployment' });
    const manifests = parseManifests(readFileSync(out, 'utf8'));
    const syncerKubeconfig = join(dir, 'manual.kubeconfig');
    writeFileSync(syncerKubeconfig, kubeconfigFromManifests(manifests));
    await using syncer = startSyncer(syncerArgsFromManifests(manifests, syncerKubeconfig));
    await waitReady('edge-manual');
    assert.equal(cond(await getST('edge-manual'), 'SyncerDeployed')?.status, 'True');
    assert.equal(await syncer.stop(), 0);
  });
});
