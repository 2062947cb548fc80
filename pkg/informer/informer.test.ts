import assert from 'node:assert/strict';
import { test } from 'node:test';
import { StatusError } from '../apierrors/errors.ts';
import type { KubeList, KubeObject, WatchEvent } from '../client/object.ts';
import type { ResourceClient } from '../client/resource.ts';
import { silentLogger } from '../log/logger.ts';
import { DeletedFinalStateUnknown } from './handlers.ts';
import { SharedInformer } from './informer.ts';

function obj(cluster: string, name: string, rv: string, labels: Record<string, string> = {}): KubeObject {
  return { metadata: { name, resourceVersion: rv, labels, annotations: { 'kcp.io/cluster': cluster } } };
}

/** A literal fake of the few ResourceClient methods the informer uses. */
function fakeClient(script: { lists: KubeObject[][]; watches: (WatchEvent[] | Error)[] }) {
  let listCalls = 0;
  let watchCalls = 0;
  const watchRVs: string[] = [];
  const client = {
    gvr: { group: 'workload.kcp.io', version: 'v1alpha1', resource: 'synctargets', kind: 'SyncTarget', namespaced: false },
    async listAll(): Promise<KubeList> {
      const items = script.lists[Math.min(listCalls, script.lists.length - 1)]!;
      listCalls++;
      const rv = String(Math.max(0, ...items.map((i) => Number(i.metadata.resourceVersion))));
      return { metadata: { resourceVersion: rv }, items };
    },
    watch(opts: { resourceVersion?: string; signal?: AbortSignal }) {
      watchRVs.push(opts.resourceVersion ?? '');
      const step = script.watches[watchCalls++];
      return (async function* () {
        if (step === undefined) {
          // Park until the test aborts.
          if (!opts.signal?.aborted) await new Promise<void>((r) => opts.signal?.addEventListener('abort', () => r(), { once: true }));
          return;
        }
        if (step instanceof Error) throw step;
        for (const ev of step) yield ev;
      })();
    },
  };
  return { client: client as unknown as ResourceClient<KubeObject>, stats: () => ({ listCalls, watchCalls, watchRVs }) };
}

function recorder() {
  const events: string[] = [];
  return {
    events,
    handler: {
      onAdd: (o: KubeObject, initial: boolean) => events.push(`add ${o.metadata.name}${initial ? ' (initial)' : ''}`),
      onUpdate: (a: KubeObject, b: KubeObject) => events.push(`update ${b.metadata.name} ${a.metadata.resourceVersion}->${b.metadata.resourceVersion}`),
      onDelete: (o: KubeObject | DeletedFinalStateUnknown<KubeObject>) =>
        events.push(o instanceof DeletedFinalStateUnknown ? `tombstone ${o.obj.metadata.name}` : `delete ${o.metadata.name}`),
    },
  };
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 1000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
  assert.ok(cond(), 'condition not reached');
}

test('initial list, live events, and listers scoped by cluster', async () => {
  const { client } = fakeClient({
    lists: [[obj('root', 'a', '1'), obj('root:org', 'a', '2'), obj('root:org', 'b', '3')]],
    watches: [[{ type: 'MODIFIED', object: obj('root', 'a', '4') }, { type: 'DELETED', object: obj('root:org', 'b', '5') }, { type: 'ADDED', object: obj('root:x', 'c', '6') }]],
  });
  const inf = new SharedInformer({ client, logger: silentLogger() });
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await until(() => rec.events.length === 6);
  assert.deepEqual(rec.events, ['add a (initial)', 'add a (initial)', 'add b (initial)', 'update a 1->4', 'delete b', 'add c']);
  assert.ok(inf.hasSynced());
  assert.equal(inf.lastSyncResourceVersion(), '6');
  assert.deepEqual(inf.lister.cluster('root:org').list().map((o) => o.metadata.name), ['a']);
  assert.equal(inf.lister.cluster('root').get('a')?.metadata.resourceVersion, '4');
  assert.equal(inf.lister.cluster('root:x').get('a'), undefined);
  assert.equal(inf.lister.list().length, 3);
  ac.abort();
  await run;
});

test('a broken watch resumes from the last resourceVersion without relisting', async () => {
  const { client, stats } = fakeClient({
    lists: [[obj('root', 'a', '1')]],
    watches: [[{ type: 'MODIFIED', object: obj('root', 'a', '2') }], new Error('connection reset'), [{ type: 'MODIFIED', object: obj('root', 'a', '3') }]],
  });
  const inf = new SharedInformer({ client, logger: silentLogger(), backoffInitialMs: 1, backoffMaxMs: 2 });
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await until(() => rec.events.length === 3);
  assert.deepEqual(rec.events, ['add a (initial)', 'update a 1->2', 'update a 2->3']);
  assert.equal(stats().listCalls, 1, 'no relist after a network error');
  assert.deepEqual(stats().watchRVs.slice(0, 3), ['1', '2', '2']);
  ac.abort();
  await run;
});

test('410 Expired relists and diffs: unchanged objects fire nothing, vanished ones a tombstone', async () => {
  const expired = { type: 'ERROR', object: { kind: 'Status', code: 410, reason: 'Expired', message: 'too old resource version', metadata: {} } } as unknown as WatchEvent;
  const { client, stats } = fakeClient({
    lists: [
      [obj('root', 'a', '1'), obj('root', 'b', '2'), obj('root', 'c', '3')],
      [obj('root', 'a', '1'), obj('root', 'c', '7'), obj('root', 'd', '8')],
    ],
    watches: [[expired]],
  });
  const inf = new SharedInformer({ client, logger: silentLogger() });
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await until(() => stats().listCalls === 2 && rec.events.length === 6);
  assert.deepEqual(rec.events, ['add a (initial)', 'add b (initial)', 'add c (initial)', 'update c 3->7', 'add d', 'tombstone b']);
  assert.deepEqual(inf.lister.list().map((o) => o.metadata.name).sort(), ['a', 'c', 'd']);
  ac.abort();
  await run;
});

test('a StatusError Expired thrown by the stream also relists', async () => {
  const { client, stats } = fakeClient({ lists: [[obj('root', 'a', '1')], [obj('root', 'a', '1')]], watches: [new StatusError('Expired', 'gone')] });
  const inf = new SharedInformer({ client, logger: silentLogger() });
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await until(() => stats().listCalls === 2);
  assert.deepEqual(rec.events, ['add a (initial)']);
  ac.abort();
  await run;
});

test('handlers added after sync receive the cache as initial adds; a throwing handler does not stop others', async () => {
  const { client } = fakeClient({ lists: [[obj('root', 'a', '1')]], watches: [] });
  const inf = new SharedInformer({ client, logger: silentLogger() });
  inf.addEventHandler({ onAdd: () => { throw new Error('boom'); } });
  const ac = new AbortController();
  const run = inf.run(ac.signal);
  await inf.waitForSync();
  const rec = recorder();
  inf.addEventHandler(rec.handler);
  assert.deepEqual(rec.events, ['add a (initial)']);
  ac.abort();
  await run;
});
