// Conformance: create, get, update (preconditions, no-op), delete, guaranteedUpdate.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { StoredObject } from '../interface.ts';
import { MAX_OBJECT_BYTES } from '../object-codec.ts';
import { content, expectStorageError, obj, rv, useStorage, type StorageFactory } from './helpers.ts';

export function describeCrud(factory: StorageFactory): void {
  describe('create and get', () => {
    const ctx = useStorage(factory);

    test('create returns the object with the new revision as a string resourceVersion', async () => {
      const created = await ctx.storage.create(ctx.key('a'), obj('a', { spec: { n: 1 } }));
      assert.equal(rv(created), await ctx.storage.currentRevision());
      assert.deepEqual(content(created), content(obj('a', { spec: { n: 1 } })));
      const got = await ctx.storage.get(ctx.key('a'));
      assert.deepEqual(got, created);
    });

    test('a resourceVersion inside the written object is ignored', async () => {
      const o = obj('a');
      o.metadata = { ...o.metadata, resourceVersion: '987654321' };
      const created = await ctx.storage.create(ctx.key('a'), o);
      assert.notEqual(created.metadata?.['resourceVersion'], '987654321');
      assert.equal(rv(await ctx.storage.get(ctx.key('a'))), rv(created));
    });

    test('returned objects are copies: mutating them does not change storage', async () => {
      const created = await ctx.storage.create(ctx.key('a'), obj('a', { spec: { n: 1 } }));
      (created['spec'] as Record<string, unknown>)['n'] = 2;
      const got = await ctx.storage.get(ctx.key('a'));
      assert.deepEqual(got['spec'], { n: 1 });
    });

    test('create of an existing key fails with KeyExists and writes nothing', async () => {
      await ctx.storage.create(ctx.key('a'), obj('a'));
      const before = await ctx.storage.currentRevision();
      await expectStorageError(ctx.storage.create(ctx.key('a'), obj('a', { spec: 2 })), 'KeyExists');
      assert.equal(await ctx.storage.currentRevision(), before);
    });

    test('objects over MAX_OBJECT_BYTES fail with TooLarge on create, update and guaranteedUpdate; nothing is written', async () => {
      const big = 'x'.repeat(MAX_OBJECT_BYTES);
      await ctx.storage.create(ctx.key('a'), obj('a'));
      const before = await ctx.storage.currentRevision();
      await expectStorageError(ctx.storage.create(ctx.key('b'), obj('b', { data: big })), 'TooLarge');
      await expectStorageError(ctx.storage.update(ctx.key('a'), obj('a', { data: big })), 'TooLarge');
      await expectStorageError(ctx.storage.guaranteedUpdate(ctx.key('a'), (cur) => ({ ...cur, data: big })), 'TooLarge');
      assert.equal(await ctx.storage.currentRevision(), before);
      await expectStorageError(ctx.storage.get(ctx.key('b')), 'KeyNotFound');
      // Just under the limit is fine (multi-byte characters are counted as bytes).
      const fits = 'é'.repeat(Math.floor((MAX_OBJECT_BYTES - 1024) / 2));
      await ctx.storage.update(ctx.key('a'), obj('a', { data: fits }));
      await expectStorageError(ctx.storage.update(ctx.key('a'), obj('a', { data: fits + 'é'.repeat(1024) })), 'TooLarge');
    });

    test('get of a missing key fails with KeyNotFound', async () => {
      await expectStorageError(ctx.storage.get(ctx.key('missing')), 'KeyNotFound');
    });

    test('revisions are global and strictly increasing across keys', async () => {
      let last = await ctx.storage.currentRevision();
      for (const name of ['a', 'b', 'c']) {
        const r = rv(await ctx.storage.create(ctx.key(name), obj(name)));
        assert.ok(r > last, `${r} > ${last}`);
        last = r;
      }
      const r = rv(await ctx.storage.update(ctx.key('a'), obj('a', { spec: 1 })));
      assert.ok(r > last);
    });

    test('a key can be created again after it was deleted', async () => {
      await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      await ctx.storage.delete(ctx.key('a'));
      const again = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 2 }));
      assert.deepEqual((await ctx.storage.get(ctx.key('a')))['spec'], 2);
      assert.equal(rv(again), await ctx.storage.currentRevision());
    });
  });

  describe('update', () => {
    const ctx = useStorage(factory);

    test('update writes a new revision', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      const b = await ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }));
      assert.ok(rv(b) > rv(a));
      assert.deepEqual(await ctx.storage.get(ctx.key('a')), b);
    });

    test('update of a missing key fails with KeyNotFound', async () => {
      await expectStorageError(ctx.storage.update(ctx.key('missing'), obj('missing')), 'KeyNotFound');
    });

    test('resourceVersion precondition: stale fails with Conflict, current succeeds', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      const b = await ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }), { resourceVersion: String(rv(a)) });
      await expectStorageError(
        ctx.storage.update(ctx.key('a'), obj('a', { spec: 3 }), { resourceVersion: String(rv(a)) }),
        'Conflict',
      );
      assert.deepEqual(await ctx.storage.get(ctx.key('a')), b);
    });

    test('uid precondition: another uid fails with Conflict, the same uid succeeds', async () => {
      await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      await expectStorageError(ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }), { uid: 'someone-else' }), 'Conflict');
      const ok = await ctx.storage.update(ctx.key('a'), obj('a', { spec: 2 }), { uid: 'uid-a' });
      assert.deepEqual(ok['spec'], 2);
    });

    test('a deep-equal update writes nothing and returns the stored object', async () => {
      const a = await ctx.storage.create(ctx.key('a'), { metadata: { name: 'a', labels: { x: '1', y: '2' } }, spec: { p: 1, q: [1, 2] } });
      const before = await ctx.storage.currentRevision();
      // Same content, different key order, and a stale resourceVersion that must not matter.
      const same = await ctx.storage.update(ctx.key('a'), {
        spec: { q: [1, 2], p: 1 },
        metadata: { labels: { y: '2', x: '1' }, name: 'a', resourceVersion: '1' },
      });
      assert.equal(rv(same), rv(a));
      assert.equal(await ctx.storage.currentRevision(), before);
    });
  });

  describe('delete', () => {
    const ctx = useStorage(factory);

    test('delete returns the last state at the deletion revision and removes the key', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 7 }));
      const gone = await ctx.storage.delete(ctx.key('a'));
      assert.deepEqual(content(gone), content(a));
      assert.ok(rv(gone) > rv(a));
      assert.equal(rv(gone), await ctx.storage.currentRevision());
      await expectStorageError(ctx.storage.get(ctx.key('a')), 'KeyNotFound');
    });

    test('delete of a missing key fails with KeyNotFound', async () => {
      await expectStorageError(ctx.storage.delete(ctx.key('missing')), 'KeyNotFound');
    });

    test('delete preconditions: a mismatch is Conflict and the object stays', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a'));
      await ctx.storage.update(ctx.key('a'), obj('a', { spec: 1 }));
      await expectStorageError(ctx.storage.delete(ctx.key('a'), { resourceVersion: String(rv(a)) }), 'Conflict');
      await expectStorageError(ctx.storage.delete(ctx.key('a'), { uid: 'other' }), 'Conflict');
      const cur = await ctx.storage.get(ctx.key('a'));
      const gone = await ctx.storage.delete(ctx.key('a'), { resourceVersion: String(rv(cur)), uid: 'uid-a' });
      assert.deepEqual(content(gone), content(cur));
    });
  });

  describe('guaranteedUpdate', () => {
    const ctx = useStorage(factory);

    test('applies the function to the current object', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a', { spec: { n: 1 } }));
      const b = await ctx.storage.guaranteedUpdate(ctx.key('a'), (cur) => {
        assert.equal(rv(cur), rv(a));
        return { ...cur, spec: { n: 2 } };
      });
      assert.deepEqual(b['spec'], { n: 2 });
      assert.ok(rv(b) > rv(a));
    });

    test('returning null writes nothing', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a'));
      const before = await ctx.storage.currentRevision();
      const same = await ctx.storage.guaranteedUpdate(ctx.key('a'), () => null);
      assert.equal(rv(same), rv(a));
      assert.equal(await ctx.storage.currentRevision(), before);
    });

    test('returning a deep-equal object writes nothing', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a', { spec: 1 }));
      const same = await ctx.storage.guaranteedUpdate(ctx.key('a'), (cur) => structuredClone(cur));
      assert.equal(rv(same), rv(a));
      assert.equal(await ctx.storage.currentRevision(), rv(a));
    });

    test('an error thrown by the function aborts without writing', async () => {
      await ctx.storage.create(ctx.key('a'), obj('a'));
      const before = await ctx.storage.currentRevision();
      await assert.rejects(ctx.storage.guaranteedUpdate(ctx.key('a'), () => {
        throw new Error('nope');
      }), /nope/);
      assert.equal(await ctx.storage.currentRevision(), before);
    });

    test('missing key is KeyNotFound; failed preconditions are Conflict', async () => {
      await expectStorageError(ctx.storage.guaranteedUpdate(ctx.key('missing'), (c) => c), 'KeyNotFound');
      const a = await ctx.storage.create(ctx.key('a'), obj('a'));
      await expectStorageError(ctx.storage.guaranteedUpdate(ctx.key('a'), (c) => ({ ...c, spec: 1 }), { uid: 'x' }), 'Conflict');
      await expectStorageError(
        ctx.storage.guaranteedUpdate(ctx.key('a'), (c) => ({ ...c, spec: 1 }), { resourceVersion: String(rv(a) + 1000) }),
        'Conflict',
      );
    });

    test('a current cached copy is used as given and left unmodified', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a', { spec: { n: 1 } }));
      const copy = structuredClone(a);
      const frozen = JSON.stringify(copy);
      const b = await ctx.storage.guaranteedUpdate(ctx.key('a'), (cur) => {
        assert.deepEqual(cur, a);
        return { ...cur, spec: { n: 2 } };
      }, undefined, copy);
      assert.deepEqual(b['spec'], { n: 2 });
      assert.ok(rv(b) > rv(a));
      assert.equal(JSON.stringify(copy), frozen);
      assert.deepEqual((await ctx.storage.get(ctx.key('a')))['spec'], { n: 2 });
    });

    test('a stale cached copy never wins: the function runs again on the stored object', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a', { spec: { n: 1 } }));
      const stale = structuredClone(a);
      const fresh = await ctx.storage.guaranteedUpdate(ctx.key('a'), (cur) => ({ ...cur, spec: { n: 10 } }));
      const seen: number[] = [];
      const b = await ctx.storage.guaranteedUpdate(ctx.key('a'), (cur) => {
        seen.push(rv(cur));
        return { ...cur, spec: { n: (cur['spec'] as { n: number }).n + 1 } };
      }, undefined, stale);
      assert.equal(seen[seen.length - 1], rv(fresh));
      assert.deepEqual(b['spec'], { n: 11 });
      assert.deepEqual((await ctx.storage.get(ctx.key('a')))['spec'], { n: 11 });
    });

    test('a stale cached copy neither fails a precondition the stored object meets nor makes "no change" final', async () => {
      const a = await ctx.storage.create(ctx.key('a'), obj('a', { spec: { n: 1 } }));
      const stale = structuredClone(a);
      const fresh = await ctx.storage.guaranteedUpdate(ctx.key('a'), (cur) => ({ ...cur, spec: { n: 5 } }));
      const b = await ctx.storage.guaranteedUpdate(ctx.key('a'), (cur) => ({ ...cur, spec: { n: 6 } }), { resourceVersion: String(rv(fresh)) }, stale);
      assert.deepEqual(b['spec'], { n: 6 });
      // Only the stale copy already has n: 1; on the stored object the function changes it.
      const c = await ctx.storage.guaranteedUpdate(ctx.key('a'), (cur) => ((cur['spec'] as { n: number }).n === 1 ? null : { ...cur, spec: { n: 1 } }), undefined, stale);
      assert.deepEqual(c['spec'], { n: 1 });
      assert.ok(rv(c) > rv(b));
    });

    test('retries with a fresh object when a concurrent write lands in between', async () => {
      await ctx.storage.create(ctx.key('a'), obj('a', { spec: { seen: [] as string[] } }));
      let calls = 0;
      const result = await ctx.storage.guaranteedUpdate(ctx.key('a'), async (cur) => {
        calls++;
        const seen = [...((cur['spec'] as { seen: string[] }).seen)];
        if (calls === 1) {
          // Someone else writes after our read: our write must not clobber it.
          await ctx.storage.update(ctx.key('a'), obj('a', { spec: { seen: [...seen, 'other'] } }));
        }
        return { ...cur, spec: { seen: [...seen, 'mine'] } } as StoredObject;
      });
      assert.ok(calls >= 2, `tryUpdate called ${calls} times`);
      assert.deepEqual(result['spec'], { seen: ['other', 'mine'] });
    });
  });
}
