// Conformance: optimistic concurrency under racing writers.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isStorageError } from '../errors.ts';
import { obj, rv, useStorage, type StorageFactory } from './helpers.ts';

type Outcome = 'won' | 'Conflict' | 'KeyExists';

async function outcome(p: Promise<unknown>): Promise<Outcome> {
  try {
    await p;
    return 'won';
  } catch (err) {
    if (isStorageError(err, 'Conflict') || isStorageError(err, 'KeyExists')) return err.code as Outcome;
    throw err;
  }
}

export function describeConcurrency(factory: StorageFactory): void {
  describe('concurrency', () => {
    const ctx = useStorage(factory);
    const racers = 8;

    test('update with a resourceVersion precondition: exactly one racer wins each round', async () => {
      await ctx.storage.create(ctx.key('hot'), obj('hot', { spec: { round: 0, by: -1 } }));
      for (let round = 1; round <= 10; round++) {
        const seen = await ctx.storage.get(ctx.key('hot'));
        const results = await Promise.all(
          Array.from({ length: racers }, (_, i) =>
            outcome(ctx.storage.update(ctx.key('hot'), obj('hot', { spec: { round, by: i } }), { resourceVersion: String(rv(seen)) })),
          ),
        );
        assert.equal(results.filter((r) => r === 'won').length, 1, `round ${round}: ${results.join(',')}`);
        assert.equal(results.filter((r) => r === 'Conflict').length, racers - 1);
        const after = await ctx.storage.get(ctx.key('hot'));
        assert.equal((after['spec'] as { round: number }).round, round);
      }
    });

    test('guaranteedUpdate racers lose no increment', async () => {
      await ctx.storage.create(ctx.key('counter'), obj('counter', { spec: { n: 0 } }));
      const per = 15;
      await Promise.all(
        Array.from({ length: racers }, async () => {
          for (let i = 0; i < per; i++) {
            await ctx.storage.guaranteedUpdate(ctx.key('counter'), async (cur) => {
              const n = (cur['spec'] as { n: number }).n;
              await new Promise((r) => setImmediate(r)); // widen the race window
              return { ...cur, spec: { n: n + 1 } };
            });
          }
        }),
      );
      const final = await ctx.storage.get(ctx.key('counter'));
      assert.deepEqual(final['spec'], { n: racers * per });
    });

    test('racing creates of one key: exactly one wins, the rest get KeyExists', async () => {
      const results = await Promise.all(
        Array.from({ length: racers }, (_, i) => outcome(ctx.storage.create(ctx.key('once'), obj('once', { spec: i })))),
      );
      assert.equal(results.filter((r) => r === 'won').length, 1);
      assert.equal(results.filter((r) => r === 'KeyExists').length, racers - 1);
    });

    test('racing deletes of one key: exactly one wins', async () => {
      await ctx.storage.create(ctx.key('d'), obj('d'));
      const results = await Promise.all(
        Array.from({ length: racers }, async () => {
          try {
            await ctx.storage.delete(ctx.key('d'));
            return 'won';
          } catch (err) {
            if (isStorageError(err, 'KeyNotFound')) return 'KeyNotFound';
            throw err;
          }
        }),
      );
      assert.equal(results.filter((r) => r === 'won').length, 1);
    });
  });
}
