// kubectl reads in a child workspace: get as a server-side Table (default and -o wide),
// -o yaml, -o jsonpath, label selectors, paging with --chunk-size, and watches
// (`get -w --output-watch-events -o json`, `get -w` as a Table, and `get -w` exiting 0 when
// the server ends the stream).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import YAML from 'yaml';
import { eventually } from '../framework/eventually.ts';
import { background, kjson, parseJSONStream, SLOW, startE2E, syncTargetYAML } from './support.ts';

interface WatchEvent {
  type: string;
  object: { metadata: { name: string; labels?: Record<string, string>; resourceVersion: string } };
}

test('kubectl: reads and watches', { timeout: 600_000 }, async (t) => {
  await using env = await startE2E();
  const { teamA, kp } = env;

  for (let i = 1; i <= 5; i++) {
    const labels = { tier: i <= 2 ? 'gold' : 'silver', idx: String(i) };
    await teamA.ok(['create', '-f', env.file(`st-${i}.yaml`, syncTargetYAML(`edge-${i}`, `phys-${i}`, { labels }))]);
  }

  await t.test('get prints the printer columns', async () => {
    const out = await teamA.ok(['get', 'synctargets']);
    const lines = out.trim().split('\n');
    assert.match(lines[0]!, /^NAME\s+READY\s+PHASE\s+HEARTBEAT\s+CLUSTER\s+AGE$/);
    assert.equal(lines.length, 6);
    assert.match(lines[1]!, /^edge-1\s+phys-1\s+\d+[smh]/);
    // Short name and category work too.
    assert.equal((await teamA.ok(['get', 'st'])).trim().split('\n').length, 6);
    assert.equal((await teamA.ok(['get', 'kcp'])).trim().split('\n').length, 6);
  });

  await t.test('get -o wide adds the priority columns', async () => {
    const out = await teamA.ok(['get', 'st', '-o', 'wide']);
    const header = out.split('\n')[0]!;
    assert.match(header, /^NAME\s+READY\s+PHASE\s+HEARTBEAT\s+CLUSTER\s+.+\s+AGE$/);
    assert.ok(header.split(/\s+/).length > 6, `wide header should have extra columns: ${header}`);
  });

  await t.test('get -o yaml and a single object', async () => {
    const obj = YAML.parse(await teamA.ok(['get', 'st', 'edge-3', '-o', 'yaml']));
    assert.equal(obj.kind, 'SyncTarget');
    assert.equal(obj.apiVersion, 'workload.kcp.io/v1alpha1');
    assert.equal(obj.metadata.name, 'edge-3');
    assert.equal(obj.spec.cluster, 'phys-3');
    const one = (await teamA.ok(['get', 'st', 'edge-3'])).trim().split('\n');
    assert.equal(one.length, 2);
    assert.match(one[1]!, /^edge-3\s/);
  });

  await t.test('get -o jsonpath', async () => {
    assert.equal(await teamA.ok(['get', 'st', '-o', 'jsonpath={.items[*].metadata.name}']), 'edge-1 edge-2 edge-3 edge-4 edge-5');
    assert.equal(await teamA.ok(['get', 'st', 'edge-2', '-o', 'jsonpath={.spec.cluster}']), 'phys-2');
  });

  await t.test('get -l with equality, set and negation selectors', async () => {
    const names = async (sel: string) => (await teamA.ok(['get', 'st', '-l', sel, '-o', 'jsonpath={.items[*].metadata.name}'])).trim();
    assert.equal(await names('tier=gold'), 'edge-1 edge-2');
    assert.equal(await names('tier!=gold'), 'edge-3 edge-4 edge-5');
    assert.equal(await names('idx in (1,4)'), 'edge-1 edge-4');
    assert.equal(await names('tier=silver,idx notin (3)'), 'edge-4 edge-5');
    assert.equal(await names('!nolabel'), 'edge-1 edge-2 edge-3 edge-4 edge-5');
    const none = await teamA.run(['get', 'st', '-l', 'tier=bronze']);
    assert.equal(none.code, 0);
    assert.match(none.stderr, /No resources found/);
    const bad = await teamA.run(['get', 'st', '-l', 'tier in gold']);
    assert.notEqual(bad.code, 0);
  });

  await t.test('get --field-selector metadata.name', async () => {
    assert.equal(await teamA.ok(['get', 'st', '--field-selector', 'metadata.name=edge-4', '-o', 'jsonpath={.items[*].metadata.name}']), 'edge-4');
    const bad = await teamA.run(['get', 'st', '--field-selector', 'spec.cluster=phys-1']);
    assert.notEqual(bad.code, 0);
    assert.match(bad.stderr, /BadRequest.*field label not supported: spec.cluster/);
  });

  await t.test('get --chunk-size=1 pages through every object', async () => {
    const r = await teamA.run(['get', 'st', '--chunk-size=1', '-v=6']);
    assert.equal(r.code, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.equal(lines.length, 6, r.stdout);
    assert.deepEqual(lines.slice(1).map((l) => l.split(/\s+/)[0]), ['edge-1', 'edge-2', 'edge-3', 'edge-4', 'edge-5']);
    const continues = r.stderr.split('\n').filter((l) => /GET .*synctargets\?continue=.*limit=1 200/.test(l));
    assert.equal(continues.length, 4, `expected 4 continue requests:\n${r.stderr}`);
    // JSON output merges the pages too.
    const list = await kjson(teamA, ['get', 'st', '--chunk-size=2']);
    assert.equal(list.items.length, 5);
  });

  await t.test('get -w --output-watch-events -o json sees ADDED, MODIFIED, DELETED', async () => {
    const w = background(teamA, ['get', 'st', '-w', '--output-watch-events', '-o', 'json']);
    try {
      const events = () => parseJSONStream(w.stdout()) as WatchEvent[];
      await eventually(() => [events().length >= 5, `initial events: ${events().length}; stderr: ${w.stderr()}`], { ...SLOW, what: 'initial ADDED events' });
      assert.deepEqual(events().map((e) => e.type), ['ADDED', 'ADDED', 'ADDED', 'ADDED', 'ADDED']);

      await teamA.ok(['create', '-f', env.file('st-w.yaml', syncTargetYAML('watched', 'phys-w'))]);
      await teamA.ok(['label', 'st', 'watched', 'seen=yes']);
      await teamA.ok(['delete', 'st', 'watched']);
      await eventually(
        () => {
          const mine = events().filter((e) => e.object.metadata.name === 'watched').map((e) => e.type);
          return [mine.join(',') === 'ADDED,MODIFIED,DELETED', `events for "watched": ${mine.join(',')}`];
        },
        { ...SLOW, what: 'watch events for "watched"' },
      );
      const modified = events().find((e) => e.object.metadata.name === 'watched' && e.type === 'MODIFIED');
      assert.equal(modified?.object.metadata.labels?.seen, 'yes');
      // Events of other workspaces never show up.
      await env.teamB.ok(['create', '-f', env.file('st-b.yaml', syncTargetYAML('in-b', 'phys-b'))]);
      await teamA.ok(['label', 'st', 'edge-1', 'after-b=1']);
      await eventually(() => [events().some((e) => e.object.metadata.name === 'edge-1' && e.type === 'MODIFIED'), 'edge-1 MODIFIED'], SLOW);
      assert.ok(!events().some((e) => e.object.metadata.name === 'in-b'), 'team-b object leaked into a team-a watch');
    } finally {
      await w.stop();
    }
  });

  await t.test('get -w prints Table rows for changes', async () => {
    const w = background(teamA, ['get', 'st', '-w']);
    try {
      await eventually(() => [w.stdout().trim().split('\n').length >= 6, w.stdout() + w.stderr()], { ...SLOW, what: 'initial table' });
      await teamA.ok(['patch', 'st', 'edge-2', '--subresource=status', '--type=merge', '-p', '{"status":{"phase":"Deploying"}}']);
      await eventually(() => [/^edge-2\s+Deploying\s+phys-2\s/m.test(w.stdout()), w.stdout()], { ...SLOW, what: 'edge-2 Deploying row' });
      // One header only, even though each event is a Table.
      assert.equal(w.stdout().split('\n').filter((l) => l.startsWith('NAME')).length, 1);
    } finally {
      await w.stop();
    }
  });

  await t.test('get -w exits 0 when the server ends the stream', async () => {
    const w = background(teamA, ['get', 'st', '-w', '--output-watch-events', '-o', 'json']);
    await eventually(() => [parseJSONStream(w.stdout()).length >= 5, w.stderr()], { ...SLOW, what: 'initial events' });
    // Shutting kplane down ends every watch with a clean end of stream.
    await kp.stop();
    const code = await w.exited;
    assert.equal(code, 0, `kubectl get -w exit code; stderr:\n${w.stderr()}`);
  });
});
