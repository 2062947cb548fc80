// Conformance: compaction keeps live values, drops history, and makes older revisions
// Expired for list, continue tokens and watch.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { expectStorageError, obj, rv, useStorage, watchReader, type StorageFactory } from './helpers.ts';

export function describeCompaction(factory: StorageFactory): void {
  describe('compaction', () => {
    const ctx = useStorage(factory);

    test('compact(R) keeps the latest live values and moves compactedRevision', async () => {
      const a1 = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      const a2 = await ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }));
      const b = await ctx.storage.create(ctx.key('b'), obj('b'));
      await ctx.storage.delete(ctx.key('b'));
      const c = await ctx.storage.create(ctx.key('c'), obj('c'));
      const r = await ctx.storage.currentRevision();
      assert.ok((await ctx.storage.compactedRevision()) < rv(a1));
      await ctx.storage.compact(r);
      assert.equal(await ctx.storage.compactedRevision(), r);
      assert.deepEqual(await ctx.storage.get(ctx.key('a')), a2);
      await expectStorageError(ctx.storage.get(ctx.key('b')), 'KeyNotFound');
      const list = await ctx.storage.list(ctx.clusterPrefix(), { revision: r });
      assert.deepEqual(list.items, [a2, c]);
      assert.ok(rv(b) < r);
      // Writes go on with higher revisions after compaction.
      const d = await ctx.storage.create(ctx.key('d'), obj('d'));
      assert.ok(rv(d) > r);
      // Compacting to an older revision again changes nothing.
      await ctx.storage.compact(rv(a1));
      assert.equal(await ctx.storage.compactedRevision(), r);
    });

    test('list below the compacted revision is Expired; at it and above it works', async () => {
      const a1 = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      await ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }));
      const r = await ctx.storage.currentRevision();
      await ctx.storage.update(ctx.key('a'), obj('a', { spec: 3 }));
      await ctx.storage.compact(r);
      await expectStorageError(ctx.storage.list(ctx.clusterPrefix(), { revision: rv(a1) }), 'Expired');
      const atR = await ctx.storage.list(ctx.clusterPrefix(), { revision: r });
      assert.deepEqual(atR.items[0]?.['spec'], 2);
      const latest = await ctx.storage.list(ctx.clusterPrefix());
      assert.deepEqual(latest.items[0]?.['spec'], 3);
    });

    test('a continue token whose revision was compacted is Expired', async () => {
      for (const n of ['a', 'b', 'c']) await ctx.storage.create(ctx.key(n), obj(n));
      const page = await ctx.storage.list(ctx.clusterPrefix(), { limit: 1 });
      assert.ok(page.continue);
      await ctx.storage.update(ctx.key('c'), obj('c', { spec: 1 }));
      await ctx.storage.compact(await ctx.storage.currentRevision());
      await expectStorageError(ctx.storage.list(ctx.clusterPrefix(), { limit: 1, continue: page.continue }), 'Expired');
    });

    test('watch from before the compacted revision is Expired; from it, history after it replays', async () => {
      const a1 = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      const a2 = await ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }));
      const a3 = await ctx.storage.update(ctx.key('a'), obj('a', { spec: 3 }));
      await ctx.storage.compact(rv(a2));
      await expectStorageError(ctx.storage.watch(ctx.clusterPrefix(), rv(a1)), 'Expired');
      const w = await watchReader(ctx.storage, ctx.clusterPrefix(), rv(a2));
      const [ev] = await w.take(1);
      w.close();
      assert.equal(ev?.revision, rv(a3));
      assert.deepEqual(ev?.prevObject, a2);
    });
  });
}
