// Conformance: watch events, replay from history under concurrent writes, prefix
// isolation, no-op updates, bookmarks, slow consumers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStorageError } from '../errors.ts';
import type { StoredObject, WatchEvent } from '../interface.ts';
import {
  content,
  obj,
  rv,
  useStorage,
  watchReader,
  PATIENCE_MS,
  type ConformanceOptions,
  type StorageFactory,
} from './helpers.ts';

function assertOrderedUnique(events: WatchEvent[]): void {
  for (let i = 1; i < events.length; i++) {
    const prev = events[i - 1]?.revision ?? 0;
    assert.ok((events[i]?.revision ?? 0) > prev, `event ${i} revision ${events[i]?.revision} after ${prev}`);
  }
}

/** Writes one replay-test writer makes: 7 creates, then a delete+create every 11th step, else an update. */
function writesPerWriter(perWriter: number): number {
  let n = 0;
  for (let i = 0; i < perWriter; i++) n += i >= 7 && i % 11 === 0 ? 2 : 1;
  return n;
}

export function describeWatch(factory: StorageFactory, options: ConformanceOptions): void {
  describe('watch', () => {
    const ctx = useStorage(factory);

    test('delivers ADDED, MODIFIED and DELETED with objects, prevObject and revisions', async () => {
      const from = await ctx.storage.currentRevision();
      const w = await watchReader(ctx.storage, ctx.clusterPrefix(), from);
      const a1 = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      const a2 = await ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }));
      const gone = await ctx.storage.delete(ctx.key('a'));
      const [added, modified, deleted] = await w.take(3);
      w.close();
      assert.equal(added?.type, 'ADDED');
      assert.equal(added?.key, ctx.key('a'));
      assert.deepEqual(added?.object, a1);
      assert.equal(added?.revision, rv(a1));

      assert.equal(modified?.type, 'MODIFIED');
      assert.deepEqual(modified?.object, a2);
      assert.deepEqual(modified?.prevObject, a1);
      assert.equal(modified?.revision, rv(a2));

      assert.equal(deleted?.type, 'DELETED');
      assert.equal(deleted?.revision, rv(gone));
      assert.deepEqual(deleted?.object, gone, 'DELETED carries the last state at the deletion revision');
      assert.deepEqual(deleted?.prevObject, a2);
    });

    test('replays history from an old revision, including deletions', async () => {
      const a1 = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      const a2 = await ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }));
      const gone = await ctx.storage.delete(ctx.key('a'));
      const w = await watchReader(ctx.storage, ctx.clusterPrefix(), rv(a1) - 1);
      const events = await w.take(3);
      w.close();
      assert.deepEqual(events.map((e) => e.type), ['ADDED', 'MODIFIED', 'DELETED']);
      assert.deepEqual(events.map((e) => e.revision), [rv(a1), rv(a2), rv(gone)]);
      assert.deepEqual(events[1]?.prevObject, a1);
      assert.deepEqual(events[2]?.object, gone);
      assert.deepEqual(content(events[2]?.prevObject), content(a2));
    });

    test('only changes after fromRevision are delivered', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a'));
      const b = await ctx.storage.create(ctx.key('b'), obj('b'));
      const w = await watchReader(ctx.storage, ctx.clusterPrefix(), rv(a));
      const [first] = await w.take(1);
      w.close();
      assert.equal(first?.revision, rv(b));
    });

    test('prefix isolation: a watch on root/ never sees root:org changes', async () => {
      const from = await ctx.storage.currentRevision();
      const root = await watchReader(ctx.storage, ctx.clusterPrefix('root'), from);
      const all = await watchReader(ctx.storage, ctx.base, from);
      await ctx.storage.create(ctx.key('x', 'root:org'), obj('x'));
      await ctx.storage.create(ctx.key('y', 'root:org:team'), obj('y'));
      await ctx.storage.create(ctx.key('z', 'root'), obj('z'));
      const [onlyRoot] = await root.take(1);
      assert.equal(onlyRoot?.key, ctx.key('z', 'root'));
      const everything = await all.take(3);
      assert.deepEqual(everything.map((e) => e.key), [ctx.key('x', 'root:org'), ctx.key('y', 'root:org:team'), ctx.key('z', 'root')]);
      root.close();
      all.close();
    });

    test('a watch on one key sees only that key', async () => {
      const from = await ctx.storage.currentRevision();
      const w = await watchReader(ctx.storage, ctx.key('a'), from);
      await ctx.storage.create(ctx.key('ab'), obj('ab'));
      await ctx.storage.create(ctx.key('b'), obj('b'));
      await ctx.storage.create(ctx.key('a'), obj('a'));
      const [ev] = await w.take(1);
      w.close();
      assert.equal(ev?.key, ctx.key('a'));
    });

    test('a no-op update produces no event', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      const w = await watchReader(ctx.storage, ctx.clusterPrefix(), rv(a));
      await ctx.storage.update(ctx.key('a'), obj('a', { spec: 1 }));
      await ctx.storage.guaranteedUpdate(ctx.key('a'), (cur) => ({ ...cur }));
      await ctx.storage.guaranteedUpdate(ctx.key('a'), () => null);
      const real = await ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }));
      const [ev] = await w.take(1);
      w.close();
      assert.equal(ev?.revision, rv(real), 'the first event is the real change');
      assert.deepEqual(ev?.prevObject, a);
    });

    test('replay from an old revision while writers continue: ordered, no gaps, no duplicates', async () => {
      const writers = 4;
      const perWriter = 60;
      const start = await ctx.storage.currentRevision();
      const acked: number[] = [];
      let startWatch!: () => void;
      const halfway = new Promise<void>((resolve) => (startWatch = resolve));
      const writing = Promise.all(
        Array.from({ length: writers }, async (_, w) => {
          for (let i = 0; i < perWriter; i++) {
            const key = ctx.key(`w${w}-${i % 7}`);
            const o = obj(`w${w}-${i % 7}`, { spec: i });
            const record = async (p: Promise<StoredObject>) => acked.push(rv(await p));
            if (i < 7) {
              await record(ctx.storage.create(key, o));
            } else if (i % 11 === 0) {
              await record(ctx.storage.delete(key));
              await record(ctx.storage.create(key, o));
            } else {
              await record(ctx.storage.update(key, o));
            }
            // Noise outside the watched prefix must not show up.
            if (i % 5 === 0) await ctx.storage.create(ctx.key(`noise-${w}-${i}`, 'root:org'), obj('noise'));
            if (w === 0 && i === perWriter / 2) startWatch();
          }
        }),
      );
      await halfway;
      const watcher = await watchReader(ctx.storage, ctx.clusterPrefix('root'), start);
      // Read while the writers run, so the watcher never lags far behind.
      const events = await watcher.take(writers * writesPerWriter(perWriter));
      await writing;
      watcher.close();
      assertOrderedUnique(events);
      assert.deepEqual(events.map((e) => e.revision), [...acked].sort((a, b) => a - b));
      assert.ok(events.every((e) => e.key.startsWith(ctx.clusterPrefix('root'))));
    });

    test('progressNotify delivers a BOOKMARK at or after the current revision when idle', async () => {
      await ctx.storage.create(ctx.key('a'), obj('a'));
      const current = await ctx.storage.currentRevision();
      const w = await watchReader(ctx.storage, ctx.clusterPrefix(), current, true);
      const ev = await w.next(options.bookmarkTimeoutMs ?? PATIENCE_MS);
      w.close();
      assert.equal(ev?.type, 'BOOKMARK');
      assert.ok((ev?.revision ?? 0) >= current);
      assert.equal(ev?.object.metadata?.['resourceVersion'], String(ev?.revision));
    });

    test('close() ends the iteration', async () => {
      const w = await ctx.storage.watch(ctx.clusterPrefix(), await ctx.storage.currentRevision());
      const done = (async () => {
        const seen: WatchEvent[] = [];
        for await (const ev of w) seen.push(ev);
        return seen;
      })();
      w.close();
      w.close();
      assert.deepEqual(await done, []);
    });

    test('slow consumers do not block writers and are ended with an error', { skip: !options.slowWatcherEvents }, async () => {
      const n = options.slowWatcherEvents ?? 0;
      const w = await watchReader(ctx.storage, ctx.clusterPrefix(), await ctx.storage.currentRevision());
      for (let i = 0; i < n; i++) await ctx.storage.create(ctx.key(`k${i}`), obj(`k${i}`));
      let delivered = 0;
      const ended = await (async () => {
        for (;;) {
          try {
            const ev = await w.next();
            if (!ev) return undefined;
            delivered++;
          } catch (err) {
            return err;
          }
        }
      })();
      assert.ok(isStorageError(ended, 'Expired'), `watch should end with StorageError Expired, ended with ${String(ended)}`);
      assert.ok(delivered < n, `not every event (${delivered} of ${n}) should have been delivered`);
    });
  });
}
