// Issue 12's walk to a running workload, with kubectl against a real kplane, a second kplane as
// the physical cluster and a real kplane-syncer process: a labelled namespace and a Placement →
// the namespace's `kcp-<hash>` twin with the locator on the physical cluster → a Deployment and
// a ConfigMap created upstream appear there (server-side applied, upstream finalizer) → the
// status the physical cluster reports reaches `kubectl get deploy` upstream → a downstream
// object the syncer did not make is never overwritten (ResourcesSynced=False) → the physical
// cluster stopped (condition, nothing upstream changes) and started again (converges) →
// deleting upstream removes the copy and releases the finalizer → unscheduling removes the
// downstream namespace and releases the upstream objects.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { NAMESPACE_LOCATOR_ANNOTATION, syncerFinalizer } from '../../apis/workload/v1alpha1/sync-contract.ts';
import { toSyncTargetKey } from '../../apis/workload/v1alpha1/synctargetkey.ts';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { type Kplane, startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { createWorkspace, kjson, SLOW } from './support.ts';
import { downstreamNamespace, freePort, setDeploymentStatus, startPhysicalCluster, syncerArgsFor, WEB_PLACEMENT } from './sync-support.ts';
import { kubeconfigForWorkspace, startSyncer, type SyncerProcess } from './syncer-support.ts';

const WS = 'root:team';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON
type Obj = any;


test('sync: a Deployment placed upstream runs downstream and reports its status back', { timeout: 900_000 }, async (t) => {
  await using kp = await startKplane();
  const port = await freePort();
  let phys: Kplane = await startPhysicalCluster(port);
  const physRoot = phys.rootDir;
  t.after(async () => {
    await phys.stop();
    rmSync(physRoot, { recursive: true, force: true });
  });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-sync-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = new Kubectl(kp.kubeconfig);
  t.after(() => rmSync(root.cacheDir, { recursive: true, force: true }));
  const team = await createWorkspace(root, kp.url, dir, 'team');
  const down = new Kubectl(phys.kubeconfig);
  t.after(() => rmSync(down.cacheDir, { recursive: true, force: true }));
  const physHttp = () => new TestClient(phys.url, phys.caPem, phys.adminToken);
  const key = toSyncTargetKey(WS, 'edge-1');
  let syncer: SyncerProcess | undefined;
  t.after(async () => {
    await syncer?.stop('SIGKILL');
  });
  let uid = '';
  let dns = '';
  const st = (): Promise<Obj> => kjson(team, ['get', 'synctarget', 'edge-1']);
  const resourcesSynced = async (): Promise<Obj> => ((await st()).status?.conditions ?? []).find((c: Obj) => c.type === 'ResourcesSynced');

  await t.test('a real syncer with its own token, --to-kubeconfig and --resources makes edge-1 Ready', async () => {
    const adminWs = kubeconfigForWorkspace(kp.kubeconfig, kp.url, WS, dir);
    // The syncer's own identity (the token in the rendered Secret): it reaches objects only
    // through its SyncTarget's syncer view, the default --sync-mode.
    syncer = startSyncer((await syncerArgsFor(adminWs, dir, 'edge-1', ['--to-kubeconfig', phys.kubeconfig, '--resources', 'deployments.apps,configmaps,secrets'])).args);
    await team.ok(['wait', '--for=condition=Ready', 'synctarget/edge-1', '--timeout=120s']);
    uid = (await st()).metadata.uid;
    dns = downstreamNamespace({ cluster: WS, name: 'edge-1', uid }, WS, 'web');
    await eventually(async () => {
      const c = await resourcesSynced();
      return [c?.status === 'True', JSON.stringify(c)];
    }, { ...SLOW, what: 'ResourcesSynced=True on edge-1' });
  });

  await t.test('the walk: namespace, Placement, Deployment → downstream in kcp-<hash> with the locator', async () => {
    await team.ok(['create', 'namespace', 'web']);
    await team.ok(['label', 'namespace', 'web', 'app=web']);
    writeFileSync(join(dir, 'placement.yaml'), WEB_PLACEMENT);
    await team.ok(['apply', '-f', join(dir, 'placement.yaml')]);
    await team.ok(['-n', 'web', 'create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await team.ok(['-n', 'web', 'create', 'configmap', 'cfg', '--from-literal=greeting=hello']);
    await eventually(async () => {
      const r = await down.run(['get', 'deployment', 'web', '-n', dns, '-o', 'json']);
      return [r.code === 0, r.stderr];
    }, { ...SLOW, what: `deployment web in ${dns} on the physical cluster` });
    const ns = await kjson(down, ['get', 'namespace', dns]);
    assert.deepEqual(JSON.parse(ns.metadata.annotations[NAMESPACE_LOCATOR_ANNOTATION]), { syncTarget: { cluster: WS, name: 'edge-1', uid }, cluster: WS, namespace: 'web' });
    assert.equal(ns.metadata.labels['internal.workload.kcp.io/cluster'], key);
    const dep = await kjson(down, ['-n', dns, 'get', 'deployment', 'web', '--show-managed-fields']);
    assert.equal(dep.spec.replicas, 2);
    assert.equal(dep.spec.template.spec.containers[0].image, 'nginx');
    assert.equal(dep.metadata.labels['internal.workload.kcp.io/cluster'], key);
    assert.ok(!Object.keys(dep.metadata.labels).some((l) => l.startsWith('state.workload.kcp.io/')), 'no placement labels downstream');
    assert.ok(dep.metadata.managedFields.some((m: Obj) => m.manager === 'kplane-syncer' && m.operation === 'Apply'), JSON.stringify(dep.metadata.managedFields));
    assert.equal(dep.metadata.ownerReferences, undefined);
    assert.equal(dep.status, undefined, 'no status goes down');
    await eventually(async () => {
      const r = await down.run(['-n', dns, 'get', 'configmap', 'cfg', '-o', 'jsonpath={.data.greeting}']);
      return [r.stdout === 'hello', r.stdout + r.stderr];
    }, { ...SLOW, what: 'the ConfigMap downstream' });
    const upDep = await kjson(team, ['-n', 'web', 'get', 'deployment', 'web']);
    assert.ok(upDep.metadata.finalizers.includes(syncerFinalizer(key)), JSON.stringify(upDep.metadata.finalizers));
    // A change upstream follows.
    await team.ok(['-n', 'web', 'scale', 'deployment', 'web', '--replicas=3']);
    await eventually(async () => {
      const d = await kjson(down, ['-n', dns, 'get', 'deployment', 'web']);
      return [d.spec.replicas === 3, String(d.spec.replicas)];
    }, { ...SLOW, what: 'replicas 3 downstream' });
    // A field the syncer set, changed downstream, is put back.
    await down.ok(['-n', dns, 'patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":7}}']);
    await eventually(async () => {
      const d = await kjson(down, ['-n', dns, 'get', 'deployment', 'web']);
      return [d.spec.replicas === 3, String(d.spec.replicas)];
    }, { ...SLOW, what: 'replicas put back to 3 downstream' });
  });

  await t.test('status up: what the physical cluster reports shows in kubectl get deploy upstream', async () => {
    await setDeploymentStatus(physHttp(), dns, 'web', 3);
    await eventually(async () => {
      const out = await team.ok(['-n', 'web', 'get', 'deploy', 'web']);
      return [/web\s+3\/3\s+3\s+3/.test(out), out];
    }, { ...SLOW, what: 'READY 3/3 upstream' });
    const up = await kjson(team, ['-n', 'web', 'get', 'deploy', 'web']);
    assert.equal(up.status.availableReplicas, 3);
    // Equal status: no further upstream writes (the resourceVersion stays).
    const rv = up.metadata.resourceVersion;
    await setDeploymentStatus(physHttp(), dns, 'web', 3);
    await team.ok(['-n', 'web', 'create', 'configmap', 'marker']);
    await eventually(async () => {
      const r = await down.run(['-n', dns, 'get', 'configmap', 'marker']);
      return [r.code === 0, r.stderr];
    }, { ...SLOW, what: 'a later object synced (the syncer has moved on)' });
    assert.equal((await kjson(team, ['-n', 'web', 'get', 'deploy', 'web'])).metadata.resourceVersion, rv);
  });

  await t.test('a downstream object the syncer did not make is never overwritten', async () => {
    await down.ok(['-n', dns, 'create', 'configmap', 'clash', '--from-literal=owner=someone-else']);
    await team.ok(['-n', 'web', 'create', 'configmap', 'clash', '--from-literal=owner=kplane']);
    await eventually(async () => {
      const c = await resourcesSynced();
      return [c?.status === 'False' && c.reason === 'DownstreamConflict', JSON.stringify(c)];
    }, { ...SLOW, what: 'ResourcesSynced=False DownstreamConflict' });
    assert.match((await resourcesSynced()).message, /configmaps root:team\/web\/clash/);
    assert.equal(await down.ok(['-n', dns, 'get', 'configmap', 'clash', '-o', 'jsonpath={.data.owner}']), 'someone-else');
    // The other object gone, the next resync of the key would sync it; the condition clears when
    // the upstream object goes away.
    await team.ok(['-n', 'web', 'delete', 'configmap', 'clash', '--wait=false']);
    await eventually(async () => {
      const c = await resourcesSynced();
      return [c?.status === 'True', JSON.stringify(c)];
    }, { ...SLOW, what: 'ResourcesSynced=True again' });
    assert.equal(await down.ok(['-n', dns, 'get', 'configmap', 'clash', '-o', 'jsonpath={.data.owner}']), 'someone-else', 'not deleted either');
  });

  await t.test('physical cluster stopped: condition, nothing upstream changes; restarted: converges', async () => {
    const before = await kjson(team, ['-n', 'web', 'get', 'deploy', 'web']);
    await phys.stop();
    await team.ok(['-n', 'web', 'create', 'configmap', 'while-away', '--from-literal=a=b']);
    await eventually(async () => {
      const c = await resourcesSynced();
      return [c?.status === 'False' && c.reason === 'PhysicalClusterUnreachable', JSON.stringify(c)];
    }, { ...SLOW, what: 'ResourcesSynced=False PhysicalClusterUnreachable' });
    const during = await kjson(team, ['-n', 'web', 'get', 'deploy', 'web']);
    assert.equal(during.metadata.resourceVersion, before.metadata.resourceVersion, 'the upstream Deployment is untouched');
    assert.equal((await kjson(team, ['get', 'namespace', 'web'])).metadata.labels[`state.workload.kcp.io/${key}`], 'Sync');
    phys = await startPhysicalCluster(port, physRoot);
    await eventually(async () => {
      const r = await down.run(['-n', dns, 'get', 'configmap', 'while-away', '-o', 'jsonpath={.data.a}']);
      return [r.stdout === 'b', r.stdout + r.stderr];
    }, { ...SLOW, what: 'the ConfigMap created meanwhile synced after the restart' });
    await eventually(async () => {
      const c = await resourcesSynced();
      return [c?.status === 'True', JSON.stringify(c)];
    }, { ...SLOW, what: 'ResourcesSynced=True after the restart' });
  });

  await t.test('deleting upstream removes the copy downstream, then the upstream object goes', async () => {
    await team.ok(['-n', 'web', 'delete', 'deployment', 'web', '--wait=false']);
    await eventually(async () => {
      const d = await down.run(['-n', dns, 'get', 'deployment', 'web']);
      const u = await team.run(['-n', 'web', 'get', 'deployment', 'web']);
      return [d.code !== 0 && u.code !== 0, `down: ${d.stdout}${d.stderr} up: ${u.stdout}${u.stderr}`];
    }, { ...SLOW, what: 'the Deployment gone on both sides' });
  });

  await t.test('unscheduling (the namespace stops matching the Placement) removes the downstream namespace', async () => {
    await team.ok(['label', 'namespace', 'web', 'app-']);
    await eventually(async () => {
      const r = await down.run(['get', 'namespace', dns]);
      return [r.code !== 0, r.stdout + r.stderr];
    }, { ...SLOW, what: `${dns} gone from the physical cluster` });
    // The scheduler asked with the deletion annotation; the syncer, after deleting downstream,
    // released what it held upstream: no finalizer, state label or annotation is left.
    await eventually(async () => {
      const held = [];
      for (const kind of ['configmap/cfg', 'configmap/marker', 'configmap/while-away']) {
        const o = await kjson(team, ['-n', 'web', 'get', kind]);
        if (o.metadata.finalizers?.length || Object.keys(o.metadata.labels ?? {}).some((l) => l.startsWith('state.workload.kcp.io/')) || Object.keys(o.metadata.annotations ?? {}).some((a) => a.startsWith('deletion.internal.workload.kcp.io/'))) held.push(`${kind} ${JSON.stringify(o.metadata)}`);
      }
      const ns = await kjson(team, ['get', 'namespace', 'web']);
      if (Object.keys(ns.metadata.labels ?? {}).some((l) => l.startsWith('state.workload.kcp.io/'))) held.push(`namespace ${JSON.stringify(ns.metadata.labels)}`);
      return [held.length === 0, held.join('\n')];
    }, { ...SLOW, what: 'the upstream objects released' });
    assert.equal(syncer?.child.exitCode, null, 'the syncer is still running');
  });
});
