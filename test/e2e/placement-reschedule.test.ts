// Issue 12's rescheduling with kubectl against a real kplane (`--eviction-grace 5s`,
// `--heartbeat-threshold 3s`) and two SyncTargets made Ready by real syncer processes:
//   1. `kplane workload cordon edge-b` keeps the first namespace off edge-b: it lands on edge-a;
//      its ConfigMap and Secret are labelled for edge-a (syncers report both Accepted). The
//      test plays edge-a's syncer having synced the ConfigMap (its finalizer on it).
//   2. `kplane workload drain edge-a` → ONE change moves the namespace to edge-b and annotates
//      it for deletion from edge-a; the synced ConfigMap keeps edge-a's label with the same
//      annotation, the never-synced Secret loses it at once; Events `Rescheduled`.
//   3. edge-a's syncer is killed: nobody will clean up, so once it has been silent past the
//      grace the controllers remove edge-a's label, annotation and finalizer themselves.
//   4. edge-a back (new syncer, uncordoned), edge-b's syncer killed after "syncing" the
//      ConfigMap: after heartbeat threshold + grace the namespace moves back to edge-a on its
//      own, and edge-b's departure is finished by the fallback in turn.
//   5. edge-a drained while edge-b is silent: nowhere to go, web stays (Event RescheduleBlocked).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isDeepStrictEqual } from 'node:util';
import { toSyncTargetKey } from '../../apis/workload/v1alpha1/synctargetkey.ts';
import { eventually } from '../framework/eventually.ts';
import { startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { createWorkspace, kjson, SLOW } from './support.ts';
import { kubeconfigForWorkspace, kubeconfigFromManifests, parseManifests, runKplane, startSyncer, syncerArgsFromManifests, type SyncerProcess } from './syncer-support.ts';

const WS = 'root:move';
/** Two kplanes, two or three syncers and kubectl on a shared two-core machine: generous. */
const PATIENT = { ...SLOW, timeoutMs: 180_000 };
const S = (k: string) => `state.workload.kcp.io/${k}`;
const D = (k: string) => `deletion.internal.workload.kcp.io/${k}`;
const F = (k: string) => `workload.kcp.io/syncer-${k}`;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON
type Obj = any;
const stateLabels = (o: Obj): Record<string, string> =>
  Object.fromEntries(Object.entries((o.metadata.labels ?? {}) as Record<string, string>).filter(([k]) => k.startsWith('state.workload.kcp.io/')));
/** Label sets compared regardless of key order. */
const labelsAre = (o: Obj, want: Record<string, string>): boolean => isDeepStrictEqual(stateLabels(o), want);
const deletions = (o: Obj): Record<string, string> =>
  Object.fromEntries(Object.entries((o.metadata.annotations ?? {}) as Record<string, string>).filter(([k]) => k.startsWith('deletion.internal.workload.kcp.io/')));

test('rescheduling: drain, a silent syncer, the deletion annotation and the fallback, with kubectl', { timeout: 600_000 }, async (t) => {
  await using kp = await startKplane({ args: ['--eviction-grace', '5s', '--heartbeat-threshold', '3s'] });
  await using phys = await startKplane({ args: ['--controllers', '-'] });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-reschedule-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = new Kubectl(kp.kubeconfig);
  t.after(() => rmSync(root.cacheDir, { recursive: true, force: true }));
  const k = await createWorkspace(root, kp.url, dir, 'move');
  const kubeconfig = kubeconfigForWorkspace(kp.kubeconfig, kp.url, WS, dir);
  const syncers = new Map<string, SyncerProcess>();
  t.after(async () => {
    for (const s of syncers.values()) await s.stop('SIGKILL');
  });
  const syncerArgs = new Map<string, string[]>();
  const KA = toSyncTargetKey(WS, 'edge-a');
  const KB = toSyncTargetKey(WS, 'edge-b');
  const workload = async (...args: string[]) => {
    const r = await runKplane(['workload', ...args], { KUBECONFIG: kubeconfig });
    assert.equal(r.code, 0, r.stderr);
    return r.stdout;
  };
  const get = (...args: string[]): Promise<Obj> => kjson(k, ['get', ...args]);
  const heartbeat = async (name: string) => (await get('synctarget', name)).status?.conditions?.find((c: Obj) => c.type === 'HeartbeatHealthy')?.status;

  await t.test('two SyncTargets Ready through real syncers that accept ConfigMaps and Secrets', async () => {
    for (const name of ['edge-a', 'edge-b']) {
      const out = join(dir, `${name}.yaml`);
      await workload('sync', name, '--syncer-image', 'kplane-syncer:e2e', '--heartbeat-period', '1s', '-o', out);
      const manifests = parseManifests(readFileSync(out, 'utf8'));
      const syncerKubeconfig = join(dir, `${name}.kubeconfig`);
      writeFileSync(syncerKubeconfig, kubeconfigFromManifests(manifests));
      // --sync-mode off: the syncers heartbeat and report the types they accept, but this test
      // plays their object sync by hand (finalizers, cleanup) to drive the controllers' side of
      // the contract step by step; test/e2e/sync*.test.ts cover the syncer's side.
      syncerArgs.set(name, [...syncerArgsFromManifests(manifests, syncerKubeconfig), '--to-kubeconfig', phys.kubeconfig, '--resources', 'configmaps,secrets', '--sync-mode', 'off']);
      syncers.set(name, startSyncer(syncerArgs.get(name)!));
    }
    for (const name of ['edge-a', 'edge-b']) {
      await k.ok(['wait', '--for=condition=Ready', `synctarget/${name}`, '--timeout=120s']);
      await eventually(async () => {
        const st = await get('synctarget', name);
        return [(st.status?.syncedResources ?? []).filter((r: Obj) => r.state === 'Accepted').length === 2, JSON.stringify(st.status?.syncedResources)];
      }, { ...PATIENT, what: `${name} accepts configmaps and secrets` });
    }
  });

  await t.test('cordoned edge-b gets nothing: the namespace and its objects land on edge-a', async () => {
    assert.match(await workload('cordon', 'edge-b'), /synctarget\.workload\.kcp\.io\/edge-b cordoned/);
    writeFileSync(join(dir, 'web.yaml'), [
      'apiVersion: scheduling.kcp.io/v1alpha1', 'kind: Placement', 'metadata: {name: web}', 'spec:',
      '  locationSelectors: [{}]', '  locationResource: {group: workload.kcp.io, version: v1alpha1, resource: synctargets}',
      '  namespaceSelector: {matchLabels: {app: web}}',
    ].join('\n') + '\n');
    await k.ok(['apply', '-f', join(dir, 'web.yaml')]);
    await k.ok(['create', 'namespace', 'web']);
    await k.ok(['-n', 'web', 'create', 'configmap', 'cfg', '--from-literal=a=b']);
    await k.ok(['-n', 'web', 'create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret']);
    await k.ok(['label', 'namespace', 'web', 'app=web']);
    await eventually(async () => {
      const [ns, cm, sec] = [await get('ns', 'web'), await get('-n', 'web', 'configmap', 'cfg'), await get('-n', 'web', 'secret', 'pw')];
      return [[ns, cm, sec].every((o) => labelsAre(o, { [S(KA)]: 'Sync' })), JSON.stringify([ns, cm, sec].map(stateLabels))];
    }, { ...PATIENT, what: 'web, its ConfigMap and its Secret on edge-a' });
    assert.match(await workload('uncordon', 'edge-b'), /uncordoned/);
    // Play edge-a's syncer: it has written the ConfigMap downstream (finalizer first, as the contract says).
    await k.ok(['-n', 'web', 'patch', 'configmap', 'cfg', '--type=merge', '-p', JSON.stringify({ metadata: { finalizers: [F(KA)] } })]);
  });

  await t.test('kplane workload drain edge-a: web moves to edge-b, edge-a annotated for deletion in the same change', async () => {
    assert.match(await workload('drain', 'edge-a'), /synctarget\.workload\.kcp\.io\/edge-a draining/);
    assert.ok((await get('synctarget', 'edge-a')).spec.evictAfter, 'drain sets spec.evictAfter');
    await eventually(async () => {
      const ns = await get('ns', 'web');
      return [stateLabels(ns)[S(KB)] === 'Sync' && deletions(ns)[D(KA)] !== undefined, JSON.stringify(ns.metadata)];
    }, { ...PATIENT, what: 'web labelled for edge-b and annotated for deletion from edge-a' });
    const ns = await get('ns', 'web');
    assert.deepEqual(stateLabels(ns), { [S(KA)]: 'Sync', [S(KB)]: 'Sync' }, 'edge-a\'s label stays for its syncer to clean up');
    await eventually(async () => {
      const cm = await get('-n', 'web', 'configmap', 'cfg');
      const sec = await get('-n', 'web', 'secret', 'pw');
      const ok = labelsAre(cm, { [S(KA)]: 'Sync', [S(KB)]: 'Sync' }) && deletions(cm)[D(KA)] === deletions(ns)[D(KA)]
        && labelsAre(sec, { [S(KB)]: 'Sync' }) && Object.keys(deletions(sec)).length === 0;
      return [ok, JSON.stringify({ cm: cm.metadata, sec: sec.metadata.labels })];
    }, { ...PATIENT, what: 'the synced ConfigMap annotated like web, the unsynced Secret moved outright' });
    const shown = await k.ok(['get', 'ns', 'web', '--show-labels']);
    assert.ok(shown.includes(`${S(KA)}=Sync`) && shown.includes(`${S(KB)}=Sync`), shown);
    const events = await k.ok(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.kind=Namespace,involvedObject.name=web']);
    assert.match(events, /Rescheduled\s+namespace\/web\s+Moved from SyncTarget edge-a of workspace root:move .* to SyncTarget edge-b of workspace root:move/);
    assert.match(await k.ok(['describe', 'placement', 'web']), /Rescheduled.*Namespace web: Moved from SyncTarget edge-a/s);
    const table = await k.ok(['get', 'locations,placements']);
    assert.match(table, /location\.scheduling\.kcp\.io\/default\s+synctargets\s+1\s+2/, 'edge-a, draining, is not available');
    assert.match(table, /placement\.scheduling\.kcp\.io\/web\s+Bound\s+root:move\s+default\s+True/);
  });

  await t.test('edge-a\'s syncer gone: past the grace the fallback removes its label, annotation and finalizer', async () => {
    await syncers.get('edge-a')!.stop('SIGKILL');
    await eventually(async () => [await heartbeat('edge-a') === 'False', 'edge-a HeartbeatHealthy'], { ...PATIENT, what: 'edge-a heartbeat unhealthy' });
    await eventually(async () => {
      const [ns, cm] = [await get('ns', 'web'), await get('-n', 'web', 'configmap', 'cfg')];
      const ok = [ns, cm].every((o) => labelsAre(o, { [S(KB)]: 'Sync' }) && Object.keys(deletions(o)).length === 0)
        && !(cm.metadata.finalizers ?? []).includes(F(KA));
      return [ok, JSON.stringify({ ns: ns.metadata, cm: cm.metadata })];
    }, { ...PATIENT, what: 'edge-a\'s departure finished without its syncer' });
    const events = await k.ok(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.kind=Namespace,involvedObject.name=web']);
    assert.match(events, /DepartureFinishedWithoutSyncer/);
  });

  await t.test('edge-b\'s syncer silent past the grace: web moves back to edge-a on its own', async () => {
    syncers.set('edge-a', startSyncer(syncerArgs.get('edge-a')!));
    assert.match(await workload('uncordon', 'edge-a'), /uncordoned/);
    await eventually(async () => [await heartbeat('edge-a') === 'True', 'edge-a HeartbeatHealthy'], { ...PATIENT, what: 'edge-a healthy again' });
    await k.ok(['-n', 'web', 'patch', 'configmap', 'cfg', '--type=merge', '-p', JSON.stringify({ metadata: { finalizers: [F(KB)] } })]);
    await syncers.get('edge-b')!.stop('SIGKILL');
    await eventually(async () => {
      const [ns, cm] = [await get('ns', 'web'), await get('-n', 'web', 'configmap', 'cfg')];
      const ok = [ns, cm].every((o) => labelsAre(o, { [S(KA)]: 'Sync' }) && Object.keys(deletions(o)).length === 0)
        && (cm.metadata.finalizers ?? []).length === 0;
      return [ok, JSON.stringify({ ns: ns.metadata, cm: cm.metadata })];
    }, { ...PATIENT, what: 'web back on edge-a and edge-b\'s departure finished' });
    const events = await k.ok(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.kind=Namespace,involvedObject.name=web']);
    assert.match(events, /Moved from SyncTarget edge-b of workspace root:move .* to SyncTarget edge-a of workspace root:move .*: SyncTarget edge-b has had no healthy heartbeat since/);
    const shown = await k.ok(['get', 'ns', 'web', '--show-labels']);
    assert.ok(shown.includes(`${S(KA)}=Sync`) && !shown.includes(KB), shown);
  });

  await t.test('drained with nowhere to go (edge-b silent): web stays on edge-a and says so', async () => {
    await workload('drain', 'edge-a');
    const blocked = async () => k.ok(['get', 'events', '-n', 'default', '--field-selector', 'reason=RescheduleBlocked']);
    await eventually(async () => {
      const events = await blocked();
      return [/namespace\/web\s+SyncTarget edge-a is evicting .* no other Ready, schedulable SyncTarget of Location default/.test(events) && /placement\/web/.test(events), events];
    }, { ...PATIENT, what: 'RescheduleBlocked on the namespace and the Placement' });
    const ns = await get('ns', 'web');
    assert.ok(labelsAre(ns, { [S(KA)]: 'Sync' }) && Object.keys(deletions(ns)).length === 0, JSON.stringify(ns.metadata));
  });
});
