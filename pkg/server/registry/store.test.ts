// ResourceStore over real SQLite: strategy hooks fire on every path that completes a
// deletion, holds keep objects, concurrent updates all land (guaranteedUpdate), PUT
// preconditions conflict, and the history guard refuses revisions before a cluster's birth.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ConfigMapResource } from '../../../apis/core/v1/configmap.ts';
import { StatusError } from '../../apierrors/errors.ts';
import { openSqliteStorage } from '../../storage/sqlite/index.ts';
import type { KObject } from './object.ts';
import { ResourceStore } from './store.ts';

async function withStore(fn: (store: ResourceStore) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kplane-store-'));
  const storage = await openSqliteStorage({ dir });
  try {
    await fn(new ResourceStore(ConfigMapResource, storage));
  } finally {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

const cm = (name: string, extra: Partial<KObject['metadata']> = {}): KObject => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, ...extra }, data: {} });

test('afterDelete fires for DELETE and for the removal of the last finalizer, never for a mark', async () => {
  await withStore(async (store) => {
    const deleted: string[] = [];
    const started: string[] = [];
    store.strategy = {
      afterDelete: async (_c, o) => void deleted.push(o.metadata.name ?? ''),
      afterDeletionStarted: async (_c, o) => void started.push(o.metadata.name ?? ''),
    };
    await store.create('root', 'default', store.prepareForCreate('root', 'default', cm('plain')));
    assert.equal((await store.delete('root', 'default', 'plain', {})).deleted, true);
    await store.create('root', 'default', store.prepareForCreate('root', 'default', cm('held', { finalizers: ['x/hold'] })));
    const marked = await store.delete('root', 'default', 'held', {});
    assert.equal(marked.deleted, false);
    assert.ok(marked.object.metadata.deletionTimestamp);
    assert.deepEqual(deleted, ['plain']);
    assert.deepEqual(started, ['held']);
    // A dry-run removal of the finalizer completes nothing.
    await store.update('root', 'default', 'held', (live) => ({ ...live!, metadata: { ...live!.metadata, finalizers: [] } }), { dryRun: true });
    assert.deepEqual(deleted, ['plain']);
    await store.update('root', 'default', 'held', (live) => ({ ...live!, metadata: { ...live!.metadata, finalizers: [] } }));
    assert.deepEqual(deleted, ['plain', 'held']);
    assert.equal(await store.tryGet('root', 'default', 'held'), undefined);
  });
});

test('holdsDeletion keeps an object without metadata.finalizers until the strategy releases it', async () => {
  await withStore(async (store) => {
    store.strategy = {
      prepareForDelete: (o) => void (o.metadata.labels = { ...o.metadata.labels, held: 'true' }),
      holdsDeletion: (o) => o.metadata.labels?.held === 'true',
    };
    await store.create('root', 'default', store.prepareForCreate('root', 'default', cm('x')));
    assert.equal((await store.delete('root', 'default', 'x', {})).deleted, false);
    assert.equal((await store.delete('root', 'default', 'x', {})).deleted, false, 'a repeated DELETE changes nothing');
    await store.update('root', 'default', 'x', (live) => ({ ...live!, metadata: { ...live!.metadata, labels: {} } }));
    assert.equal(await store.tryGet('root', 'default', 'x'), undefined);
  });
});

test('concurrent updates all land; a stale PUT resourceVersion is a Conflict', async () => {
  await withStore(async (store) => {
    const created = await store.create('root', 'default', store.prepareForCreate('root', 'default', cm('n')));
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.update('root', 'default', 'n', (live) => ({ ...live!, data: { ...(live!.data as Record<string, string>), [`k${i}`]: 'v' } })),
      ),
    );
    assert.equal(Object.keys((await store.get('root', 'default', 'n')).data as object).length, 20);
    await assert.rejects(
      store.update('root', 'default', 'n', (live) => ({ ...live!, metadata: { ...live!.metadata, resourceVersion: created.metadata.resourceVersion } })),
      (err: unknown) => err instanceof StatusError && err.reason === 'Conflict',
    );
  });
});

test('the history guard refuses reads before a cluster is born', async () => {
  await withStore(async (store) => {
    await store.create('root:a', 'default', store.prepareForCreate('root:a', 'default', cm('old')));
    const before = await store.currentRevision();
    await store.create('root:a', 'default', store.prepareForCreate('root:a', 'default', cm('new')));
    const birth = await store.currentRevision();
    store.history = { birthRevision: async (c) => (c === 'root:a' ? birth : 0) };
    const expired = (err: unknown) => err instanceof StatusError && err.reason === 'Expired';
    await assert.rejects(store.listPage({ cluster: 'root:a', namespace: '' }, { revision: before }), expired);
    await assert.rejects(store.watch({ cluster: 'root:a', namespace: '' }, before, false), expired);
    assert.equal((await store.listPage({ cluster: 'root:a', namespace: '' }, { revision: birth })).items.length, 2);
    // Other clusters and the wildcard are not limited.
    assert.equal((await store.listPage({ cluster: undefined, namespace: '' }, { revision: before })).items.length, 1);
    (await store.watch({ cluster: 'root:a', namespace: '' }, birth, false)).close();
  });
});
