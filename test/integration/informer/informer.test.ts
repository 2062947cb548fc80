// Shared informers against a real kplane: wildcard list+watch over several workspaces,
// cluster-scoped listers, and convergence across a server restart without replaying
// unchanged objects to the handlers.
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { ClusterClient, SyncTargetGVR, type KubeObject } from '../../../pkg/client/index.ts';
import { SharedInformerFactory, type SharedInformer } from '../../../pkg/informer/index.ts';
import { silentLogger } from '../../../pkg/log/logger.ts';
import { eventually } from '../../framework/eventually.ts';
import { type Kplane, startKplane } from '../../framework/kplane.ts';

const WORKSPACES = ['ws-a', 'ws-b', 'ws-c'];
let kp: Kplane;
let client: ClusterClient;

const st = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'workload.kcp.io/v1alpha1',
  kind: 'SyncTarget',
  metadata: { name, labels },
  spec: { cluster: name },
});

before(async () => {
  // No controllers: the test counts every informer event, and reconciles would add updates.
  kp = await startKplane({ keepRootDir: true, args: ['--controllers', '-'] });
  client = ClusterClient.fromFile(kp.kubeconfig, { component: 'informer-test' });
  for (const ws of WORKSPACES) {
    await client.cluster('root').workspaces().create({ apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name: ws } });
  }
  await eventually(async () => {
    const list = await client.cluster('root').workspaces().list();
    const ready = list.items.filter((w) => w.status?.phase === 'Ready').length;
    return [ready === WORKSPACES.length, `${ready} ready`];
  });
});

after(async () => {
  client?.close();
  await kp?.stop();
  if (kp) rmSync(kp.rootDir, { recursive: true, force: true });
});

interface Recorded {
  adds: string[];
  updates: string[];
  deletes: string[];
}

function record(inf: SharedInformer<KubeObject>): Recorded {
  const r: Recorded = { adds: [], updates: [], deletes: [] };
  const id = (o: KubeObject) => `${o.metadata.annotations?.['kcp.io/cluster']}/${o.metadata.name}`;
  inf.addEventHandler({
    onAdd: (o) => r.adds.push(id(o)),
    onUpdate: (a, b) => {
      if (a.metadata.resourceVersion !== b.metadata.resourceVersion) r.updates.push(id(b));
    },
    onDelete: (o) => r.deletes.push('obj' in o ? id(o.obj as KubeObject) : id(o as KubeObject)),
  });
  return r;
}

test('one wildcard informer sees every workspace; listers are scoped by cluster', async () => {
  for (const ws of WORKSPACES) await client.cluster(`root:${ws}`).syncTargets().create(st('pre-existing'));
  const factory = new SharedInformerFactory({ clusterClient: client, logger: silentLogger() });
  const inf = factory.forResource(SyncTargetGVR);
  const rec = record(inf);
  const ac = new AbortController();
  factory.start(ac.signal);
  try {
    assert.ok(await factory.waitForCacheSync());
    assert.deepEqual(rec.adds.sort(), WORKSPACES.map((w) => `root:${w}/pre-existing`));

    for (const ws of WORKSPACES) await client.cluster(`root:${ws}`).syncTargets().create(st(`only-in-${ws}`));
    await client.cluster('root:ws-b').syncTargets().patch('pre-existing', 'merge', { metadata: { labels: { touched: 'yes' } } });
    await client.cluster('root:ws-c').syncTargets().delete('pre-existing');
    await eventually(() => [rec.adds.length === 6 && rec.updates.length === 1 && rec.deletes.length === 1, JSON.stringify(rec)]);
    assert.deepEqual(rec.updates, ['root:ws-b/pre-existing']);
    assert.deepEqual(rec.deletes, ['root:ws-c/pre-existing']);

    for (const ws of WORKSPACES) {
      const names = inf.lister.cluster(`root:${ws}`).list().map((o) => o.metadata.name).sort();
      assert.deepEqual(names, ws === 'ws-c' ? ['only-in-ws-c'] : [`only-in-${ws}`, 'pre-existing'].sort());
      assert.equal(inf.lister.cluster(`root:${ws}`).get(`only-in-${ws}`)?.metadata.name, `only-in-${ws}`);
    }
    assert.equal(inf.lister.cluster('root:ws-a').get('only-in-ws-b'), undefined);
    assert.equal(inf.lister.cluster('root:ws-b').get('pre-existing')?.metadata.labels?.touched, 'yes');
    assert.equal(inf.lister.list().length, 5);
  } finally {
    ac.abort();
  }
});

test('a server restart mid-watch converges without duplicate adds', async () => {
  const factory = new SharedInformerFactory({ clusterClient: client, logger: silentLogger() });
  const inf = factory.forResource(SyncTargetGVR);
  const rec = record(inf);
  const ac = new AbortController();
  factory.start(ac.signal);
  try {
    await factory.waitForCacheSync();
    const initialAdds = rec.adds.length;
    const port = new URL(kp.url).port;
    await kp.stop();
    kp = await startKplane({ rootDir: kp.rootDir, keepRootDir: true, args: ['--secure-port', port, '--controllers', '-'] });
    await client.cluster('root:ws-a').syncTargets().create(st('after-restart'));
    await client.cluster('root:ws-a').syncTargets().delete('only-in-ws-a');
    await eventually(() => [inf.lister.cluster('root:ws-a').get('after-restart') !== undefined && inf.lister.cluster('root:ws-a').get('only-in-ws-a') === undefined, JSON.stringify(rec)], { timeoutMs: 60_000 });
    assert.equal(rec.adds.length, initialAdds + 1, `only the new object is added again: ${JSON.stringify(rec.adds)}`);
    assert.deepEqual(rec.adds.slice(initialAdds), ['root:ws-a/after-restart']);
    assert.deepEqual(rec.deletes, ['root:ws-a/only-in-ws-a']);
    assert.deepEqual(rec.updates, []);
  } finally {
    ac.abort();
  }
});
