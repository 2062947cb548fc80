// The heartbeat controller's queueing around a lost status write (409): the newer version is
// judged ahead of the keys the informer's events queued, whether it is already in the cache or
// still on its way, so a verdict due at a deadline does not wait behind a burst of beats.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { SyncTarget } from '../../../client/index.ts';
import { Indexer } from '../../../informer/indexer.ts';
import { Lister } from '../../../informer/lister.ts';
import type { EventHandler } from '../../../informer/handlers.ts';
import { silentLogger } from '../../../log/logger.ts';
import { syncTarget } from '../synctarget/testing.ts';
import { HeartbeatController } from './controller.ts';

function controllerOver(targets: SyncTarget[]) {
  const index = new Indexer<SyncTarget>();
  for (const t of targets) index.upsert(t);
  let handler: EventHandler<SyncTarget> | undefined;
  const informer = { lister: new Lister(index), addEventHandler: (h: EventHandler<SyncTarget>) => void (handler = h), hasSynced: () => true };
  const ctl = new HeartbeatController({
    clusterClient: {} as never,
    informers: { forResource: () => informer } as never,
    recorder: { event: async () => undefined },
    logger: silentLogger(),
    thresholdMs: 60_000,
  });
  /** A newer version of `name` arrives through the informer. */
  const update = (name: string, rv: string) => {
    const old = index.get(`root:org|${name}`) ?? targets.find((t) => t.metadata.name === name)!;
    const next = { ...old, metadata: { ...old.metadata, resourceVersion: rv } };
    index.upsert(next);
    handler!.onUpdate!(old, next);
  };
  // expedite() is what the runner calls after a reconcile reports a conflict.
  const expedite = (name: string, staleRV: string) => (ctl as unknown as { expedite(k: string, rv: string): void }).expedite(`root:org|${name}`, staleRV);
  return { ctl, update, expedite, next: async () => (await ctl.queue.get()).key };
}

const named = (name: string) => syncTarget({ metadata: { name, uid: `uid-${name}`, resourceVersion: '10', annotations: { 'kcp.io/cluster': 'root:org' } } });

test('the newer version still on its way: its event puts the key ahead of the other events', async () => {
  const { ctl, update, expedite, next } = controllerOver([named('a'), named('b'), named('c')]);
  expedite('c', '10');
  update('a', '11');
  update('b', '12');
  update('c', '13');
  assert.equal(await next(), 'root:org|c');
  assert.equal(await next(), 'root:org|a');
  assert.equal(await next(), 'root:org|b');
  // Only once: c's next event queues it at the back again.
  ctl.queue.done('root:org|c');
  ctl.queue.done('root:org|a');
  ctl.queue.done('root:org|b');
  update('a', '14');
  update('c', '15');
  assert.equal(await next(), 'root:org|a');
  assert.equal(await next(), 'root:org|c');
});

test('the newer version already in the cache: the key goes ahead at once', async () => {
  const { update, expedite, next } = controllerOver([named('a'), named('c')]);
  update('a', '11');
  update('c', '12');
  assert.equal(await next(), 'root:org|a');
  // c's write was based on 10 and lost; the cache has 12 already.
  update('a', '13');
  expedite('c', '10');
  assert.equal(await next(), 'root:org|c');
});
