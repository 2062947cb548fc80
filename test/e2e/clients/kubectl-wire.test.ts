// kubectl 1.32 corners that depend on wire details: List files (kubectl validates them
// against OpenAPI v2, which it asks for as protobuf), scale, diff without generation noise,
// `get deploy -o wide`. Each case checks what is stored, not only kubectl's exit code.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { startKplane } from '../../framework/kplane.ts';
import { Kubectl } from '../../framework/kubectl.ts';
import { kjson } from '../support.ts';

const SCALER_TOKEN = 'scaler-0123456789abcdef';
const VIEWER_TOKEN = 'viewer-0123456789abcdef';

test('kubectl: wire compatibility', { timeout: 900_000 }, async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-wire-'));
  const file = (name: string, content: string) => {
    const p = join(dir, name);
    writeFileSync(p, content);
    return p;
  };
  // Two plain users for the RBAC case: one allowed deployments/scale, one not.
  const tokens = file('tokens.csv', `${SCALER_TOKEN},scaler,uid-scaler,""\n${VIEWER_TOKEN},viewer,uid-viewer,""\n`);
  await using kp = await startKplane({ args: ['--controllers', '-', '--token-auth-file', tokens] });
  const k = new Kubectl(kp.kubeconfig);
  t.after(() => {
    rmSync(dir, { recursive: true, force: true });
    rmSync(k.cacheDir, { recursive: true, force: true });
  });
  const data = async (name: string) => (await kjson(k, ['get', 'cm', name])).data;

  await t.test('get -o yaml of several objects round-trips through create -f, apply -f and apply --server-side', async () => {
    await k.ok(['create', 'cm', 'l1', '--from-literal=a=1']);
    await k.ok(['create', 'cm', 'l2', '--from-literal=b=2']);
    const list = await k.ok(['get', 'cm', 'l1', 'l2', '-o', 'yaml']);
    assert.match(list, /^kind: List$/m);
    const path = file('list.yaml', list);
    // apply -f of the unchanged List: kubectl validates each item against OpenAPI v2 (protobuf).
    const verbose = await k.run(['apply', '-f', path, '-v=8']);
    assert.equal(verbose.code, 0, verbose.stderr);
    const v2 = verbose.stderr.slice(verbose.stderr.search(/GET https:\/\/\S+\/openapi\/v2/));
    assert.notEqual(v2, verbose.stderr.slice(-1), 'kubectl asked for /openapi/v2');
    const requestHeaders = v2.slice(0, v2.indexOf('Response Status'));
    assert.match(requestHeaders, /Accept: application\/com\.github\.proto-openapi\.spec\.v2@v1\.0\+protobuf\n/);
    assert.equal(/Response Status: (\d+)/.exec(v2)?.[1], '200');
    assert.match(v2, /Content-Type: application\/com\.github\.proto-openapi\.spec\.v2\.v1\.0\+protobuf/);
    assert.match(verbose.stdout, /configmap\/l1 configured\nconfigmap\/l2 configured/);
    await k.ok(['delete', 'cm', 'l1', 'l2']);
    assert.match(await k.ok(['create', '-f', path]), /configmap\/l1 created\nconfigmap\/l2 created/);
    assert.deepEqual([await data('l1'), await data('l2')], [{ a: '1' }, { b: '2' }]);
    await k.ok(['delete', 'cm', 'l1', 'l2']);
    assert.match(await k.ok(['apply', '--server-side', '-f', path]), /configmap\/l1 serverside-applied\nconfigmap\/l2 serverside-applied/);
    assert.deepEqual([await data('l1'), await data('l2')], [{ a: '1' }, { b: '2' }]);
    await k.ok(['delete', 'cm', 'l1', 'l2']);
    assert.match(await k.ok(['apply', '-f', path]), /configmap\/l1 created/);
    assert.deepEqual(await data('l2'), { b: '2' });
  });

  await t.test('<Kind>List files (kind: ConfigMapList) with create -f, apply -f and apply --server-side', async () => {
    const path = file('cml.yaml', 'apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: k1}\n  data: {k: v}\n- metadata: {name: k2}\n  data: {k: w}\n');
    assert.match(await k.ok(['create', '-f', path]), /configmap\/k1 created\nconfigmap\/k2 created/);
    assert.deepEqual([await data('k1'), await data('k2')], [{ k: 'v' }, { k: 'w' }]);
    await k.ok(['delete', 'cm', 'k1', 'k2']);
    assert.match(await k.ok(['apply', '-f', path]), /configmap\/k1 created\nconfigmap\/k2 created/);
    assert.deepEqual(await data('k2'), { k: 'w' });
    await k.ok(['delete', 'cm', 'k1', 'k2']);
    assert.match(await k.ok(['apply', '--server-side', '-f', path]), /configmap\/k1 serverside-applied\nconfigmap\/k2 serverside-applied/);
    assert.deepEqual(await data('k1'), { k: 'v' });
    // The items are still validated against OpenAPI v2.
    const bad = await k.run(['apply', '-f', file('cml-bad.yaml', 'apiVersion: v1\nkind: ConfigMapList\nitems:\n- metadata: {name: k3}\n  dataa: {k: v}\n')]);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /ValidationError\(ConfigMapList\.items\[0\]\): unknown field "dataa"/);
    assert.equal((await k.run(['get', 'cm', 'k3'])).code, 1);
  });

  await t.test('a List of every namespaced kind validates against OpenAPI v2 and round-trips', async () => {
    await k.ok(['create', 'cm', 'all-cm', '--from-literal=a=1']);
    await k.ok(['create', 'secret', 'generic', 'all-secret', '--from-literal=k=v']);
    await k.ok(['create', 'sa', 'all-sa']);
    await k.ok(['create', 'role', 'all-role', '--verb=get', '--resource=configmaps']);
    await k.ok(['create', 'rolebinding', 'all-rb', '--role=all-role', '--user=bob']);
    await k.ok(['create', 'deployment', 'all-deploy', '--image=nginx:1']);
    await k.ok(['apply', '-f', file('all-extra.yaml', [
      'apiVersion: coordination.k8s.io/v1\nkind: Lease\nmetadata: {name: all-lease, namespace: default}\nspec: {holderIdentity: me, renewTime: "2024-03-01T10:00:01.5+01:00"}',
      'apiVersion: workload.kcp.io/v1alpha1\nkind: SyncTarget\nmetadata: {name: all-st}\nspec: {cluster: pc-1}',
      'apiVersion: v1\nkind: Event\nmetadata: {name: all-ev, namespace: default}\ninvolvedObject: {kind: ConfigMap, name: all-cm, namespace: default}\nreason: Test\ntype: Normal\neventTime: "2024-03-01T10:00:00.123Z"\nreportingComponent: me\nreportingInstance: me-1\naction: Tested',
    ].join('\n---\n'))]);
    const targets = ['cm/all-cm', 'secret/all-secret', 'sa/all-sa', 'role/all-role', 'rolebinding/all-rb', 'deploy/all-deploy', 'lease/all-lease', 'st/all-st', 'event/all-ev'];
    const path = file('all.yaml', await k.ok(['get', ...targets, '-o', 'yaml']));
    await k.ok(['delete', ...targets]);
    const created = await k.ok(['create', '-f', path]);
    assert.equal(created.trim().split('\n').length, targets.length, created);
    const back = await kjson(k, ['get', ...targets]);
    assert.deepEqual(back.items.map((o: { kind: string }) => o.kind), ['ConfigMap', 'Secret', 'ServiceAccount', 'Role', 'RoleBinding', 'Deployment', 'Lease', 'SyncTarget', 'Event']);
    const byKind = Object.fromEntries(back.items.map((o: { kind: string }) => [o.kind, o])) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- arbitrary objects
    assert.equal(byKind.Lease.spec.renewTime, '2024-03-01T09:00:01.500000Z');
    assert.equal(byKind.Event.eventTime, '2024-03-01T10:00:00.123000Z');
    assert.equal(byKind.SyncTarget.spec.cluster, 'pc-1');
    assert.equal(byKind.Deployment.spec.template.spec.containers[0].image, 'nginx:1');
    assert.deepEqual(byKind.RoleBinding.subjects.map((x: { name: string }) => x.name), ['bob']);
    // Client-side apply of a fresh dump (the first carries the deleted objects' resourceVersions,
    // a conflict in kube too) validates every item again and leaves the data as it is.
    const applied = await k.run(['apply', '-f', file('all-again.yaml', await k.ok(['get', ...targets, '-o', 'yaml']))]);
    assert.equal(applied.code, 0, applied.stderr);
    assert.equal((await kjson(k, ['get', 'lease', 'all-lease'])).spec.renewTime, '2024-03-01T09:00:01.500000Z');
  });

  await t.test('explain --output=plaintext-openapiv2 reads the protobuf v2 document', async () => {
    const out = await k.ok(['explain', '--output=plaintext-openapiv2', 'configmap.data']);
    assert.match(out, /^KIND:\s+ConfigMap$/m);
    assert.match(out, /^FIELD:\s+data <map\[string\]string>$/m);
  });

  await t.test('a List item with an unknown field is refused by kubectl validation, nothing stored', async () => {
    const bad = file('bad.yaml', 'apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n  metadata: {name: bad1}\n  dataa: {k: v}\n');
    const r = await k.run(['apply', '-f', bad]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /unknown field "dataa" in io\.k8s\.api\.core\.v1\.ConfigMap/);
    assert.equal((await k.run(['get', 'cm', 'bad1'])).code, 1);
  });

  await t.test('kubectl scale deployment, and -o wide columns', async () => {
    await k.ok(['create', 'deployment', 'web', '--image=nginx:1', '--image=redis:7']);
    assert.equal((await k.ok(['scale', 'deployment', 'web', '--replicas=3'])).trim(), 'deployment.apps/web scaled');
    const dep = await kjson(k, ['get', 'deploy', 'web']);
    assert.equal(dep.spec.replicas, 3);
    assert.equal(dep.metadata.generation, 2);
    const scale = JSON.parse(await k.ok(['get', '--raw', '/apis/apps/v1/namespaces/default/deployments/web/scale']));
    assert.deepEqual([scale.kind, scale.spec, scale.status], ['Scale', { replicas: 3 }, { replicas: 0, selector: 'app=web' }]);
    const wide = (await k.ok(['get', 'deploy', 'web', '-o', 'wide'])).trim().split('\n').map((l) => l.split(/\s{2,}/));
    assert.deepEqual(wide[0], ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.deepEqual([wide[1]![0], wide[1]![1], ...wide[1]!.slice(5)], ['web', '0/3', 'nginx,redis', 'nginx:1,redis:7', 'app=web']);
    assert.equal((await k.ok(['patch', 'deploy', 'web', '--subresource=scale', '--type=merge', '-p', '{"spec":{"replicas":4}}'])).trim(), 'scale.autoscaling/web patched');
    assert.equal((await kjson(k, ['get', 'deploy', 'web'])).spec.replicas, 4);
    await k.ok(['scale', 'deployment', 'web', '--replicas=3', '--current-replicas=4']);
    const viaSubresource = (await k.ok(['get', 'deploy', 'web', '--subresource=scale'])).trim().split('\n').map((l) => l.split(/\s+/));
    assert.deepEqual(viaSubresource, [['NAME', 'DESIRED', 'AVAILABLE'], ['web', '3', '0']]);
    const resources = await k.ok(['get', '--raw', '/apis/apps/v1']);
    assert.ok(JSON.parse(resources).resources.some((r: { name: string; kind: string }) => r.name === 'deployments/scale' && r.kind === 'Scale'));
  });

  await t.test('RBAC: deployments/scale is its own resource', async () => {
    await k.ok(['create', 'role', 'scaler', '--verb=get', '--resource=deployments', '--resource=deployments/scale']);
    await k.ok(['patch', 'role', 'scaler', '--type=json', '-p', JSON.stringify([{ op: 'add', path: '/rules/-', value: { apiGroups: ['apps'], resources: ['deployments/scale'], verbs: ['patch', 'update'] } }])]);
    await k.ok(['create', 'rolebinding', 'scaler', '--role=scaler', '--user=scaler']);
    await k.ok(['create', 'role', 'viewer', '--verb=get,patch', '--resource=deployments']);
    await k.ok(['create', 'rolebinding', 'viewer', '--role=viewer', '--user=viewer']);
    assert.equal((await k.ok(['--token', SCALER_TOKEN, 'scale', 'deployment', 'web', '--replicas=2'])).trim(), 'deployment.apps/web scaled');
    assert.equal((await kjson(k, ['get', 'deploy', 'web'])).spec.replicas, 2);
    // Scaling through the main resource needs patch on deployments, which scaler lacks.
    const direct = await k.run(['--token', SCALER_TOKEN, 'patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":5}}']);
    assert.match(direct.stderr, /Forbidden/);
    // viewer may patch deployments but not deployments/scale.
    const denied = await k.run(['--token', VIEWER_TOKEN, 'scale', 'deployment', 'web', '--replicas=7']);
    assert.notEqual(denied.code, 0);
    assert.match(denied.stderr, /cannot patch resource "deployments\/scale"/);
    assert.equal((await kjson(k, ['get', 'deploy', 'web'])).spec.replicas, 2);
  });

  await t.test('diff: a ConfigMap carries no generation, so an unchanged file has no diff', async () => {
    const cm = file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d1, namespace: default}\ndata: {k: v}\n');
    await k.ok(['apply', '-f', cm]);
    assert.equal((await kjson(k, ['get', 'cm', 'd1'])).metadata.generation, undefined);
    const same = await k.run(['diff', '-f', cm]);
    assert.equal(same.code, 0, same.stdout + same.stderr);
    assert.equal(same.stdout, '');
    file('cm.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: d1, namespace: default}\ndata: {k: w}\n');
    const changed = await k.run(['diff', '-f', cm]);
    assert.equal(changed.code, 1, changed.stderr);
    const lines = changed.stdout.split('\n').filter((l) => /^[-+] /.test(l));
    assert.deepEqual(lines, ['-  k: v', '+  k: w']);
    assert.deepEqual(await data('d1'), { k: 'v' });
  });
});
