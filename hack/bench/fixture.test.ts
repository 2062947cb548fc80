import assert from 'node:assert/strict';
import { test } from 'node:test';
import { numberArg, pool, workspaceNames } from './fixture.ts';

test('numberArg reads --n 5 and --n=5, else the default', () => {
  assert.equal(numberArg('n', 7, ['--quick']), 7);
  assert.equal(numberArg('n', 7, ['--n', '5']), 5);
  assert.equal(numberArg('n', 7, ['--n=5']), 5);
  assert.throws(() => numberArg('n', 7, ['--n', 'x']), /positive number/);
});

test('pool runs every index once with bounded concurrency', async () => {
  const seen: number[] = [];
  let inFlight = 0;
  let peak = 0;
  await pool(50, 4, async (i) => {
    peak = Math.max(peak, ++inFlight);
    await new Promise((r) => setImmediate(r));
    seen.push(i);
    inFlight--;
  });
  assert.deepEqual([...seen].sort((a, b) => a - b), Array.from({ length: 50 }, (_, i) => i));
  assert.ok(peak <= 4);
});

test('workspace names sort in creation order', () => {
  const names = workspaceNames(101);
  assert.deepEqual([...names].sort(), names);
  assert.equal(names[100], 'bench-100');
});
