// Workspace existence, asked by every request to a workspace: a live Workspace in the watch
// cache settles it without a storage read; a miss (a workspace the cache has not seen yet) and
// a Workspace being deleted are asked of storage.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ALL_RESOURCES } from '../../apis/index.ts';
import { silentLogger } from '../log/logger.ts';
import type { Storage } from '../storage/interface.ts';
import { openSqliteStorage } from '../storage/sqlite/index.ts';
import { CachingStorage } from './cacher/index.ts';
import { Lifecycle } from './lifecycle.ts';
import { Registry } from './registry/registry.ts';

async function until(cond: () => boolean): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('clusterExists: from the watch cache when it shows a live Workspace, from storage otherwise', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-lifecycle-'));
  const backend = await openSqliteStorage({ dir });
  let gets = 0;
  const counted: Storage = new Proxy(backend, {
    get(target, prop, receiver) {
      const v = Reflect.get(target, prop, receiver) as unknown;
      if (prop === 'get') return (key: string) => (gets++, target.get(key));
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
    },
  });
  const storage = new CachingStorage(counted);
  t.after(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const registry = new Registry(ALL_RESOURCES, storage);
  const lifecycle = new Lifecycle(registry, silentLogger(), 'https://kplane.test:6443');
  const workspaces = registry.store('tenancy.kcp.io', 'workspaces');
  const create = (name: string) =>
    workspaces.create('root', '', workspaces.prepareForCreate('root', '', { apiVersion: 'tenancy.kcp.io/v1alpha1', kind: 'Workspace', metadata: { name } }));

  await create('org');
  // Not cached yet: storage answers (and the first look starts the cache).
  assert.equal(await lifecycle.clusterExists('root:org'), true);
  assert.ok(gets >= 1);
  await until(() => workspaces.peekCached('root', '', 'org') !== undefined);
  gets = 0;
  for (let i = 0; i < 5; i++) assert.equal(await lifecycle.clusterExists('root:org'), true);
  assert.equal(gets, 0, 'a live Workspace in the cache needs no storage read');

  // Created a moment ago, before the cache could see it: never refused for that.
  await create('fresh');
  assert.equal(await lifecycle.clusterExists('root:org:deeper'), false, 'a child of a workspace that does not exist');
  assert.equal(await lifecycle.clusterExists('root:fresh'), true);
  assert.equal(await lifecycle.clusterExists('root:absent'), false);

  // Being deleted: refused once the cache shows it (a moment after the write; until then the
  // check races the deletion, as any existence check does), and storage has the last word.
  const key = workspaces.key('root', '', 'org');
  const live = await storage.get(key);
  await storage.update(key, { ...live, metadata: { ...live.metadata, deletionTimestamp: '2026-12-02T00:00:00Z' } });
  await until(() => workspaces.peekCached('root', '', 'org')?.metadata.deletionTimestamp !== undefined);
  gets = 0;
  assert.equal(await lifecycle.clusterExists('root:org'), false);
  assert.equal(gets, 1, 'a Workspace being deleted is asked of storage');
});
