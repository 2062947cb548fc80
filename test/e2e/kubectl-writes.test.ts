// kubectl writes in a child workspace: create, client-side and server-side apply, patch
// (merge, json, status subresource), label, annotate, edit, replace with a stale object,
// server-side dry run.
import assert from 'node:assert/strict';
import { chmodSync } from 'node:fs';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { kjson, startE2E, syncTargetYAML } from './support.ts';

test('kubectl: writes', { timeout: 600_000 }, async (t) => {
  await using env = await startE2E();
  const { teamA, teamB } = env;

  await t.test('create -f', async () => {
    const out = await teamA.ok(['create', '-f', env.file('st-create.yaml', syncTargetYAML('created', 'phys-1'))]);
    assert.equal(out.trim(), 'synctarget.workload.kcp.io/created created');
    const st = await kjson(teamA, ['get', 'st', 'created']);
    assert.equal(st.metadata.generation, 1);
    assert.ok(st.metadata.uid);
    assert.equal(st.spec.cluster, 'phys-1');
    // Defaults and schema round-trip: the quantity is kept as written.
    assert.equal(st.spec.capacity.memory, '32Gi');
    const again = await teamA.run(['create', '-f', env.file('st-create.yaml', syncTargetYAML('created', 'phys-1'))]);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /AlreadyExists/);
  });

  await t.test('apply -f (client-side) creates, then is unchanged, then configures', async () => {
    const path = env.file('st-apply.yaml', syncTargetYAML('applied', 'phys-2'));
    assert.equal((await teamA.ok(['apply', '-f', path])).trim(), 'synctarget.workload.kcp.io/applied created');
    assert.equal((await teamA.ok(['apply', '-f', path])).trim(), 'synctarget.workload.kcp.io/applied unchanged');
    const before = await kjson(teamA, ['get', 'st', 'applied']);
    assert.ok(before.metadata.annotations['kubectl.kubernetes.io/last-applied-configuration']);
    env.file('st-apply.yaml', syncTargetYAML('applied', 'phys-2b'));
    assert.equal((await teamA.ok(['apply', '-f', path])).trim(), 'synctarget.workload.kcp.io/applied configured');
    const after = await kjson(teamA, ['get', 'st', 'applied']);
    assert.equal(after.spec.cluster, 'phys-2b');
    assert.equal(after.metadata.generation, 2);
  });

  await t.test('apply --server-side creates and updates', async () => {
    const path = env.file('st-ssa.yaml', syncTargetYAML('ssa', 'phys-3'));
    assert.equal((await teamA.ok(['apply', '--server-side', '-f', path])).trim(), 'synctarget.workload.kcp.io/ssa serverside-applied');
    env.file('st-ssa.yaml', syncTargetYAML('ssa', 'phys-3b', { labels: { tier: 'gold' } }));
    assert.equal((await teamA.ok(['apply', '--server-side', '-f', path])).trim(), 'synctarget.workload.kcp.io/ssa serverside-applied');
    const st = await kjson(teamA, ['get', 'st', 'ssa']);
    assert.equal(st.spec.cluster, 'phys-3b');
    assert.equal(st.metadata.labels.tier, 'gold');
    assert.equal(st.metadata.generation, 2);
  });

  await t.test('apply --server-side of a namespaced built-in without a namespace in the file', async () => {
    const path = env.file('cm-ssa.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ssa-cm\ndata:\n  k: v\n');
    await teamA.ok(['apply', '--server-side', '-f', path]);
    const cm = await kjson(teamA, ['get', 'configmap', 'ssa-cm']);
    assert.equal(cm.metadata.namespace, 'default');
    assert.deepEqual(cm.data, { k: 'v' });
  });

  await t.test('patch --type=merge and --type=json bump generation on spec changes', async () => {
    await teamA.ok(['patch', 'st', 'created', '--type=merge', '-p', '{"spec":{"unschedulable":true}}']);
    let st = await kjson(teamA, ['get', 'st', 'created']);
    assert.equal(st.spec.unschedulable, true);
    assert.equal(st.metadata.generation, 2);
    await teamA.ok(['patch', 'st', 'created', '--type=json', '-p', '[{"op":"replace","path":"/spec/cluster","value":"phys-1b"}]']);
    st = await kjson(teamA, ['get', 'st', 'created']);
    assert.equal(st.spec.cluster, 'phys-1b');
    assert.equal(st.metadata.generation, 3);
    // A JSON patch on a missing path is rejected and changes nothing.
    const bad = await teamA.run(['patch', 'st', 'created', '--type=json', '-p', '[{"op":"replace","path":"/spec/nope/deeper","value":1}]']);
    assert.notEqual(bad.code, 0);
    assert.equal((await kjson(teamA, ['get', 'st', 'created'])).metadata.resourceVersion, st.metadata.resourceVersion);
    // The default (strategic) patch type is not supported for SyncTarget, as for CRDs.
    const smp = await teamA.run(['patch', 'st', 'created', '-p', '{"spec":{"unschedulable":false}}']);
    assert.notEqual(smp.code, 0);
    assert.match(smp.stderr, /strategic-merge-patch\+json is not supported/);
  });

  await t.test('patch --subresource=status: status only, generation unchanged', async () => {
    const before = await kjson(teamA, ['get', 'st', 'created']);
    await teamA.ok([
      'patch', 'st', 'created', '--subresource=status', '--type=merge',
      '-p', '{"status":{"phase":"Ready"},"spec":{"cluster":"ignored-by-status"}}',
    ]);
    const after = await kjson(teamA, ['get', 'st', 'created']);
    assert.equal(after.status.phase, 'Ready');
    assert.equal(after.spec.cluster, before.spec.cluster, 'a status write must not change spec');
    assert.equal(after.metadata.generation, before.metadata.generation);
    // And a write to the main resource ignores status.
    await teamA.ok(['patch', 'st', 'created', '--type=merge', '-p', '{"status":{"phase":"NotReady"}}']);
    assert.equal((await kjson(teamA, ['get', 'st', 'created'])).status.phase, 'Ready');
    // The status subresource is readable on its own.
    const status = JSON.parse(await teamA.ok(['get', '--raw', '/clusters/root:team-a/apis/workload.kcp.io/v1alpha1/synctargets/created/status']));
    assert.equal(status.status.phase, 'Ready');
  });

  await t.test('label and annotate do not bump generation', async () => {
    const before = await kjson(teamA, ['get', 'st', 'created']);
    assert.match(await teamA.ok(['label', 'st', 'created', 'env=prod']), /labeled/);
    assert.match(await teamA.ok(['annotate', 'st', 'created', 'owner=team-a']), /annotated/);
    const after = await kjson(teamA, ['get', 'st', 'created']);
    assert.equal(after.metadata.labels.env, 'prod');
    assert.equal(after.metadata.annotations.owner, 'team-a');
    assert.equal(after.metadata.generation, before.metadata.generation);
    await teamA.ok(['label', 'st', 'created', 'env-']);
    assert.equal((await kjson(teamA, ['get', 'st', 'created'])).metadata.labels?.env, undefined);
  });

  await t.test('edit with a non-interactive EDITOR', async () => {
    const editor = env.file('editor.sh', '#!/bin/sh\nsed -i "s/cluster: phys-1b/cluster: phys-edited/" "$1"\n');
    chmodSync(editor, 0o755);
    const out = await teamA.ok(['edit', 'st', 'created'], { env: { EDITOR: editor, KUBE_EDITOR: editor } });
    assert.match(out, /synctarget.workload.kcp.io\/created edited/);
    assert.equal((await kjson(teamA, ['get', 'st', 'created'])).spec.cluster, 'phys-edited');
    // An edit that changes nothing is reported as such.
    const noop = await teamA.run(['edit', 'st', 'created'], { env: { EDITOR: 'true', KUBE_EDITOR: 'true' } });
    assert.equal(noop.code, 0);
    assert.match(noop.stdout + noop.stderr, /Edit cancelled, no changes made/);
  });

  await t.test('replace with a stale object is a Conflict', async () => {
    const stale = await teamA.ok(['get', 'st', 'created', '-o', 'yaml']);
    await teamA.ok(['label', 'st', 'created', 'bump=1']);
    const path = env.file('stale.yaml', stale.replace('cluster: phys-edited', 'cluster: phys-stale'));
    const r = await teamA.run(['replace', '-f', path]);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /Error from server \(Conflict\).*the object has been modified; please apply your changes to the latest version and try again/);
    assert.equal((await kjson(teamA, ['get', 'st', 'created'])).spec.cluster, 'phys-edited');
    // A fresh object replaces fine.
    const fresh = await teamA.ok(['get', 'st', 'created', '-o', 'yaml']);
    await teamA.ok(['replace', '-f', env.file('fresh.yaml', fresh.replace('cluster: phys-edited', 'cluster: phys-replaced'))]);
    assert.equal((await kjson(teamA, ['get', 'st', 'created'])).spec.cluster, 'phys-replaced');
  });

  await t.test('create --dry-run=server stores nothing', async () => {
    // The controllers may still be writing after the replace above, which moves the revision
    // too: the check is repeated until a window without their writes shows it unmoved (a dry
    // run that wrote would move it every time).
    await eventually(async () => {
      const listBefore = await kjson(teamA, ['get', 'st']);
      const out = await teamA.ok(['create', '--dry-run=server', '-f', env.file('dry.yaml', syncTargetYAML('dry', 'phys-dry'))]);
      assert.match(out, /synctarget.workload.kcp.io\/dry created \(server dry run\)/);
      const r = await teamA.run(['get', 'st', 'dry']);
      assert.notEqual(r.code, 0);
      assert.match(r.stderr, /NotFound/);
      const listAfter = await kjson(teamA, ['get', 'st']);
      return [listAfter.metadata.resourceVersion === listBefore.metadata.resourceVersion, `a dry run must not move the revision: ${listBefore.metadata.resourceVersion} → ${listAfter.metadata.resourceVersion}`];
    }, { timeoutMs: 30_000, intervalMs: 500, what: 'a create --dry-run=server that leaves the revision where it was' });
    // Also dry-run patches and deletes.
    await teamA.ok(['patch', 'st', 'created', '--dry-run=server', '--type=merge', '-p', '{"spec":{"cluster":"dry-patched"}}']);
    await teamA.ok(['delete', 'st', 'created', '--dry-run=server']);
    assert.equal((await kjson(teamA, ['get', 'st', 'created'])).spec.cluster, 'phys-replaced');
  });

  await t.test('nothing written in team-a leaked into team-b', async () => {
    assert.deepEqual((await kjson(teamB, ['get', 'st'])).items, []);
    assert.deepEqual((await kjson(teamB, ['get', 'configmaps'])).items, []);
  });
});
