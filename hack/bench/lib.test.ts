import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatTable, percentile, runLoad, summarize } from './lib.ts';

test('percentile uses nearest rank', () => {
  const xs = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(percentile(xs, 50), 50);
  assert.equal(percentile(xs, 99), 99);
  assert.equal(percentile(xs, 100), 100);
  assert.equal(percentile([], 50), 0);
});

test('summarize computes rate from the duration', () => {
  const s = summarize([3, 1, 2], 1000);
  assert.equal(s.count, 3);
  assert.equal(s.perSecond, 3);
  assert.equal(s.p50Ms, 2);
  assert.equal(s.maxMs, 3);
});

test('runLoad stops at count with the requested concurrency', async () => {
  let inFlight = 0;
  let peak = 0;
  const s = await runLoad(
    async () => {
      peak = Math.max(peak, ++inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight--;
    },
    { concurrency: 4, count: 40 },
  );
  assert.equal(s.count, 40);
  assert.equal(peak, 4);
});

test('formatTable aligns columns', () => {
  const t = formatTable(['name', 'n'], [['a', '1'], ['long', '100']]);
  assert.deepEqual(t.split('\n'), ['name    n', '----  ---', 'a       1', 'long  100']);
});
