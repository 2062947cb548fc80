// Conformance: close() is idempotent, later calls fail with Closed, open watchers end.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStorageError } from '../errors.ts';
import type { WatchEvent } from '../interface.ts';
import { expectStorageError, obj, useStorage, type StorageFactory } from './helpers.ts';

export function describeLifecycle(factory: StorageFactory): void {
  describe('close', () => {
    const ctx = useStorage(factory);

    test('close is idempotent; later calls fail with Closed; open watchers end', async () => {
      const s = ctx.storage;
      await s.create(ctx.key('a'), obj('a'));
      const w = await s.watch(ctx.clusterPrefix(), await s.currentRevision());
      const ended = (async () => {
        const seen: WatchEvent[] = [];
        try {
          for await (const ev of w) seen.push(ev);
          return 'ended';
        } catch (err) {
          return isStorageError(err) ? 'ended' : `unexpected ${String(err)}`;
        }
      })();
      await s.close();
      await s.close();
      assert.equal(await ended, 'ended');
      await expectStorageError(s.get(ctx.key('a')), 'Closed');
      await expectStorageError(s.create(ctx.key('b'), obj('b')), 'Closed');
      await expectStorageError(s.list(ctx.clusterPrefix()), 'Closed');
      await expectStorageError(s.watch(ctx.clusterPrefix(), 0), 'Closed');
      await expectStorageError(s.update(ctx.key('a'), obj('a')), 'Closed');
      await expectStorageError(s.delete(ctx.key('a')), 'Closed');
      await expectStorageError(s.guaranteedUpdate(ctx.key('a'), (c) => c), 'Closed');
    });

    test('writes in flight when close() is called are completed', async () => {
      const s = ctx.storage;
      const writes = Array.from({ length: 20 }, (_, i) => s.create(ctx.key(`k${i}`), obj(`k${i}`)));
      await s.close();
      const results = await Promise.allSettled(writes);
      assert.ok(results.every((r) => r.status === 'fulfilled'));
    });
  });
}
