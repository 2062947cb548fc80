// Conformance: list snapshots, revisions in history, pagination, prefix isolation.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { ListResult, StoredObject } from '../interface.ts';
import { expectStorageError, obj, rv, useStorage, type StorageFactory, type TestContext } from './helpers.ts';

function names(items: StoredObject[]): string[] {
  return items.map((i) => String(i.metadata?.['name']));
}

async function listAll(ctx: TestContext, prefix: string, limit: number, between?: (page: number) => Promise<void>): Promise<{
  items: StoredObject[];
  pages: ListResult[];
}> {
  const pages: ListResult[] = [];
  let cont: string | undefined;
  do {
    const page = await ctx.storage.list(prefix, cont ? { limit, continue: cont } : { limit });
    pages.push(page);
    cont = page.continue;
    if (cont && between) await between(pages.length);
  } while (cont);
  return { items: pages.flatMap((p) => p.items), pages };
}

export function describeList(factory: StorageFactory): void {
  describe('list', () => {
    const ctx = useStorage(factory);

    test('lists every key under the prefix, in key order, at the current revision', async () => {
      for (const n of ['c', 'a', 'b']) await ctx.storage.create(ctx.key(n), obj(n));
      const updated = await ctx.storage.update(ctx.key('a'), obj('a', { spec: 1 }));
      const res = await ctx.storage.list(ctx.clusterPrefix());
      assert.deepEqual(names(res.items), ['a', 'b', 'c']);
      assert.equal(res.revision, await ctx.storage.currentRevision());
      assert.equal(res.continue, undefined);
      assert.deepEqual(res.items[0], updated);
      for (const item of res.items) assert.ok(rv(item) <= res.revision);
    });

    test('an empty prefix lists nothing', async () => {
      const res = await ctx.storage.list(ctx.clusterPrefix('nobody'));
      assert.deepEqual(res.items, []);
      assert.equal(res.continue, undefined);
    });

    test('prefix isolation: root/ does not see root:org keys; the resource prefix sees both', async () => {
      await ctx.storage.create(ctx.key('x', 'root'), obj('x'));
      await ctx.storage.create(ctx.key('y', 'root:org'), obj('y'));
      await ctx.storage.create(ctx.key('z', 'root:org:team'), obj('z'));
      await ctx.storage.create(`${ctx.clusterPrefix('root')}ns1/w`, obj('w'));
      assert.deepEqual(names((await ctx.storage.list(ctx.clusterPrefix('root'))).items), ['w', 'x']);
      assert.deepEqual(names((await ctx.storage.list(ctx.clusterPrefix('root:org'))).items), ['y']);
      assert.deepEqual(names((await ctx.storage.list(`${ctx.clusterPrefix('root')}ns1/`)).items), ['w']);
      assert.deepEqual(names((await ctx.storage.list(ctx.base)).items).sort(), ['w', 'x', 'y', 'z']);
    });

    test('list at an older revision returns the state as it was then', async () => {
      await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      const b = await ctx.storage.create(ctx.key('b'), obj('b'));
      const then = rv(b);
      await ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }));
      await ctx.storage.delete(ctx.key('b'));
      await ctx.storage.create(ctx.key('c'), obj('c'));
      const old = await ctx.storage.list(ctx.clusterPrefix(), { revision: then });
      assert.equal(old.revision, then);
      assert.deepEqual(names(old.items), ['a', 'b']);
      assert.deepEqual(old.items[0]?.['spec'], 1);
      assert.deepEqual(old.items[1], b);
      const now = await ctx.storage.list(ctx.clusterPrefix());
      assert.deepEqual(names(now.items), ['a', 'c']);
    });

    test('limit and continue page through everything with remainingItemCount', async () => {
      for (let i = 0; i < 23; i++) await ctx.storage.create(ctx.key(`k${String(i).padStart(2, '0')}`), obj(`k${i}`));
      const { items, pages } = await listAll(ctx, ctx.clusterPrefix(), 5);
      assert.equal(items.length, 23);
      assert.equal(pages.length, 5);
      assert.deepEqual(pages.map((p) => p.items.length), [5, 5, 5, 5, 3]);
      assert.deepEqual(pages.map((p) => p.remainingItemCount), [18, 13, 8, 3, undefined]);
      assert.ok(pages.every((p) => p.revision === pages[0]?.revision));
      const all = await ctx.storage.list(ctx.clusterPrefix());
      assert.deepEqual(items, all.items);
    });

    test('a limit larger than the list returns everything without continue', async () => {
      for (const n of ['a', 'b']) await ctx.storage.create(ctx.key(n), obj(n));
      const res = await ctx.storage.list(ctx.clusterPrefix(), { limit: 10 });
      assert.equal(res.items.length, 2);
      assert.equal(res.continue, undefined);
    });

    test('pages stay at the first page revision while writes continue', async () => {
      const total = 150;
      for (let i = 0; i < total; i++) await ctx.storage.create(ctx.key(`k${String(i).padStart(3, '0')}`), obj(`k${i}`, { spec: 0 }));
      const snapshot = await ctx.storage.list(ctx.clusterPrefix());
      let w = 0;
      const { items, pages } = await listAll(ctx, ctx.clusterPrefix(), 17, async () => {
        // Between pages: change keys on both sides of the cursor, add and remove keys.
        for (let j = 0; j < 4; j++, w++) {
          const i = (w * 13) % total;
          const key = ctx.key(`k${String(i).padStart(3, '0')}`);
          if (j === 0) await ctx.storage.delete(key).catch(() => undefined);
          else if (j === 1) await ctx.storage.create(ctx.key(`new${w}`), obj(`new${w}`));
          else await ctx.storage.update(key, obj(`k${i}`, { spec: w })).catch(() => undefined);
        }
      });
      assert.ok(pages.every((p) => p.revision === snapshot.revision));
      assert.deepEqual(items, snapshot.items);
      assert.ok((await ctx.storage.currentRevision()) > snapshot.revision);
    });

    test('a malformed continue token fails with InvalidContinue', async () => {
      await ctx.storage.create(ctx.key('a'), obj('a'));
      await expectStorageError(ctx.storage.list(ctx.clusterPrefix(), { limit: 1, continue: '%%%not-a-token' }), 'InvalidContinue');
      const junk = Buffer.from('{"hello":"world"}').toString('base64');
      await expectStorageError(ctx.storage.list(ctx.clusterPrefix(), { limit: 1, continue: junk }), 'InvalidContinue');
    });

    test('a continue token of another prefix fails with InvalidContinue', async () => {
      for (const n of ['a', 'b']) {
        await ctx.storage.create(ctx.key(n, 'root'), obj(n));
        await ctx.storage.create(ctx.key(n, 'other'), obj(n));
      }
      const page = await ctx.storage.list(ctx.clusterPrefix('root'), { limit: 1 });
      assert.ok(page.continue);
      await expectStorageError(ctx.storage.list(ctx.clusterPrefix('other'), { limit: 1, continue: page.continue }), 'InvalidContinue');
    });
  });
}
