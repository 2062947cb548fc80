// Issue 12's walk up to the namespace label, with kubectl against a real kplane and real
// syncer processes: two SyncTargets made Ready by their syncers (edge-1's reporting its
// --resources as checked against a second kplane) → Location `default` appears
// with 2/2 instances → a Placement is applied → labelled namespaces get
// `state.workload.kcp.io/<key>: Sync`, spread over both SyncTargets → a second Placement
// selecting the same namespace loses with a condition → ConfigMaps, Deployments and Secrets in
// placed namespaces carry the namespace's label (every type the syncer reported Accepted) → unlabelling and deleting Placements unschedule. Bad selectors are a 422 naming the field.
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { toSyncTargetKey } from '../../apis/workload/v1alpha1/synctargetkey.ts';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { startKplane } from '../framework/kplane.ts';
import { Kubectl } from '../framework/kubectl.ts';
import { createWorkspace, kjson, SLOW } from './support.ts';
import { kubeconfigForWorkspace, kubeconfigFromManifests, parseManifests, runKplane, startSyncer, syncerArgsFromManifests, type SyncerProcess } from './syncer-support.ts';

const WS = 'root:team';
const STATE = 'state.workload.kcp.io/';

function placementYAML(name: string, namespaceSelector: string, locationSelector = '{}'): string {
  return [
    'apiVersion: scheduling.kcp.io/v1alpha1', 'kind: Placement', `metadata: {name: ${name}}`, 'spec:',
    `  locationSelectors: [${locationSelector}]`,
    '  locationResource: {group: workload.kcp.io, version: v1alpha1, resource: synctargets}',
    `  namespaceSelector: ${namespaceSelector}`,
  ].join('\n') + '\n';
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- API JSON
type Obj = any;
const stateLabels = (ns: Obj): Record<string, string> =>
  Object.fromEntries(Object.entries((ns.metadata.labels ?? {}) as Record<string, string>).filter(([k]) => k.startsWith(STATE)));

test('placement: default Location, Placement, namespace scheduling with kubectl', { timeout: 600_000 }, async (t) => {
  await using kp = await startKplane();
  // A second kplane stands in for the physical cluster (discovery for --resources).
  await using phys = await startKplane({ args: ['--controllers', '-'] });
  const dir = mkdtempSync(join(tmpdir(), 'kplane-placement-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  const root = new Kubectl(kp.kubeconfig);
  t.after(() => rmSync(root.cacheDir, { recursive: true, force: true }));
  const team = await createWorkspace(root, kp.url, dir, 'team');
  const admin = new TestClient(kp.url, kp.caPem, kp.adminToken);
  const syncers: SyncerProcess[] = [];
  t.after(async () => {
    for (const s of syncers) await s.stop('SIGKILL');
  });
  const ns = (name: string): Promise<Obj> => kjson(team, ['get', 'namespace', name, '-o', 'json']);
  const keys = { 'edge-1': toSyncTargetKey(WS, 'edge-1'), 'edge-2': toSyncTargetKey(WS, 'edge-2') };

  await t.test('the API is served: discovery, explain, no Location before any SyncTarget', async () => {
    const resources = await team.ok(['api-resources', '--api-group=scheduling.kcp.io', '-o', 'name']);
    assert.deepEqual(resources.trim().split('\n').sort(), ['locations.scheduling.kcp.io', 'placements.scheduling.kcp.io']);
    const explain = await team.ok(['explain', 'placements.spec.locationSelectors']);
    assert.match(explain, /logically ORed/);
    assert.match(await team.ok(['explain', 'locations.status']), /availableInstances/);
    assert.match((await team.run(['get', 'locations'])).stderr, /No resources found/);
  });

  await t.test('bad selectors are a 422 naming the field', async () => {
    const r = await admin.do(`/clusters/${WS}/apis/scheduling.kcp.io/v1alpha1/placements`, {
      method: 'POST',
      body: {
        apiVersion: 'scheduling.kcp.io/v1alpha1', kind: 'Placement', metadata: { name: 'bad' },
        spec: {
          locationResource: { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets' },
          locationSelectors: [{ matchExpressions: [{ key: 'region', operator: 'Equals', values: ['eu'] }] }],
          namespaceSelector: { matchLabels: { 'not a key!': 'x' } },
        },
      },
    });
    assert.equal(r.status, 422, r.text);
    assert.equal(r.json.reason, 'Invalid');
    const fields = (r.json.details.causes as { field: string }[]).map((c) => c.field).sort();
    assert.deepEqual(fields, ['spec.locationSelectors[0].matchExpressions[0].operator', 'spec.namespaceSelector.matchLabels']);
    writeFileSync(join(dir, 'bad.yaml'), placementYAML('bad', '{matchExpressions: [{key: app, operator: In}]}'));
    const k = await team.run(['apply', '-f', join(dir, 'bad.yaml')]);
    assert.notEqual(k.code, 0);
    assert.match(k.stderr, /spec\.namespaceSelector\.matchExpressions\[0\]\.values: Required value/);
    assert.equal((await admin.do(`/clusters/${WS}/apis/scheduling.kcp.io/v1alpha1/placements/bad`)).status, 404, 'nothing half-written');
  });

  await t.test('two SyncTargets made Ready by real syncers → Location default with 2/2', async () => {
    const kubeconfig = kubeconfigForWorkspace(kp.kubeconfig, kp.url, WS, dir);
    for (const name of ['edge-1', 'edge-2']) {
      const out = join(dir, `${name}.yaml`);
      const r = await runKplane(['workload', 'sync', name, '--syncer-image', 'kplane-syncer:e2e', '--heartbeat-period', '1s', '-o', out], { KUBECONFIG: kubeconfig });
      assert.equal(r.code, 0, r.stderr);
      const manifests = parseManifests(readFileSync(out, 'utf8'));
      const syncerKubeconfig = join(dir, `${name}.kubeconfig`);
      writeFileSync(syncerKubeconfig, kubeconfigFromManifests(manifests));
      const extra = ['--to-kubeconfig', phys.kubeconfig, '--resources', name === 'edge-1' ? 'deployments.apps,configmaps,secrets,widgets.example.com' : 'deployments.apps,configmaps,secrets'];
      syncers.push(startSyncer([...syncerArgsFromManifests(manifests, syncerKubeconfig), ...extra]));
    }
    for (const name of ['edge-1', 'edge-2']) await team.ok(['wait', '--for=condition=Ready', `synctarget/${name}`, '--timeout=120s']);
    await eventually(async () => {
      const loc = await kjson(team, ['get', 'location', 'default', '-o', 'json']);
      return [loc.status?.instances === 2 && loc.status?.availableInstances === 2, JSON.stringify(loc.status)];
    }, { ...SLOW, what: 'Location default with 2 available instances' });
    const loc = await kjson(team, ['get', 'location', 'default', '-o', 'json']);
    assert.deepEqual(loc.spec.instanceSelector, {});
    assert.deepEqual(loc.spec.resource, { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets' });
    // edge-1's syncer checked --resources against its physical cluster.
    await eventually(async () => {
      const st1 = await kjson(team, ['get', 'synctarget', 'edge-1', '-o', 'json']);
      return [st1.status?.syncedResources?.length === 4, JSON.stringify(st1.status?.syncedResources)];
    }, { ...SLOW, what: 'edge-1 status.syncedResources' });
    assert.deepEqual((await kjson(team, ['get', 'synctarget', 'edge-1', '-o', 'json'])).status.syncedResources, [
      { group: 'apps', resource: 'deployments', versions: ['v1'], state: 'Accepted' },
      { resource: 'configmaps', versions: ['v1'], state: 'Accepted' },
      { resource: 'secrets', versions: ['v1'], state: 'Accepted' },
      { group: 'example.com', resource: 'widgets', state: 'Incompatible', message: 'the physical cluster does not serve API group example.com' },
    ]);
    // The SyncTarget's internal key label is the same key the namespaces will carry.
    const st = await kjson(team, ['get', 'synctarget', 'edge-1', '-o', 'json']);
    assert.equal(st.metadata.labels['internal.workload.kcp.io/key'], keys['edge-1']);
  });

  await t.test('a Placement places labelled namespaces, spread over the SyncTargets', async () => {
    await team.ok(['create', 'namespace', 'web']);
    await team.ok(['label', 'namespace', 'web', 'app=web']);
    await team.ok(['create', 'namespace', 'web2']);
    await team.ok(['label', 'namespace', 'web2', 'app=web']);
    await team.ok(['create', 'namespace', 'other']);
    writeFileSync(join(dir, 'web.yaml'), placementYAML('web', '{matchLabels: {app: web}}'));
    await team.ok(['apply', '-f', join(dir, 'web.yaml')]);
    await eventually(async () => {
      const [a, b] = [stateLabels(await ns('web')), stateLabels(await ns('web2'))];
      return [Object.keys(a).length === 1 && Object.keys(b).length === 1, JSON.stringify({ a, b })];
    }, { ...SLOW, what: 'both namespaces placed' });
    const a = stateLabels(await ns('web'));
    const b = stateLabels(await ns('web2'));
    assert.deepEqual(Object.values(a), ['Sync']);
    assert.deepEqual(Object.values(b), ['Sync']);
    // One namespace on each SyncTarget: the spread by namespaces already placed.
    assert.deepEqual([...Object.keys(a), ...Object.keys(b)].sort(), [STATE + keys['edge-1'], STATE + keys['edge-2']].sort());
    assert.deepEqual(stateLabels(await ns('other')), {});
    await eventually(async () => {
      const p = await kjson(team, ['get', 'placement', 'web', '-o', 'json']);
      return [p.status?.phase === 'Bound', JSON.stringify(p.status)];
    }, { ...SLOW, what: 'Placement web Bound' });
    const p = await kjson(team, ['get', 'placement', 'web', '-o', 'json']);
    assert.deepEqual(p.status.selectedLocation, { path: WS, locationName: 'default' });
    const table = await team.ok(['get', 'locations,placements']);
    assert.match(table, /NAME\s+RESOURCE\s+AVAILABLE\s+INSTANCES\s+LABELS\s+AGE/);
    assert.match(table, /location\.scheduling\.kcp\.io\/default\s+synctargets\s+2\s+2/);
    assert.match(table, /NAME\s+PHASE\s+LOCATION WORKSPACE\s+LOCATION\s+READY\s+AGE/);
    assert.match(table, new RegExp(`placement\\.scheduling\\.kcp\\.io/web\\s+Bound\\s+${WS}\\s+default\\s+True`));
    // Objects of synced types in a placed namespace carry the namespace's state label.
    await team.ok(['-n', 'web', 'create', 'configmap', 'cfg', '--from-literal=a=b']);
    await team.ok(['-n', 'web', 'create', 'deployment', 'web', '--image=nginx', '--replicas=2']);
    await team.ok(['-n', 'web', 'create', 'secret', 'generic', 'pw', '--from-literal=password=s3cret']);
    await eventually(async () => {
      const cm = await kjson(team, ['-n', 'web', 'get', 'configmap', 'cfg', '-o', 'json']);
      const dep = await kjson(team, ['-n', 'web', 'get', 'deployment', 'web', '-o', 'json']);
      const sec = await kjson(team, ['-n', 'web', 'get', 'secret', 'pw', '-o', 'json']);
      const ok = [cm, dep, sec].every((o) => JSON.stringify(stateLabels(o)) === JSON.stringify(a));
      return [ok, JSON.stringify({ cm: stateLabels(cm), dep: stateLabels(dep), secret: stateLabels(sec), want: a })];
    }, { ...SLOW, what: 'the ConfigMap, Deployment and Secret in web labelled like web' });
    const events = await team.ok(['get', 'events', '-n', 'default']);
    assert.match(events, /Scheduled/);
    assert.match(events, /NamespaceScheduled/);
    // kubectl describe finds the Placement's by involvedObject (kind, name, uid).
    assert.match(await team.ok(['describe', 'placement', 'web']), /NamespaceScheduled/);
    // (kubectl describe namespace shows no Events; they are listed by their involved object.)
    const nsEvents = await team.ok(['get', 'events', '-n', 'default', '--field-selector', 'involvedObject.kind=Namespace,involvedObject.name=web']);
    assert.match(nsEvents, /Scheduled\s+namespace\/web\s+Placed on SyncTarget/);
  });

  await t.test('a second Placement selecting the same namespace loses, with a condition', async () => {
    // Created at least as late as `web` and named after it, so `web` wins on age or name.
    const before = stateLabels(await ns('web'));
    writeFileSync(join(dir, 'late.yaml'), placementYAML('web-late', '{matchLabels: {app: web}}'));
    await team.ok(['apply', '-f', join(dir, 'late.yaml')]);
    await eventually(async () => {
      const p = await kjson(team, ['get', 'placement', 'web-late', '-o', 'json']);
      const c = (p.status?.conditions ?? []).find((x: Obj) => x.type === 'NamespacesOwned');
      return [c?.status === 'False' && c.reason === 'NamespacesPlacedElsewhere', JSON.stringify(p.status)];
    }, { ...SLOW, what: 'the newer Placement to report the conflict' });
    const late = await kjson(team, ['get', 'placement', 'web-late', '-o', 'json']);
    assert.equal(late.status.phase, 'Unbound');
    assert.match(late.status.conditions.find((x: Obj) => x.type === 'NamespacesOwned').message, /web \(placed by web\)/);
    const winner = await kjson(team, ['get', 'placement', 'web', '-o', 'json']);
    assert.equal(winner.status.conditions.find((x: Obj) => x.type === 'NamespacesOwned').status, 'True');
    assert.deepEqual(stateLabels(await ns('web')), before, 'the winner\'s placement is untouched');
  });

  await t.test('unscheduling: a namespace that stops matching, then the Placements going away', async () => {
    await team.ok(['-n', 'web2', 'create', 'configmap', 'cfg2']);
    await eventually(async () => {
      const cm = await kjson(team, ['-n', 'web2', 'get', 'configmap', 'cfg2', '-o', 'json']);
      return [Object.keys(stateLabels(cm)).length === 1, JSON.stringify(cm.metadata.labels)];
    }, { ...SLOW, what: 'cfg2 labelled while web2 is placed' });
    await team.ok(['label', 'namespace', 'web2', 'app-']);
    await eventually(async () => {
      const l = stateLabels(await ns('web2'));
      const cm = stateLabels(await kjson(team, ['-n', 'web2', 'get', 'configmap', 'cfg2', '-o', 'json']));
      return [Object.keys(l).length === 0 && Object.keys(cm).length === 0, JSON.stringify({ l, cm })];
    }, { ...SLOW, what: 'web2 and its ConfigMap unscheduled' });
    const onWeb = stateLabels(await ns('web'));
    await team.ok(['delete', 'placement', 'web']);
    // web-late now places web; it stays on the SyncTarget it is on.
    await eventually(async () => {
      const p = await kjson(team, ['get', 'placement', 'web-late', '-o', 'json']);
      return [p.status?.phase === 'Bound', JSON.stringify(p.status)];
    }, { ...SLOW, what: 'web-late Bound after web is deleted' });
    assert.deepEqual(stateLabels(await ns('web')), onWeb);
    await team.ok(['delete', 'placement', 'web-late']);
    await eventually(async () => {
      const l = stateLabels(await ns('web'));
      return [Object.keys(l).length === 0, JSON.stringify(l)];
    }, { ...SLOW, what: 'web unscheduled' });
    await eventually(async () => {
      const cm = stateLabels(await kjson(team, ['-n', 'web', 'get', 'configmap', 'cfg', '-o', 'json']));
      const dep = stateLabels(await kjson(team, ['-n', 'web', 'get', 'deployment', 'web', '-o', 'json']));
      const sec = stateLabels(await kjson(team, ['-n', 'web', 'get', 'secret', 'pw', '-o', 'json']));
      return [[cm, dep, sec].every((l) => Object.keys(l).length === 0), JSON.stringify({ cm, dep, sec })];
    }, { ...SLOW, what: 'the objects in web unlabelled' });
    assert.match(await team.ok(['get', 'events', '-n', 'default']), /Unscheduled/);
  });
});
