import assert from 'node:assert/strict';
import { test } from 'node:test';
import { JitteredRateLimiter } from './rate-limiter.ts';

test('JitteredRateLimiter: exponential per key, between half and all of the step, capped, forgotten', () => {
  const low = new JitteredRateLimiter<string>(500, 30_000, () => 0);
  const high = new JitteredRateLimiter<string>(500, 30_000, () => 0.999999);
  assert.deepEqual([1, 2, 3, 4].map(() => low.when('a')), [250, 500, 1000, 2000]);
  assert.deepEqual([1, 2, 3, 4].map(() => high.when('a')), [500, 1000, 2000, 4000]);
  for (let i = 0; i < 20; i++) high.when('b');
  assert.equal(high.when('b'), 30_000);
  assert.equal(low.when('c'), 250, 'keys are independent');
  low.forget('a');
  assert.equal(low.numRequeues('a'), 0);
  assert.equal(low.when('a'), 250);
});
