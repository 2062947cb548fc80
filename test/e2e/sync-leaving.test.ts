// Leaving a SyncTarget, as the sync contract has it, with the test playing kplane's scheduling
// controllers (the upstream kplane runs none of them, so nothing relabels behind the test's back):
// it labels a namespace and its objects `state.workload.kcp.io/<key>`, then asks them to leave
// with `deletion.internal.workload.kcp.io/<key>` → the real syncer deletes the downstream
// namespace and copies, then drops finalizer, label and annotation upstream. Also: only labelled
// objects go down (an unlabelled Secret stays home), and a downstream namespace whose upstream
// namespace is no longer placed is collected when the syncer starts. The syncer uses its own token
// through its SyncTarget's syncer view.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { deletionAnnotation, syncerFinalizer, syncerViewPath } from '../../apis/workload/v1alpha1/sync-contract.ts';
import { stateLabelKey, toSyncTargetKey } from '../../apis/workload/v1alpha1/synctargetkey.ts';
import { eventually } from '../framework/eventually.ts';
import { startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { createWorkspace, kjson, SLOW } from './support.ts';
import { downstreamNamespace, syncerArgsFor } from './sync-support.ts';
import { kubeconfigForWorkspace, startSyncer, type SyncerProcess, tokenOf } from './syncer-support.ts';
import { TestClient } from '../framework/http.ts';

const WS = 'root:team';
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON
type Obj = any;

test('sync: objects and namespaces leave a SyncTarget through the deletion annotation', { timeout: 600_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--controllers', 'kplane-synctarget,kplane-synctarget-heartbeat'] });
  await using phys = await startKplane({ args: ['--controllers', '-'] });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-sync-leaving-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = new Kubectl(kp.kubeconfig);
  t.after(() => rmSync(root.cacheDir, { recursive: true, force: true }));
  const team = await createWorkspace(root, kp.url, dir, 'team');
  const down = new Kubectl(phys.kubeconfig);
  t.after(() => rmSync(down.cacheDir, { recursive: true, force: true }));
  const key = toSyncTargetKey(WS, 'edge-1');
  const label = stateLabelKey(key);
  const annotation = deletionAnnotation(key);
  const adminWs = kubeconfigForWorkspace(kp.kubeconfig, kp.url, WS, dir);
  // The syncer's own identity, through its SyncTarget's syncer view (the default --sync-mode).
  const { args, kubeconfig: syncerKubeconfig } = await syncerArgsFor(adminWs, dir, 'edge-1', ['--to-kubeconfig', phys.kubeconfig, '--resources', 'configmaps,secrets']);
  let syncer: SyncerProcess = startSyncer(args);
  t.after(async () => {
    await syncer.stop('SIGKILL');
  });
  await team.ok(['wait', '--for=condition=Ready', 'synctarget/edge-1', '--timeout=120s']);
  const uid = (await kjson(team, ['get', 'synctarget', 'edge-1'])).metadata.uid as string;
  const dns = downstreamNamespace({ cluster: WS, name: 'edge-1', uid }, WS, 'web');
  const gone = async (args: string[]) => (await down.run(args)).code !== 0;

  await t.test('labelled objects go down, an unlabelled Secret does not', async () => {
    await team.ok(['create', 'namespace', 'web']);
    await team.ok(['-n', 'web', 'create', 'configmap', 'cfg', '--from-literal=a=b']);
    await team.ok(['-n', 'web', 'create', 'secret', 'generic', 'creds', '--from-literal=password=s3cret']);
    await team.ok(['-n', 'web', 'create', 'secret', 'generic', 'private', '--from-literal=password=not-for-you']);
    // What the scheduling controllers do when placing web on edge-1.
    await team.ok(['label', 'namespace', 'web', `${label}=Sync`]);
    await team.ok(['-n', 'web', 'label', 'configmap', 'cfg', `${label}=Sync`]);
    await team.ok(['-n', 'web', 'label', 'secret', 'creds', `${label}=Sync`]);
    await eventually(async () => {
      const s = await down.run(['-n', dns, 'get', 'secret', 'creds', '-o', 'jsonpath={.data.password}']);
      return [s.stdout === Buffer.from('s3cret').toString('base64'), s.stdout + s.stderr];
    }, { ...SLOW, what: 'the labelled Secret downstream' });
    assert.equal(await down.ok(['-n', dns, 'get', 'configmap', 'cfg', '-o', 'jsonpath={.data.a}']), 'b');
    assert.ok(await gone(['-n', dns, 'get', 'secret', 'private']), 'the unlabelled Secret stays upstream');
    // …because the syncer's identity cannot read it: 404 in its view, 403 outside it.
    const asSyncer = new TestClient(kp.url, kp.caPem, tokenOf(readFileSync(syncerKubeconfig, 'utf8')));
    const view = syncerViewPath(WS, 'edge-1', uid);
    assert.equal((await asSyncer.do(`${view}/clusters/${WS}/api/v1/namespaces/web/secrets/private`)).status, 404);
    assert.equal((await asSyncer.do(`${view}/clusters/${WS}/api/v1/namespaces/web/secrets/creds`)).status, 200);
    assert.equal((await asSyncer.do(`/clusters/${WS}/api/v1/namespaces/web/secrets/private`)).status, 403);
    for (const kind of ['configmap/cfg', 'secret/creds']) {
      const o = await kjson(team, ['-n', 'web', 'get', kind]);
      assert.deepEqual(o.metadata.finalizers, [syncerFinalizer(key)], kind);
    }
  });

  await t.test('an object asked to leave: copy deleted, then finalizer, label and annotation dropped upstream', async () => {
    await team.ok(['-n', 'web', 'annotate', 'configmap', 'cfg', `${annotation}=2026-01-01T00:00:00Z`]);
    await eventually(async () => {
      const o = await kjson(team, ['-n', 'web', 'get', 'configmap', 'cfg']);
      const released = !o.metadata.finalizers?.length && !o.metadata.labels?.[label] && !o.metadata.annotations?.[annotation];
      return [released, JSON.stringify(o.metadata)];
    }, { ...SLOW, what: 'cfg released upstream' });
    assert.ok(await gone(['-n', dns, 'get', 'configmap', 'cfg']), 'the copy went first');
    assert.equal(await down.ok(['-n', dns, 'get', 'secret', 'creds', '-o', 'name']), 'secret/creds\n', 'the other object stays');
  });

  await t.test('a namespace asked to leave: downstream namespace deleted, objects then namespace released upstream', async () => {
    await team.ok(['annotate', 'namespace', 'web', `${annotation}=2026-01-01T00:00:00Z`]);
    await eventually(async () => {
      const ns = await kjson(team, ['get', 'namespace', 'web']);
      const s = await kjson(team, ['-n', 'web', 'get', 'secret', 'creds']);
      const done = !ns.metadata.labels?.[label] && !ns.metadata.annotations?.[annotation] && !s.metadata.finalizers?.length && !s.metadata.labels?.[label];
      return [done, JSON.stringify({ ns: ns.metadata, s: s.metadata })];
    }, { ...SLOW, what: 'web and creds released upstream' });
    await eventually(async () => [await gone(['get', 'namespace', dns]), dns], { ...SLOW, what: `${dns} gone downstream` });
    // Upstream nothing else changed: the objects are still there.
    assert.equal(await team.ok(['-n', 'web', 'get', 'secret', 'creds', '-o', 'jsonpath={.data.password}']), Buffer.from('s3cret').toString('base64'));
  });

  await t.test('a downstream namespace no longer placed is collected when the syncer starts', async () => {
    await team.ok(['label', 'namespace', 'web', `${label}=Sync`]);
    await team.ok(['-n', 'web', 'label', 'configmap', 'cfg', `${label}=Sync`]);
    await eventually(async () => [!(await gone(['-n', dns, 'get', 'configmap', 'cfg'])), dns], { ...SLOW, what: 'web placed again' });
    await syncer.stop();
    // Unplaced while no syncer runs (and without the annotation: nobody asks it to clean up).
    await team.ok(['label', 'namespace', 'web', `${label}-`]);
    assert.equal(await down.ok(['get', 'namespace', dns, '-o', 'name']), `namespace/${dns}\n`, 'still there while the syncer is stopped');
    syncer = startSyncer(args);
    await eventually(async () => [await gone(['get', 'namespace', dns]), dns], { ...SLOW, what: `${dns} collected at start-up` });
  });
});
