// kubectl object lifecycle in a child workspace: delete (plain, held by a finalizer until a
// patch removes it, by label, --all), wait (condition and jsonpath), and describe listing
// Events that point at the object.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { eventually } from '../framework/eventually.ts';
import { TestClient } from '../framework/http.ts';
import { background, kjson, SLOW, startE2E, syncTargetYAML } from './support.ts';

test('kubectl: delete, wait, describe', { timeout: 600_000 }, async (t) => {
  await using env = await startE2E();
  const { teamA } = env;

  const create = async (name: string, extra: Parameters<typeof syncTargetYAML>[2] = {}) => {
    await teamA.ok(['create', '-f', env.file(`${name}.yaml`, syncTargetYAML(name, `phys-${name}`, extra))]);
  };

  await t.test('delete removes the object', async () => {
    await create('plain');
    const out = await teamA.ok(['delete', 'st', 'plain']);
    assert.equal(out.trim(), 'synctarget.workload.kcp.io "plain" deleted');
    const r = await teamA.run(['get', 'st', 'plain']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /NotFound/);
    const again = await teamA.run(['delete', 'st', 'plain']);
    assert.notEqual(again.code, 0);
    assert.match(again.stderr, /Error from server \(NotFound\): synctargets.workload.kcp.io "plain" not found/);
    assert.equal((await teamA.run(['delete', 'st', 'plain', '--ignore-not-found'])).code, 0);
  });

  await t.test('delete --wait=false of an object held by a finalizer, then the finalizer is removed', async () => {
    await create('held', { finalizers: ['example.com/hold'] });
    const out = await teamA.ok(['delete', 'st', 'held', '--wait=false']);
    assert.match(out, /"held" deleted/);
    const st = await kjson(teamA, ['get', 'st', 'held']);
    assert.ok(st.metadata.deletionTimestamp, 'deletionTimestamp must be set');
    assert.deepEqual(st.metadata.finalizers, ['example.com/hold']);
    // A second delete is accepted and changes nothing.
    await teamA.ok(['delete', 'st', 'held', '--wait=false']);
    assert.equal((await kjson(teamA, ['get', 'st', 'held'])).metadata.resourceVersion, st.metadata.resourceVersion);

    await teamA.ok(['patch', 'st', 'held', '--type=json', '-p', '[{"op":"remove","path":"/metadata/finalizers"}]']);
    await eventually(
      async () => {
        const r = await teamA.run(['get', 'st', 'held']);
        return [r.code !== 0 && /NotFound/.test(r.stderr), `get: ${r.code} ${r.stdout}${r.stderr}`];
      },
      { ...SLOW, what: 'held object gone' },
    );
  });

  await t.test('delete (waiting) returns once a finalizer is removed by someone else', async () => {
    await create('waited', { finalizers: ['example.com/hold'] });
    const del = background(teamA, ['delete', 'st', 'waited', '--timeout=120s']);
    try {
      await eventually(
        async () => {
          const st = await kjson(teamA, ['get', 'st', 'waited']);
          return [Boolean(st.metadata.deletionTimestamp), 'no deletionTimestamp yet'];
        },
        { ...SLOW, what: 'deletionTimestamp' },
      );
      assert.equal(del.child.exitCode, null, 'delete must keep waiting while the finalizer holds');
      await teamA.ok(['patch', 'st', 'waited', '--type=merge', '-p', '{"metadata":{"finalizers":null}}']);
      assert.equal(await del.exited, 0, del.stderr());
      assert.match(del.stdout(), /"waited" deleted/);
    } finally {
      await del.stop();
    }
  });

  await t.test('delete -l and delete --all', async () => {
    await create('sel-1', { labels: { batch: 'x' } });
    await create('sel-2', { labels: { batch: 'x' } });
    await create('keep', { labels: { batch: 'y' } });
    const out = await teamA.ok(['delete', 'st', '-l', 'batch=x']);
    assert.match(out, /"sel-1" deleted/);
    assert.match(out, /"sel-2" deleted/);
    assert.equal(await teamA.ok(['get', 'st', '-o', 'jsonpath={.items[*].metadata.name}']), 'keep');
    await teamA.ok(['delete', 'st', '--all']);
    assert.deepEqual((await kjson(teamA, ['get', 'st'])).items, []);
  });

  await t.test('deletecollection over the API', async () => {
    await create('coll-1', { labels: { coll: 'yes' } });
    await create('coll-2');
    const http = new TestClient(env.kp.url, env.kp.caPem, env.kp.adminToken);
    const r = await http.delete('/clusters/root:team-a/apis/workload.kcp.io/v1alpha1/synctargets?labelSelector=coll%3Dyes');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.kind, 'SyncTargetList');
    assert.deepEqual(r.json.items.map((o: { metadata: { name: string } }) => o.metadata.name), ['coll-1']);
    assert.equal(await teamA.ok(['get', 'st', '-o', 'jsonpath={.items[*].metadata.name}']), 'coll-2');

    // DELETE of one object: 200 with the deleted object (a custom resource); 200 with
    // deletionTimestamp while a finalizer holds it (kube's 202 needs orphanDependents=false).
    const gone = await http.delete('/clusters/root:team-a/apis/workload.kcp.io/v1alpha1/synctargets/coll-2');
    assert.equal(gone.status, 200, gone.text);
    assert.equal(gone.json.kind, 'SyncTarget');
    assert.equal(gone.json.metadata.name, 'coll-2');
    await create('coll-held', { finalizers: ['example.com/hold'] });
    const held = await http.delete('/clusters/root:team-a/apis/workload.kcp.io/v1alpha1/synctargets/coll-held');
    assert.equal(held.status, 200, held.text);
    assert.equal(held.json.kind, 'SyncTarget');
    assert.ok(held.json.metadata.deletionTimestamp);
    await teamA.ok(['patch', 'st', 'coll-held', '--type=merge', '-p', '{"metadata":{"finalizers":[]}}']);
    assert.deepEqual((await kjson(teamA, ['get', 'st'])).items, []);
  });

  await t.test('wait --for=condition=Ready after a status patch', async () => {
    await create('waitme');
    const w = background(teamA, ['wait', '--for=condition=Ready', 'st/waitme', '--timeout=120s']);
    try {
      // Not met yet: wait keeps watching.
      await teamA.ok(['label', 'st', 'waitme', 'noise=1']);
      assert.equal(w.child.exitCode, null);
      await teamA.ok([
        'patch', 'st', 'waitme', '--subresource=status', '--type=merge',
        '-p', JSON.stringify({ status: { conditions: [{ type: 'Ready', status: 'True', reason: 'Test', lastTransitionTime: '2024-01-01T00:00:00Z' }] } }),
      ]);
      assert.equal(await w.exited, 0, w.stderr());
      assert.match(w.stdout(), /synctarget.workload.kcp.io\/waitme condition met/);
    } finally {
      await w.stop();
    }
    // Already met: returns at once.
    assert.match(await teamA.ok(['wait', '--for=condition=Ready', 'st/waitme', '--timeout=60s']), /condition met/);
    // Not met within the timeout: a clear error, no endless loop.
    const r = await teamA.run(['wait', '--for=condition=Ready=False', 'st/waitme', '--timeout=3s']);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /timed out waiting for the condition/);
  });

  await t.test('wait --for=jsonpath', async () => {
    const w = background(teamA, ['wait', '--for=jsonpath={.spec.cluster}=moved', 'st/waitme', '--timeout=120s']);
    try {
      await teamA.ok(['patch', 'st', 'waitme', '--type=merge', '-p', '{"spec":{"cluster":"moved"}}']);
      assert.equal(await w.exited, 0, w.stderr());
      assert.match(w.stdout(), /condition met/);
    } finally {
      await w.stop();
    }
  });

  await t.test('wait --for=delete', async () => {
    await create('doomed');
    const w = background(teamA, ['wait', '--for=delete', 'st/doomed', '--timeout=120s']);
    try {
      await teamA.ok(['delete', 'st', 'doomed', '--wait=false']);
      assert.equal(await w.exited, 0, w.stderr());
    } finally {
      await w.stop();
    }
  });

  await t.test('describe lists Events whose involvedObject is the SyncTarget', async () => {
    const st = await kjson(teamA, ['get', 'st', 'waitme']);
    const event = [
      'apiVersion: v1',
      'kind: Event',
      'metadata:',
      '  name: waitme.heartbeat',
      '  namespace: default',
      'involvedObject:',
      '  apiVersion: workload.kcp.io/v1alpha1',
      '  kind: SyncTarget',
      '  name: waitme',
      `  uid: ${st.metadata.uid}`,
      'reason: HeartbeatMissing',
      'message: no heartbeat for 60s',
      'type: Warning',
      'source:',
      '  component: kplane-test',
      `firstTimestamp: "${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}"`,
      `lastTimestamp: "${new Date().toISOString().replace(/\.\d+Z$/, 'Z')}"`,
      'count: 1',
    ].join('\n');
    await teamA.ok(['create', '-f', env.file('event.yaml', event + '\n')]);
    // An Event about another object must not be listed.
    await teamA.ok(['create', '-f', env.file('event-other.yaml', event.replace('name: waitme.heartbeat', 'name: other.ev').replace('  name: waitme', '  name: other').replace('HeartbeatMissing', 'OtherReason') + '\n')]);

    const out = await teamA.ok(['describe', 'st', 'waitme']);
    assert.match(out, /^Name:\s+waitme$/m);
    assert.match(out, /^Kind:\s+SyncTarget$/m);
    assert.match(out, /^Events:\n\s+Type\s+Reason\s+Age\s+From\s+Message/m);
    assert.match(out, /Warning\s+HeartbeatMissing\s+\S+\s+kplane-test\s+no heartbeat for 60s/);
    assert.doesNotMatch(out, /OtherReason/);

    // The events request itself: field selectors on involvedObject.* are supported.
    const evs = await kjson(teamA, ['get', 'events', '-A', '--field-selector', `involvedObject.name=waitme,involvedObject.uid=${st.metadata.uid}`]);
    assert.deepEqual(evs.items.map((e: { metadata: { name: string } }) => e.metadata.name), ['waitme.heartbeat']);
  });
});
