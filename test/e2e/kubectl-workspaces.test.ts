// kubectl against kplane: discovery, explain, workspaces as logical clusters and their
// isolation, the wildcard cluster, and built-in types created through kubectl's typed
// (protobuf) generators.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { kjson, startE2E, syncTargetYAML } from './support.ts';

test('kubectl: discovery, workspaces, isolation', { timeout: 600_000 }, async (t) => {
  await using env = await startE2E();
  const { kp, root, teamA, teamB } = env;

  await t.test('version reports a 1.32 server', async () => {
    const out = await root.ok(['version']);
    assert.match(out, /Server Version: v1\.32\./);
  });

  await t.test('api-resources lists SyncTarget with its short name', async () => {
    const out = await teamA.ok(['api-resources']);
    assert.match(out, /^synctargets\s+st\s+workload\.kcp\.io\/v1alpha1\s+false\s+SyncTarget$/m);
    assert.match(out, /^workspaces\s+ws\s+tenancy\.kcp\.io\/v1alpha1\s+false\s+Workspace$/m);
    assert.match(out, /^configmaps\s+cm\s+v1\s+true\s+ConfigMap$/m);
  });

  await t.test('explain synctarget.spec.cells comes from OpenAPI v3', async () => {
    const out = await teamA.ok(['explain', 'synctarget.spec.cells']);
    assert.match(out, /KIND:\s+SyncTarget/);
    assert.match(out, /FIELD: cells <map\[string\]string>/);
  });

  await t.test('workspaces are Ready with a URL', async () => {
    const ws = await kjson(root, ['get', 'workspace', 'team-a']);
    assert.equal(ws.status.phase, 'Ready');
    assert.equal(ws.status.URL, `${kp.url}/clusters/root:team-a`);
    // Each child logical cluster gets a default namespace.
    await teamA.ok(['get', 'namespace', 'default']);
  });

  await t.test('objects in one workspace are invisible in the others', async () => {
    await teamA.ok(['create', '-f', env.file('iso-a.yaml', syncTargetYAML('only-in-a', 'phys-a'))]);
    await teamB.ok(['create', '-f', env.file('iso-b.yaml', syncTargetYAML('only-in-b', 'phys-b'))]);

    const inA = await kjson(teamA, ['get', 'synctargets']);
    assert.deepEqual(inA.items.map((o: any) => o.metadata.name), ['only-in-a']); // eslint-disable-line @typescript-eslint/no-explicit-any -- list items
    assert.equal(inA.items[0].metadata.annotations['kcp.io/cluster'], 'root:team-a');
    const inB = await kjson(teamB, ['get', 'synctargets']);
    assert.deepEqual(inB.items.map((o: any) => o.metadata.name), ['only-in-b']); // eslint-disable-line @typescript-eslint/no-explicit-any -- list items
    const inRoot = await kjson(root, ['get', 'synctargets']);
    assert.deepEqual(inRoot.items, []);

    const r = await teamB.run(['get', 'synctarget', 'only-in-a']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NotFound.*"only-in-a" not found/);
    // Deleting in B by the name used in A does not touch A.
    const d = await teamB.run(['delete', 'synctarget', 'only-in-a']);
    assert.notEqual(d.code, 0);
    await teamA.ok(['get', 'synctarget', 'only-in-a']);
  });

  await t.test('get --raw on the wildcard cluster sees every workspace', async () => {
    const raw = JSON.parse(await root.ok(['get', '--raw', '/clusters/*/apis/workload.kcp.io/v1alpha1/synctargets']));
    assert.equal(raw.kind, 'SyncTargetList');
    const seen = raw.items.map((o: any) => `${o.metadata.annotations['kcp.io/cluster']}|${o.metadata.name}`).sort(); // eslint-disable-line @typescript-eslint/no-explicit-any -- list items
    assert.deepEqual(seen, ['root:team-a|only-in-a', 'root:team-b|only-in-b']);
  });

  await t.test('a workspace that does not exist answers 404', async () => {
    const missing = root.forCluster(kp.url, 'root:team-nope');
    const r = await missing.run(['get', 'synctargets']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NotFound|could not find the requested resource/);
    const raw = await root.run(['get', '--raw', '/clusters/root:team-nope/apis/workload.kcp.io/v1alpha1/synctargets']);
    assert.notEqual(raw.code, 0);
    assert.match(raw.stderr, /NotFound|not found/);
  });

  await t.test('create namespace / configmap / secret (protobuf request bodies)', async () => {
    assert.match(await teamA.ok(['create', 'namespace', 'x']), /namespace\/x created/);
    assert.match(await teamA.ok(['create', 'configmap', 'y', '--from-literal=a=b']), /configmap\/y created/);
    assert.match(await teamA.ok(['create', 'configmap', 'y2', '-n', 'x', '--from-literal=c=d']), /configmap\/y2 created/);
    assert.match(await teamA.ok(['create', 'secret', 'generic', 's1', '--from-literal=password=hunter2']), /secret\/s1 created/);

    const cm = await kjson(teamA, ['get', 'configmap', 'y']);
    assert.deepEqual(cm.data, { a: 'b' });
    assert.equal(cm.metadata.namespace, 'default');
    const cm2 = await kjson(teamA, ['get', 'configmap', 'y2', '-n', 'x']);
    assert.deepEqual(cm2.data, { c: 'd' });
    const secret = await kjson(teamA, ['get', 'secret', 's1']);
    assert.equal(Buffer.from(secret.data.password, 'base64').toString(), 'hunter2');
    // Not visible from the sibling workspace.
    const r = await teamB.run(['get', 'configmap', 'y']);
    assert.notEqual(r.code, 0);
    const ns = await teamB.run(['get', 'namespace', 'x']);
    assert.notEqual(ns.code, 0);
  });

  await t.test('deleting a workspace removes its logical cluster', async () => {
    await root.ok(['delete', 'workspace', 'team-b']);
    const r = await teamB.run(['get', '--raw', '/clusters/root:team-b/apis/workload.kcp.io/v1alpha1/synctargets']);
    assert.notEqual(r.code, 0);
    const raw = JSON.parse(await root.ok(['get', '--raw', '/clusters/*/apis/workload.kcp.io/v1alpha1/synctargets']));
    assert.deepEqual(raw.items.map((o: any) => o.metadata.name), ['only-in-a']); // eslint-disable-line @typescript-eslint/no-explicit-any -- list items
  });
});
