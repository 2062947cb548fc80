// The automatic path, without the reconciler: the syncer's identity and token are created
// in a workspace, the manifests are applied to a second kplane standing in for the physical
// cluster (pkg/syncer/deploy), the fakecluster runner runs the syncer the Deployment
// describes, heartbeats flow, a killed syncer stops them and its Deployment becomes
// unavailable, a restarted one resumes, and deleting the manifests stops the process.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ClusterClient, type SyncTarget } from '../../pkg/client/index.ts';
import { applySyncerManifests, deleteSyncerManifests, syncerDeploymentAvailable } from '../../pkg/syncer/deploy/index.ts';
import { renderSyncerManifests, syncerResourceName } from '../../pkg/syncer/manifests/index.ts';
import { ensureSyncerIdentity, requestToken } from '../../pkg/syncer/prepare.ts';
import { eventually } from '../framework/eventually.ts';
import { startKplane } from '../framework/kplane.ts';
import { FakeClusterRunner } from '../fakecluster/runner.ts';
import { SLOW } from './support.ts';

test('syncer on a stand-in physical cluster, run by the fakecluster runner', { timeout: 600_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--heartbeat-threshold', '5s'] });
  await using phys = await startKplane();
  const kplane = ClusterClient.fromFile(kp.kubeconfig, { component: 'e2e' });
  t.after(() => kplane.close());
  const physKubeconfig = readFileSync(phys.kubeconfig, 'utf8');

  const st: SyncTarget = await kplane.cluster('root').syncTargets().create({
    apiVersion: 'workload.kcp.io/v1alpha1',
    kind: 'SyncTarget',
    metadata: { name: 'edge-auto' },
    spec: { cluster: 'edge-auto', unschedulable: false },
  });
  const sa = await ensureSyncerIdentity(kplane, 'root', st);
  const token = await requestToken(kplane, sa);
  const objects = renderSyncerManifests({ syncTarget: st, workspace: 'root', kplaneURL: kp.url, caPem: kp.caPem, token, image: 'kplane-syncer:e2e', heartbeatPeriod: '1s', capacity: { cpu: '4' } });
  const id = syncerResourceName('edge-auto', st.metadata.uid!);
  const heartbeat = async () => (await kplane.cluster('root').syncTargets().get('edge-auto')).status?.lastSyncerHeartbeatTime;
  const available = async () => (await syncerDeploymentAvailable(physKubeconfig, objects)).available;

  await using runner = await FakeClusterRunner.start({ kubeconfig: phys.kubeconfig });

  await t.test('applied manifests → the runner starts the syncer → heartbeats, Deployment available', async () => {
    await applySyncerManifests(physKubeconfig, objects);
    await eventually(async () => [await available(), 'Deployment not available yet'], { ...SLOW, what: 'the syncer Deployment to be available' });
    const first = await heartbeat();
    await eventually(async () => {
      const now = await heartbeat();
      return [now !== undefined && (first === undefined || now > first), `heartbeat ${now}`];
    }, { ...SLOW, what: 'heartbeats to flow' });
    const running = runner.get(id, id)!;
    assert.ok(running.args.some((a) => a.startsWith('--from-kubeconfig=') && !a.includes('/etc/kplane-syncer')), 'the mount path is rewritten to a local file');
    assert.deepEqual((await kplane.cluster('root').syncTargets().get('edge-auto')).status?.capacity, { cpu: '4' });
  });

  await t.test('a killed syncer stops heartbeating and its Deployment turns unavailable', async () => {
    await runner.kill(id, id);
    await eventually(async () => [!(await available()), 'still available'], { ...SLOW, what: 'the Deployment to be unavailable' });
    const frozen = await heartbeat();
    await new Promise((r) => setTimeout(r, 2500));
    assert.equal(await heartbeat(), frozen, 'no heartbeat while the syncer is down');
  });

  await t.test('restarted, it heartbeats again', async () => {
    const before = await heartbeat();
    runner.release(id, id);
    await eventually(async () => {
      const now = await heartbeat();
      return [now !== undefined && now > before!, `heartbeat ${now}`];
    }, { ...SLOW, what: 'heartbeats to resume' });
    await eventually(async () => [await available(), 'not available'], { ...SLOW, what: 'available again' });
    assert.equal(runner.get(id, id)!.starts, 2);
  });

  await t.test('scaled to 0 the syncer stops; re-applied (1 replica) it runs again', async () => {
    const physClient = ClusterClient.fromFile(phys.kubeconfig, { component: 'e2e' });
    try {
      const running = runner.get(id, id)!;
      await physClient.cluster('root').deployments(id).patch(id, 'merge', { spec: { replicas: 0 } });
      await eventually(() => [runner.removed.includes(running) && running.child === undefined, 'still running'], { ...SLOW, what: 'the syncer to stop' });
      assert.equal(running.exits.at(-1), 0, 'stopped with SIGTERM, cleanly');
      await applySyncerManifests(physKubeconfig, objects);
      await eventually(async () => [runner.get(id, id)?.child !== undefined && (await available()), 'not running'], { ...SLOW, what: 'the syncer to run again' });
    } finally {
      physClient.close();
    }
  });

  await t.test('deleting the manifests stops the syncer (exit 0, SIGTERM)', async () => {
    const running = runner.get(id, id)!;
    await deleteSyncerManifests(physKubeconfig, objects);
    await eventually(() => [runner.removed.includes(running) && running.child === undefined, 'still running'], { ...SLOW, what: 'the syncer to stop' });
    assert.equal(running.exits.at(-1), 0);
  });
});
